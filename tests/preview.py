"""`vnr preview` run as a user runs it, for the tests: a process, its URL, its /status."""

from __future__ import annotations

import io
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pypdf


class Running:
    def __init__(self, root: Path, *args: str):
        # a session of its own, as in a terminal: Ctrl-C (SIGINT to its process group) reaches it and its PDF process
        self.process = subprocess.Popen([sys.executable, "-m", "vnr", "preview", str(root), "--port", "0", *args],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        env={**os.environ, "PYTHONUNBUFFERED": "1"}, start_new_session=True)
        first = self.process.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", first)
        assert found, f"no URL in {first!r}"
        self.url, self.port = found[0], int(found[1])
        self.lines: list[str] = []  # what it prints, read as it comes: a full pipe would stop it
        self.reader = threading.Thread(target=lambda: self.lines.extend(self.process.stdout), daemon=True)
        self.reader.start()

    def get(self, path: str, headers: dict | None = None) -> tuple[int, bytes]:
        request = urllib.request.Request(self.url + path.lstrip("/"), headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return answer.status, answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def status(self) -> dict:
        return json.loads(self.get("/status")[1])

    def wait(self, test, timeout: float = 90, every: float = 0.1) -> dict:
        """The first /status for which `test` holds, asking every `every` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.status()
            if test(status):
                return status
            assert self.process.poll() is None, "".join(self.lines)
            time.sleep(every)
        raise AssertionError(f"/status never became what the test waits for: {status}")

    def said(self, pattern: str, timeout: float = 10) -> str:
        """The first line printed that matches `pattern`, waiting for it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = next((line for line in self.lines if re.search(pattern, line)), None)
            if found:
                return found
            time.sleep(0.05)
        raise AssertionError(f"never printed {pattern!r}: {self.lines}")

    def settled(self, after: int = -1, timeout: float = 90) -> dict:
        """/status once HTML and PDF are of the newest generation, which is past `after`."""
        return self.wait(lambda s: s["generation"] > after and s["html"] == s["pdf"] == s["generation"]
                         and not s["errors"], timeout)

    def pdf(self) -> pypdf.PdfReader:
        code, data = self.get("/review.pdf")
        assert code == 200
        return pypdf.PdfReader(io.BytesIO(data))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.reader.join(timeout=5)


def ask(port: int, request: bytes, timeout: float = 30) -> tuple[int, dict[str, list[str]], bytes]:
    """Status, headers (lower-case names) and body of the answer to `request`, sent as is on a
    connection of its own and read until the server closes it."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(request)
        answer = b"".join(iter(lambda: connection.recv(65536), b""))
    head, _, body = answer.partition(b"\r\n\r\n")
    first, *lines = head.decode("latin-1").split("\r\n")
    headers: dict[str, list[str]] = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    return int(first.split()[1]), headers, body


def get(host: str | None, path: str = "/status") -> bytes:
    """A GET request as a browser sends it, with this Host header (none if None)."""
    header = f"Host: {host}\r\n" if host is not None else ""
    return f"GET {path} HTTP/1.1\r\n{header}\r\n".encode()


def threads(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/task"))


def listening(port: int) -> list[str]:
    """The local addresses listening on `port`, from /proc/net/tcp and tcp6 (hex, as the kernel writes them)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hexport = local.split(":")
            if state == "0A" and int(hexport, 16) == port:
                found.append(address)
    return found


def outline(reader: pypdf.PdfReader) -> list[tuple[str, int]]:
    flat = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                flat.append((item.title, reader.get_destination_page_number(item)))
    walk(reader.outline)
    return flat


def sticky_notes(reader: pypdf.PdfReader) -> list[list[str]]:
    """Each page's sticky notes (and replies), by /NM."""
    return [[str(a.get_object()["/NM"]) for a in page.get("/Annots", []) or []
             if a.get_object()["/Subtype"] == "/Text"] for page in reader.pages]


def assert_numbers_right(reader: pypdf.PdfReader) -> None:
    """Every page's footer ends with its number; the contents list the pages the bookmarks lead to."""
    texts = [page.extract_text() for page in reader.pages]
    for number, text in enumerate(texts[1:], 2):
        assert text.rstrip().endswith(f" {number}"), f"page {number}: {text[-60:]!r}"
    listed = dict(re.findall(r"^(.+?)\s*\.*\s*(\d+)\s*$", texts[1], re.M))
    starts = [(title, page + 1) for title, page in outline(reader) if title in listed]
    assert len(starts) >= 5
    assert all(int(listed[title]) == page for title, page in starts), (starts, listed)
