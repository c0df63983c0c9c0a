"""`vnr preview`: the review served on 127.0.0.1, made again after every change of the sources.

Four threads and the PDF process:
- the watcher (watchfiles: inotify on Linux) counts each batch of changes as a new generation;
- the builder (the main thread) reads the newest generation, renders the HTML (only parts whose
  data changed: html.Kept) and leaves a PDF job for
- the PDF thread, which hands it to a WeasyPrint process that keeps every part's laid-out pages
  (write/layout.py) and lays out again only what changed. A job left while the process is busy
  waits; a newer one replaces it: the PDF served is always of one generation, the newest laid out;
- the server answers `/`, `/status`, `/<edition>.pdf` and the page's reload script (Server: a
  thread per request being answered, never more than THREADS; a silent connection costs none).
Nothing is written into the project: every output lives in memory.
"""

from __future__ import annotations

import _thread
import errno
import html as markup
import json
import selectors
import signal
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml
from watchfiles import DefaultFilter, watch

from .base.errors import InputError
from .base.i18n import Messages, direction
from .build import read, roots
from .publish import cache
from .read import revision, sources
from .write import html, pdf, pool

# Everything is imported before the threads start and SIGTERM is turned into KeyboardInterrupt:
# an import that a signal interrupts in the main thread can leave a module lock held, and the
# other threads importing then wait for it forever.

HOST = "127.0.0.1"  # never another interface: the review is a draft, its comments people's words
SCRIPT = Path(__file__).with_name("templates") / "preview.js"
IDLE = 5.0  # seconds a connection may take to send its request, and to take each answer
THREADS = 8  # requests answered at once; a request that finds them all busy waits its turn
WAITING = 64  # connections open that have sent nothing (they cost no thread); more are closed at once
# The page: its own script, styles and inline images only; no other site may frame it (clickjacking).
PAGE_POLICY = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; script-src 'self'; "
               "connect-src 'self'; frame-ancestors 'none'")


@dataclass
class State:
    """What the server serves, changed by the threads under `changed`."""

    generation: int = 0  # batches of changes seen since the start
    html: bytes | None = None
    html_of: int | None = None  # the generation the HTML was made from
    pdf: bytes | None = None
    pdf_of: int | None = None
    errors: list[str] = field(default_factory=list)
    lang: str = "en"  # the words of the page that lists errors: the last good build's language
    changed: threading.Condition = field(default_factory=threading.Condition)

    def status(self) -> dict:
        return {"generation": self.generation, "html": self.html_of, "pdf": self.pdf_of, "errors": self.errors}


