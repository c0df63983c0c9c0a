"""The Jinja sandbox chapter bodies run in, with bounds on time and size.

Jinja's sandbox keeps a body from reaching Python's internals, and caps one `range` at 100,000
items, but not the work: two nested loops run for hours, and `"word " * 3000000` makes a 15 MB
body that WeasyPrint then lays out for minutes. The bounds below are far above any real chapter
(the sample's largest body renders to 2,865 characters; its slowest, with compiling, in 10 ms)
and low enough that `vnr check` fails in seconds:

- a body renders in at most MAX_SECONDS, else it stops at the line it was running;
- it renders to at most MAX_CHARS characters (about 300 pages of text), counted while it renders;
- an operation that would make a string or list beyond MAX_CHARS (`*`), a power with a huge
  exponent, or a padding or format width above MAX_WIDTH is refused before it allocates anything.

It also says where in a body something happened: the line a function of the body's namespace is
called from (`render`'s `lined`), the line an error was raised at (`failing_line`).
"""

from __future__ import annotations

import contextlib
import functools
import re
import signal
import sys
import threading
import time
import traceback
from typing import Any, Callable, Iterator

from jinja2 import StrictUndefined, Template, TemplateError
from jinja2.sandbox import SandboxedEnvironment

MAX_SECONDS = 2.0
MAX_CHARS = 1_000_000
MAX_WIDTH = 10_000
MAX_EXPONENT = 1_000
WIDTH_METHODS = {"center", "ljust", "rjust", "zfill", "expandtabs"}
WIDTH_FILTERS = ("center", "indent", "format")  # |center(width), |indent(width), "%9999d"|format
# a width or precision in a %-format or a {}-format: "%9999d", "{:>99999}", "{0:.99999f}"
FORMAT_WIDTH = re.compile(r"(?:%[-+ #0]*|\{[^{}]*:[^{}]*?)(\d{5,})")
CODE_FILE = "<template>"  # the file name Jinja gives the code it compiles a template string to


class BodyLimit(TemplateError):
    """A body went past one of the bounds; the message says which."""

    lineno: int | None = None  # the body's line, where no template frame in the traceback says it


def _size(seq) -> int:
    """What repeating `seq` once costs: characters, or for a list its items' characters (a list of
    one long string, repeated and joined, is as large as the string repeated)."""
    if isinstance(seq, str):
        return len(seq)
    return sum(len(item) if isinstance(item, str) else 1 for item in seq) or 1


def _check_width(value: Any) -> None:
    """An int is a width; a string may hold widths in its format specifiers."""
    if isinstance(value, int) and not isinstance(value, bool) and value > MAX_WIDTH:
        raise BodyLimit(f"a width of {value:,} is more than a chapter needs (at most {MAX_WIDTH:,})")
    if isinstance(value, str):
        for width in FORMAT_WIDTH.findall(value):
            _check_width(int(width))


class BoundedSandbox(SandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "%"})

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int) and _size(seq) * times > MAX_CHARS:
                    what = "characters" if isinstance(seq, str) else "characters of a list"
                    raise BodyLimit(f"repeating {_size(seq):,} {what} {times:,} times would make more than "
                                    f"{MAX_CHARS:,}, the most a body may render to")
        elif operator == "**":
            if isinstance(right, int) and abs(right) > MAX_EXPONENT and isinstance(left, int) and abs(left) > 1:
                raise BodyLimit(f"an exponent of {right:,} is too large")
        elif operator == "%" and isinstance(left, str):
            _check_width(left)  # the widths written in the format; a `*` width takes the next value
            if "*" in left:
                for value in right if isinstance(right, tuple) else (right,):
                    _check_width(value)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja's own signature)
        name = getattr(__obj, "__name__", "")
        if name in WIDTH_METHODS:  # "x".center(10**9)
            for value in (*args, *kwargs.values()):
                _check_width(value)
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any):
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:  # "{:>999999}".format(1): the widths are in the format string
            _check_width(value.__self__)
        return wrapped


