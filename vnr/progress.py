"""Stages and elapsed time on the terminal for long builds; silent elsewhere or with --quiet."""

from __future__ import annotations

import contextlib
import time


class Progress:
    def __init__(self, enabled: bool):
        self.console = None
        if enabled:
            from rich.console import Console

            self.console = Console(stderr=True, highlight=False)
        self.started = time.monotonic()
        self.timings: dict[str, float] = {}

    @contextlib.contextmanager
    def stage(self, name: str):
        began = time.monotonic()
        status = self.console.status(f"{name}…") if self.console else contextlib.nullcontext()
        with status:
            yield
        self.timings[name] = time.monotonic() - began
        if self.console:
            self.console.print(f"[green]✓[/] {name:<24} {self.timings[name]:6.1f} s"
                               f"   [dim](elapsed {time.monotonic() - self.started:.1f} s)[/]")
