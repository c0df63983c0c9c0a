"""Replace a build's outputs as one set: never a new PDF beside an old manifest.

Moving files into place one by one leaves, after a kill between two moves, a set that does
not agree with itself. Instead the new output folder is made beside the old one (the files it
keeps hard-linked, the new ones written) and the two folders are swapped by one system call,
renameat2(RENAME_EXCHANGE): whenever the build is killed, the output folder is either the old
one or the new one, whole. The old one, now under the staging name, is removed; a staging
folder a killed build left behind is removed by the next build.

Where the swap cannot be made (not Linux, a file system without it, an output folder that is a
mount point or holds folders of its own), the files are moved one by one, the manifest last.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from ..read.sources import umask
from .cache import PACKS

STAGING = ".vnr-staging-"  # staging folders stand beside the output folder: .vnr-staging-build-1a2b3c


def replace_outputs(out_dir: Path, files: dict[str, bytes], last: str | None = None,
                    drop: set[str] = frozenset()) -> None:
    """Make `out_dir` hold `files` (and whatever else it held but `drop`) in one step; `last`:
    the file written last where the files must be moved one by one (the manifest)."""
    out_dir = out_dir.absolute()
    out_dir.mkdir(parents=True, exist_ok=True)
    with _locked(out_dir):
        remove_leftovers(out_dir)  # under the lock, any staging folder is one a killed build left
        try:
            _swap_in(out_dir, files, drop)
        except _CannotSwap:
            _move_in(out_dir, files, last, drop)


def remove_leftovers(out_dir: Path) -> None:
    """Staging folders of builds into `out_dir` that were killed (and vnr's older ones inside it)."""
    for leftover in [*out_dir.parent.glob(f"{STAGING}{out_dir.name}-*"), *out_dir.glob(".vnr-*")]:
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)


class _CannotSwap(Exception):
    pass


def _swap_in(out_dir: Path, files: dict[str, bytes], drop: set[str]) -> None:
    kept = [e for e in _entries(out_dir) if e not in files and e not in drop]
    if out_dir.is_symlink() or any((out_dir / e).is_dir() and not (out_dir / e).is_symlink() for e in kept):
        raise _CannotSwap  # a linked output folder, or folders of the user's in it: leave them be
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING}{out_dir.name}-", dir=out_dir.parent))
    os.chmod(staging, 0o777 & ~umask())  # mkdtemp makes it 0700: it becomes the output folder
    try:
        for entry in kept:
            _folder(staging, entry)
            try:
                os.link(out_dir / entry, staging / entry, follow_symlinks=False)
            except OSError as exc:
                raise _CannotSwap from exc
        for name, data in files.items():
            _folder(staging, name)
            with open(staging / name, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())  # on disk before the swap makes them the outputs
        _pause("staged")
        _exchange(staging, out_dir)
        _pause("swapped")
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # after the swap: the old outputs


def _entries(out_dir: Path) -> list[str]:
    """What the output folder holds, by name: vnr's own subfolder (the packs) by its files."""
    found = []
    for entry in out_dir.iterdir():
        own = entry.name == PACKS and entry.is_dir() and not entry.is_symlink()
        found += [f"{PACKS}/{e.name}" for e in entry.iterdir()] if own else [entry.name]
    return found


def _folder(root: Path, name: str) -> None:
    """The subfolder an output goes in (groups/ for the packs), made as the output folder is."""
    if "/" in name:
        (root / name).parent.mkdir(exist_ok=True, mode=0o777 & ~umask())


def _move_in(out_dir: Path, files: dict[str, bytes], last: str | None, drop: set[str]) -> None:
    staging = Path(tempfile.mkdtemp(prefix=".vnr-", dir=out_dir))
    try:
        for name, data in files.items():
            _folder(staging, name)
            (staging / name).write_bytes(data)
        for name in sorted(files, key=lambda n: n == last):
            _folder(out_dir, name)
            os.replace(staging / name, out_dir / name)
        for name in drop:  # after the manifest: never a manifest listing a file already gone
            with contextlib.suppress(FileNotFoundError):
                (out_dir / name).unlink()
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _exchange(a: Path, b: Path) -> None:
    """Swap two folders' names atomically."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None) if sys.platform == "linux" else None
    if renameat2 is None:
        raise _CannotSwap
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) != 0:
        code = ctypes.get_errno()
        if code in (errno.EINVAL, errno.ENOSYS, errno.EXDEV, errno.EPERM, errno.ENOTSUP):
            raise _CannotSwap
        raise OSError(code, os.strerror(code), str(a), None, str(b))


@contextlib.contextmanager
def _locked(out_dir: Path):
    """Two builds into one folder publish one after the other. The lock is on the folder that
    holds the output folder, which no swap replaces, so it leaves no file behind."""
    fd = os.open(out_dir.parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _pause(step: str) -> None:
    """Tests kill a build here: VNR_TEST_PAUSE=<step> stops it at that step for a minute."""
    if os.environ.get("VNR_TEST_PAUSE") == step:
        print(f"vnr: paused at {step}", file=sys.stderr, flush=True)
        time.sleep(60)
