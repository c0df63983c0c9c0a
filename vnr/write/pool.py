"""The WeasyPrint processes of a build: `jobs` of `python -m vnr.write.weasy`, started early so that
they import WeasyPrint while the build reads the project.

A request goes to one process (`submit(worker, method, *args)`), or to whichever is idle first
(`worker=None`); `next()` waits for the next answer. One request at a time per process; each
process's pipe is read by a thread of its own. A process that dies takes the build with it: killed
(by the kernel's out-of-memory killer, most often) it is a `MachineFailure`, said in words; failed
with a Python error, a bug in vnr, shown with the last line of its log.
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import tempfile
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from ..base.errors import MachineFailure


def default_jobs() -> int:
    """The cores this process may run on (a container's or `taskset`'s share, not the machine's)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def processes(asked: int | None) -> int:
    """How many processes to start for `--jobs asked`: the cores by default, and never more than
    twice the cores (at least 4): each holds WeasyPrint and its pages, and more processes than
    cores lay out no faster. `--jobs 256` on a laptop would otherwise start 256 of them."""
    cores = default_jobs()
    return min(asked or cores, max(4, 2 * cores))


class Process:
    def __init__(self):
        self.log = tempfile.TemporaryFile()  # WeasyPrint's warnings: a pipe nobody reads could fill up
        self.process = subprocess.Popen([sys.executable, "-m", "vnr.write.weasy", str(os.getpid())],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log)
        self.thread = ThreadPoolExecutor(1, thread_name_prefix="vnr-pdf")

    def call(self, method: str, args: tuple):
        try:
            pickle.dump((method, args), self.process.stdin)
            self.process.stdin.flush()
            return pickle.load(self.process.stdout)
        except (BrokenPipeError, EOFError, pickle.UnpicklingError):  # it ended before its answer was out
            self.process.wait()
        if self.process.returncode < 0:
            raise MachineFailure(killed(-self.process.returncode))
        self.log.seek(0)
        last = self.log.read().decode("utf-8", "replace").strip().splitlines()[-1:]
        raise RuntimeError(f"the PDF process failed: {last}")  # a Python error in it: a bug in vnr

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.thread.shutdown(wait=True)
        self.log.close()


@dataclass
class Task:
    worker: int | None  # None: any
    method: str
    args: tuple
    priority: int = 0  # among tasks for any worker, the highest goes first
    tag: object = None  # the caller's: given back with the answer
    future: Future | None = field(default=None, repr=False)
    ran_on: int = -1


class Pool:
    def __init__(self, jobs: int):
        self.processes = [Process() for _ in range(max(1, jobs))]
        self.queued: list[Task] = []
        self.running: dict[int, Task] = {}  # worker -> its task

    def __len__(self) -> int:
        return len(self.processes)

    def submit(self, worker: int | None, method: str, *args, priority: int = 0, tag=None) -> Task:
        task = Task(worker, method, args, priority, tag)
        self.queued.append(task)
        return task

    def every(self, method: str, *args) -> None:
        """Ask every process the same and wait for all of them."""
        if self.busy():
            raise RuntimeError("every() waits for its own tasks only")
        for worker in range(len(self)):
            self.submit(worker, method, *args)
        while self.busy():
            self.next()

    def busy(self) -> bool:
        return bool(self.queued or self.running)

    def next(self) -> Task:
        """Start what can start, then wait for a task to end; that task, with `ran_on` set and its
        answer in `task.future.result()`."""
        self._dispatch()
        if not self.running:
            raise RuntimeError("no task is running or queued")
        done, _ = wait([t.future for t in self.running.values()], return_when=FIRST_COMPLETED)
        worker = next(w for w, t in self.running.items() if t.future in done)
        task = self.running.pop(worker)
        task.future.result()  # a failure ends the build here
        return task

    def _dispatch(self) -> None:
        # Work for one process first (drawing what it holds frees its memory), then by priority.
        self.queued.sort(key=lambda t: (t.worker is None, -t.priority))
        for task in list(self.queued):
            idle = [w for w in range(len(self)) if w not in self.running]
            if not idle:
                break
            worker = task.worker if task.worker is not None else idle[0]
            if worker in self.running:
                continue
            self.queued.remove(task)
            task.ran_on = worker
            task.future = self.processes[worker].thread.submit(self.processes[worker].call, task.method, task.args)
            self.running[worker] = task

    def kill(self) -> None:
        """End the processes now, from any thread; the thread that owns the pool calls `stop`."""
        for process in self.processes:
            if process.process.poll() is None:
                process.process.kill()

    def stop(self) -> None:
        self.kill()  # all at once, then each waited for
        for process in self.processes:
            process.stop()
        self.queued, self.running = [], {}

    def pids(self) -> list[int]:
        return [p.process.pid for p in self.processes]


def killed(number: int) -> str:
    try:
        name = f" ({signal.Signals(number).name})"
    except ValueError:
        name = ""
    why = ", most likely by the kernel for lack of memory" if number == signal.SIGKILL else ""
    return f"the PDF layout process was killed by signal {number}{name}{why}"