class Preview:
    def __init__(self, root: Path, edition: str = "review", lang: str | None = None, say=print):
        self.root, self.edition, self.lang, self.say = root, edition, lang, say
        self.state = State(lang=lang or _language(root))
        self.stopping = threading.Event()
        self.job: tuple[int, object] | None = None  # (generation, PdfJob) waiting for the PDF thread
        self.worker = None
        self.failed = False  # the watcher stopped: the preview stops, exit status 1

    # The watcher -----------------------------------------------------------------------------
    def watch(self) -> None:
        ignored = DefaultFilter(ignore_paths=[self.root / "build"])  # where `vnr build` writes
        try:
            for _ in watch(self.root, watch_filter=ignored, stop_event=self.stopping, rust_timeout=500,
                           raise_interrupt=False):
                with self.state.changed:
                    self.state.generation += 1
                    self.state.changed.notify_all()
        except Exception as exc:  # no inotify watches left, the folder gone: a preview that no longer follows
            if not self.stopping.is_set():
                print(f"vnr preview: error: cannot watch {self.root}: {exc}", file=sys.stderr)
                self.failed = True
                _thread.interrupt_main()

    # The builder -----------------------------------------------------------------------------
    def build(self) -> None:
        kept, done = html.Kept(), -1
        while not self.stopping.is_set():
            with self.state.changed:
                # a short wait, again and again: Ctrl-C and SIGTERM reach this thread between two
                if not self.state.changed.wait_for(lambda: self.state.generation != done, timeout=0.5):
                    continue
                generation = self.state.generation
            started = time.perf_counter()
            try:
                project, review = read(self.root, self.lang, self.edition, revision.revision(self.root, None))
                inputs = sources.inputs(self.root, project.inputs, review.images.values(), review.data_read)
                looks = cache.looks(inputs)
                page = html.render(review, self.root, kept, looks)
                job = pdf.job(review, page, roots(self.root), None, looks, compress=False)
            except InputError as exc:
                self._errors(generation, [str(d) for d in exc.diagnostics])
            except Exception as exc:  # a bug in vnr: said, and the preview goes on with the next change
                traceback.print_exc()
                self._errors(generation, [f"vnr: internal error: {type(exc).__name__}: {exc} (a bug in vnr)"])
            else:
                with self.state.changed:
                    self.state.html, self.state.html_of, self.state.errors = page.text.encode(), generation, []
                    self.state.lang = review.lang
                    self.job = (generation, job)
                    self.state.changed.notify_all()
                self.say(f"generation {generation}: HTML in {time.perf_counter() - started:.2f} s")
            done = generation

    def _errors(self, generation: int, errors: list[str]) -> None:
        with self.state.changed:
            self.state.errors = errors
            self.state.changed.notify_all()
        self.say(f"generation {generation}: {len(errors)} error(s); the last good outputs stay")
        for line in errors:
            self.say(f"  {line}")

    # The PDF thread ----------------------------------------------------------------------------
    def lay_out(self) -> None:
        """Owns the WeasyPrint process: started from this thread, which lives as long as it does
        (its death signal is tied to the thread that started it)."""
        retry = None  # the job the last process died on: tried once more by a fresh one
        while not self.stopping.is_set():
            self.worker = pdf.Pdf(pool.processes(None), keep=True)
            with self.state.changed:
                if retry and self.job is None:
                    self.job = retry
            try:
                while not self.stopping.is_set():
                    with self.state.changed:
                        self.state.changed.wait_for(lambda: self.job is not None or self.stopping.is_set())
                        if self.stopping.is_set():
                            return
                        (generation, job), self.job = self.job, None
                    retry = (generation, job) if retry is None else None
                    started = time.perf_counter()
                    self.worker.send(job)
                    made = self.worker.result()
                    retry = None
                    with self.state.changed:
                        self.state.pdf, self.state.pdf_of = made.pdf, generation
                        self.state.changed.notify_all()
                    layout, write = made.seconds
                    self.say(f"generation {generation}: PDF in {time.perf_counter() - started:.2f} s "
                             f"(layout {layout:.2f} s, writing {write:.2f} s), {made.pages} pages "
                             f"({made.laid_out} of {len(job.documents)} parts laid out"
                             + (f", {made.renumbered} renumbered)" if made.renumbered else ")"))
            except Exception as exc:  # the process died (killed, out of memory, a WeasyPrint error)
                if not self.stopping.is_set():
                    self.say(f"vnr preview: the PDF process failed ({exc}); "
                             + ("starting it again" if retry else "the PDF stays as it was until the next change"))
            finally:
                self.worker.stop()

    # Start and stop ----------------------------------------------------------------------------
    def serve(self, port: int) -> int:
        try:
            server = Server((HOST, port), handler(self.state, self.edition))
        except OSError as exc:
            reason = "is in use (choose another with --port)" if exc.errno == errno.EADDRINUSE else f"cannot be used: {exc.strerror}"
            print(f"vnr preview: error: port {port} on {HOST} {reason}", file=sys.stderr)
            return 2
        host, port = server.server_address[:2]
        threads = [threading.Thread(target=t, daemon=True, name=t.__name__)
                   for t in (self.watch, self.lay_out, server.serve)]
        for thread in threads:
            thread.start()
        previous = signal.signal(signal.SIGTERM, _interrupt)
        self.say(f"vnr preview: serving {self.root} at http://{host}:{port}/ "
                 f"(PDF: http://{host}:{port}/{self.edition}.pdf); Ctrl-C stops")
        try:
            self.build()  # in the main thread: the sandbox's time limit is a timer signal there, not a trace
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
            self.stopping.set()
            with self.state.changed:
                self.state.changed.notify_all()
            if self.worker:  # a layout under way ends now, not when it is done; the PDF thread,
                self.worker.kill()  # which owns the worker, stops it (two threads closing its log raced)
            server.closing.set()
            for thread in threads:
                thread.join(timeout=5)
            server.server_close()
        self.say("vnr preview: stopped")
        return 1 if self.failed else 0