def environment(filters: dict, depends_on: str) -> BoundedSandbox:
    """The sandbox, with `filters`, whose results depend on `depends_on` alone (the build language):
    environments of the same `depends_on` share their compiled bodies (`_template`)."""
    env = BoundedSandbox(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
    env.depends_on = depends_on
    env.filters.update(filters)
    for name in WIDTH_FILTERS:
        env.filters[name] = _bounded_filter(env.filters[name])
    return env


def _bounded_filter(function):
    @functools.wraps(function)  # keeps Jinja's pass_environment/pass_context marks
    def bounded(*args, **kwargs):
        # center and indent: the width after the value; format: the widths in its format string
        for value in (*args[1:], *kwargs.values()) if function.__name__ != "do_format" else args[:1]:
            _check_width(value)
        return function(*args, **kwargs)

    return bounded


def render(env: BoundedSandbox, source: str, scope: dict, lined: dict[str, Callable[..., str]] | None = None) -> str:
    """The body rendered within the bounds, or BodyLimit raised where it went past one.

    The functions in `lined` join the scope: each gets the body's line of the call first, then
    the arguments the body gives. A body sees a plain function, whose insides (`__closure__`) the
    sandbox keeps from it.
    """
    out, size = [], 0
    template = _template(env, source)
    scope = {**scope, **{name: _with_line(function, template) for name, function in (lined or {}).items()}}
    with time_limit(MAX_SECONDS):
        chunks = template.generate(scope)
        for chunk in chunks:
            size += len(chunk)
            if size > MAX_CHARS:
                error = BodyLimit(f"the body renders to more than {MAX_CHARS:,} characters (a runaway loop?)")
                running = getattr(chunks, "gi_yieldfrom", None)  # the template's code, paused at this output
                if running is not None and running.gi_frame is not None:
                    error.lineno = template.get_corresponding_lineno(running.gi_frame.f_lineno)
                raise error
            out.append(chunk)
    return "".join(out)


_COMPILED: dict[tuple, object] = {}  # (source, depends_on) -> Jinja's code: the preview renders the same bodies again
_COMPILED_MAX = 4096


def _template(env: BoundedSandbox, source: str) -> Template:
    """`env.from_string(source)`, compiled once per text and language. Jinja works out constant
    expressions when it compiles, filters included: `{{ 1234567.5 | number }}` is "1,234,567.5" in
    the code of an English build and must not be a Russian build's."""
    key = (source, env.depends_on)
    code = _COMPILED.get(key)
    if code is None:
        code = env.compile(source)
        if len(_COMPILED) >= _COMPILED_MAX:
            _COMPILED.clear()
        _COMPILED[key] = code
    return env.template_class.from_code(env, code, env.make_globals(None))


def _with_line(function: Callable[..., str], template: Template) -> Callable[..., str]:
    def called(*args, **kwargs) -> str:
        return function(running_line(template), *args, **kwargs)

    return called


def running_line(template: Template) -> int:
    """The body's line whose code runs now: the innermost of the template's frames on the stack,
    its line mapped back to the body's (the compiled code's lines are not the body's)."""
    lines = [frame.lineno for frame in traceback.extract_stack() if frame.filename == CODE_FILE]
    return template.get_corresponding_lineno(lines[-1]) if lines else 1


def failing_line(exc: BaseException) -> int:
    """The body's line an error was raised at: Jinja rewrites tracebacks so that the template's
    frames carry the body's line numbers."""
    lines = [frame.lineno for frame in traceback.extract_tb(exc.__traceback__) if frame.filename == CODE_FILE]
    return lines[-1] if lines else 1


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise BodyLimit in the code running when `seconds` have passed.

    In the main thread a timer signal interrupts the loop at no cost; elsewhere (a thread of
    `vnr preview`) a trace function looks at the clock on every line of the body's code.
    """
    message = f"the body took longer than {seconds:g} s to render (a runaway loop?)"

    def expire(*_):
        raise BodyLimit(message)

    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        previous = signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        return
    deadline = time.monotonic() + seconds

    def trace(frame, event, arg):
        if time.monotonic() > deadline:
            expire()
        return trace

    previous = sys.gettrace()
    sys.settrace(trace)
    try:
        yield
    finally:
        sys.settrace(previous)