def _interrupt(signum, frame):
    raise KeyboardInterrupt


class Server(ThreadingHTTPServer):
    """Threads for requests, not for connections: an accepted connection waits in `serve`'s selector,
    without a thread, until its request begins to arrive, and is closed if it has sent nothing for
    IDLE seconds (a browser's spare connection, or someone holding many open). At most THREADS
    requests are answered at once; each must have arrived IDLE seconds after its connection."""

    daemon_threads, block_on_close = True, False  # a request under way does not delay the stop
    request_queue_size = WAITING  # connections the kernel holds while `serve` is busy

    def __init__(self, address, handler_class):
        super().__init__(address, handler_class)
        self.slots = threading.BoundedSemaphore(THREADS)
        self.closing = threading.Event()

    def serve(self) -> None:
        with selectors.DefaultSelector() as door:
            door.register(self.socket, selectors.EVENT_READ)
            while not self.closing.is_set():
                for key, _ in door.select(timeout=0.25):
                    if key.fileobj is self.socket:
                        self._accept(door)
                    else:
                        door.unregister(key.fileobj)
                        self._answer(key.fileobj, *key.data)
                now = time.monotonic()
                for key in list(door.get_map().values()):
                    if key.data and key.data[1] < now:  # silent too long
                        door.unregister(key.fileobj)
                        self.shutdown_request(key.fileobj)
            for key in list(door.get_map().values()):
                if key.data:
                    self.shutdown_request(key.fileobj)

    def _accept(self, door) -> None:
        try:
            connection, address = self.socket.accept()
        except OSError:
            return  # gone before it was accepted
        if len(door.get_map()) > WAITING:
            self.shutdown_request(connection)
        else:
            door.register(connection, selectors.EVENT_READ, (address, time.monotonic() + IDLE))

    def _answer(self, connection, address, deadline: float) -> None:
        while not self.slots.acquire(timeout=0.25):  # all THREADS busy: this request waits its turn
            if self.closing.is_set():
                return self.shutdown_request(connection)
        connection.settimeout(max(deadline - time.monotonic(), 0.1))  # for the rest of the request
        try:
            self.process_request(connection, address)  # ThreadingMixIn: in a thread of its own
        except Exception:  # no thread to be had: this request goes unanswered, the server goes on
            self.slots.release()
            self.handle_error(connection, address)
            self.shutdown_request(connection)

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def handle_error(self, request, client_address):
        # a browser that closed the page mid-answer, or a client too slow to take it
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def allowed_hosts(port: int) -> set[str]:
    """The Host headers answered: this machine's own names with the port, without it too on port
    80 (as browsers send them there). Any other name is another site's page that renamed its host
    to this address (DNS rebinding)."""
    names = (HOST, "localhost")
    return {f"{name}:{port}" for name in names} | (set(names) if port == 80 else set())


def handler(state: State, edition: str):
    script = SCRIPT.read_bytes()

    class Handler(BaseHTTPRequestHandler):
        server_version = "vnr-preview"
        timeout = None  # Server._answer set the connection's: the request's IDLE seconds from its arrival
        policy = "frame-ancestors 'none'"  # Content-Security-Policy; the page's is PAGE_POLICY

        def do_HEAD(self):
            self.do_GET(body=False)

        def do_GET(self, body: bool = True):
            self.connection.settimeout(IDLE)  # the request is in: IDLE seconds to take the answer
            if (self.headers.get("Host") or "").lower() not in allowed_hosts(self.server.server_address[1]):
                return self._send(HTTPStatus.FORBIDDEN, "text/plain", b"vnr preview: unknown host\n", body)
            path = self.path.split("?", 1)[0]
            with state.changed:
                status, page, pdf, lang = state.status(), state.html, state.pdf, state.lang
            if path == "/status":
                return self._send(HTTPStatus.OK, "application/json", json.dumps(status).encode(), body)
            if path == "/vnr-preview.js":
                return self._send(HTTPStatus.OK, "text/javascript", script, body)
            if path == f"/{edition}.pdf":
                if pdf is None:
                    return self._send(HTTPStatus.SERVICE_UNAVAILABLE, "text/plain",
                                      b"vnr preview: the PDF is being laid out; try again in a few seconds\n", body,
                                      {"Retry-After": "2"})
                return self._send(HTTPStatus.OK, "application/pdf", pdf, body)
            if path in ("/", "/index.html"):
                shown = errors_page(status, edition, lang) if status["errors"] or page is None else page
                self.policy = PAGE_POLICY
                return self._send(HTTPStatus.OK, "text/html; charset=utf-8", with_script(shown, status, edition), body)
            return self._send(HTTPStatus.NOT_FOUND, "text/plain", b"vnr preview: not found\n", body)

        def _send(self, code, kind: str, data: bytes, body: bool, headers: dict | None = None):
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            if body:
                self.wfile.write(data)

        def end_headers(self):  # every answer, errors included: no other site's page may frame this one
            self.send_header("Content-Security-Policy", self.policy)
            self.send_header("X-Frame-Options", "DENY")
            super().end_headers()

        def log_message(self, format, *args):  # the terminal tells about rebuilds, not requests
            pass

    return Handler


def shown_key(status: dict) -> str:
    """What `/` shows, as the reload script compares it with /status: the errors, else the HTML's generation."""
    return json.dumps(status["errors"]) if status["errors"] or status["html"] is None else f"html {status['html']}"


def with_script(page: bytes, status: dict, edition: str) -> bytes:
    tag = (f'<script src="/vnr-preview.js" data-pdf="/{edition}.pdf" '
           f'data-shown="{markup.escape(shown_key(status))}"></script>')
    head, found, tail = page.rpartition(b"</body>")
    return head + tag.encode() + found + tail if found else page + tag.encode()


def errors_page(status: dict, edition: str, lang: str = "en") -> bytes:
    m = Messages(lang)
    if not status["errors"]:
        items, title = f"<p>{m('preview.reading')}</p>", "vnr preview"
    else:
        items = "<ol>" + "".join(f"<li><code>{markup.escape(e)}</code></li>" for e in status["errors"]) + "</ol>"
        title = markup.escape(m("preview.errors", errors=len(status["errors"])))
    link = f'<a href="/{edition}.pdf">/{edition}.pdf</a>'
    last = (f'<p>{m("preview.last_pdf", link=link, generation=status["pdf"])}</p>' if status["pdf"] is not None else "")
    return (f'<!DOCTYPE html><html lang="{lang}" dir="{direction(lang)}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>'
            '<style>body{font:15px/1.5 sans-serif;margin:2em auto;max-width:60em;padding:0 1em}'
            'code{white-space:pre-wrap;overflow-wrap:anywhere;color:#8a1c1c}li{margin:.4em 0}</style></head>'
            f'<body class="vnr-errors"><h1>{title}</h1>{items}{last}'
            f"<p>{m('preview.again')}</p></body></html>").encode()


def _language(root: Path) -> str:
    """vnr.yaml's language, for the words of an errors page shown before any good build; English if unreadable."""
    try:
        found = yaml.safe_load((root / "vnr.yaml").read_text(encoding="utf-8")).get("language")
    except Exception:  # any broken vnr.yaml: the page lists its errors, in English
        return "en"
    return found if isinstance(found, str) and found.isalpha() else "en"
