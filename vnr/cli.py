"""The command line: every command's arguments, the pipeline run, problems reported, the exit status."""

from __future__ import annotations

import argparse
import errno
import os
import sys
import time
import traceback
from pathlib import Path

from . import __version__
from .base.errors import InputError, MachineFailure, UsageError
from .base.framework import LANGUAGES
from .build import ALL_GROUPS, PACK_FORMATS, Options, build, diff, read
from .model import EDITIONS, FORMATS
from .progress import Progress
from .read import maps


def _formats(value: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))
    unknown = [v for v in chosen if v not in FORMATS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"unknown format {', '.join(unknown) or value!r} (choose from {', '.join(FORMATS)})")
    return chosen


def _jobs(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 256:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of processes from 1 to 256")
    return int(value)


def warn(line: str) -> None:
    """A warning: on standard error, with the errors, even with --quiet."""
    print(line, file=sys.stderr, flush=True)


def echo(line: str) -> None:
    """Print to standard output; a reader that stopped reading (`vnr build | head -1`) gets no
    more lines, and the command goes on to the end, as it would have without the pipe."""
    try:
        print(line, flush=True)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="vnr", description="Assemble a Voluntary National Review from YAML sources.")
    p.add_argument("--version", action="version", version=f"vnr {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the review (PDF, DOCX, HTML and a manifest)")
    b.add_argument("path", nargs="?", default=".", type=Path, help="project directory (default: .)")
    b.add_argument("-o", "--out", type=Path, help="output directory (default: PATH/build)")
    b.add_argument("--format", type=_formats, default=FORMATS, help="comma-separated: pdf,docx,html (default: all)")
    b.add_argument("--edition", choices=EDITIONS, default="review", help="review (annotated, default) or public")
    b.add_argument("--lang", choices=LANGUAGES, help="language of everything vnr writes (default: vnr.yaml)")
    b.add_argument("--revision", help="revision stamp (default: git describe, else 'unversioned')")
    b.add_argument("--archive", action="store_true",
                   help="also write archive.pdf: PDF/A-3b with every source file embedded")
    b.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    b.add_argument("--since", metavar="REV",
                   help="add 'Changes since REV' (a git revision) to the reviewers' edition")
    b.add_argument("--strict", action="store_true", help="treat warnings as errors (for CI)")
    b.add_argument("--jobs", type=_jobs, metavar="N",
                   help="processes laying out the PDF (default: the cores vnr may use; at most twice as many, and "
                        "at least 4 may be asked for); the PDF is the same for any N")
    packs = b.add_mutually_exclusive_group()
    packs.add_argument("--group", metavar="ID",
                       help="also write working group ID's pack: build/groups/ID.pdf and .docx (its chapters, "
                            "comments, responses and open reviewers' notes)")
    packs.add_argument("--groups", action="store_true", help="also write every working group's pack")
    c = sub.add_parser("check", help="validate the project; writes nothing")
    c.add_argument("path", nargs="?", default=".", type=Path, help="project directory (default: .)")
    c.add_argument("--strict", action="store_true", help="treat warnings as errors (for CI)")
    e = sub.add_parser("export", help="write the project's feedback as a feedback workbook (.xlsx)")
    e.add_argument("out", type=Path, metavar="OUT.xlsx", help="the workbook to write")
    e.add_argument("--path", default=Path("."), type=Path, help="project directory (default: .)")
    e.add_argument("--force", action="store_true", help="overwrite OUT.xlsx if it exists")
    e.add_argument("--responses", action="store_true",
                   help="write the responses workbook: each comment with its status, response and place")
    e.add_argument("--group", metavar="ID", help="with --responses: the comments of this working group only")
    i = sub.add_parser("import", help="turn feedback workbooks and form exports into feedback/*.yaml, "
                                      "responses workbooks into responses/*.yaml")
    i.add_argument("files", nargs="+", type=Path, metavar="FILE", help=".xlsx or .csv files")
    i.add_argument("--path", default=Path("."), type=Path, help="project directory (default: .)")
    i.add_argument("--mapping", type=Path, metavar="MAP.yaml", help="how another export's columns map to fields")
    i.add_argument("--update", action="store_true", help="write values that differ from the seminar's file: seminar fields, head counts, "
                        "priorities, comments whose id exists; responses that differ from responses/")
    i.add_argument("--dry-run", action="store_true", help="say what would be written; write nothing")
    k = sub.add_parser("collect", help="bring reviewers' notes from returned PDF and DOCX files into reviews/")
    k.add_argument("files", nargs="*", type=Path, metavar="FILE", help="returned reviewers' editions")
    k.add_argument("--path", default=Path("."), type=Path, help="project directory (default: .)")
    k.add_argument("--summary", action="store_true", help="only print how many notes per reviewer and per part")
    d = sub.add_parser("diff", help="print what changed in the sources between two git revisions")
    d.add_argument("rev", help="the earlier revision")
    d.add_argument("rev2", nargs="?", help="the later revision (default: the working tree)")
    d.add_argument("--path", default=Path("."), type=Path, help="project directory (default: .)")
    v = sub.add_parser("preview", help="serve the review on 127.0.0.1 and rebuild it after every change")
    v.add_argument("path", nargs="?", default=".", type=Path, help="project directory (default: .)")
    v.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000; 0: any free port)")
    v.add_argument("--edition", choices=EDITIONS, default="review", help="review (annotated, default) or public")
    v.add_argument("--lang", choices=LANGUAGES, help="language of everything vnr writes (default: vnr.yaml)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    root = args.path
    if not root.is_dir():
        print(f"vnr: error: {root}: not a directory", file=sys.stderr)
        return 2
    started = time.monotonic()
    try:
        if args.command == "import":
            missing = [f for f in [*args.files, *([args.mapping] if args.mapping else [])] if not f.is_file()]
            if missing:
                print(f"vnr: error: {missing[0]}: no such file", file=sys.stderr)
                return 2
            from .feedback import responses_book
            from .feedback.importer import run

            if args.mapping is None and any(map(responses_book.recognised, args.files)):
                responses_book.run(root, args.files, args.update, args.dry_run, say=echo)
            else:
                run(root, args.files, args.mapping, args.update, args.dry_run, say=echo)
            return 0
        if args.command == "export":
            if args.group is not None and not args.responses:
                print("vnr export: error: --group needs --responses (the feedback workbook holds every seminar)",
                      file=sys.stderr)
                return 2
            if args.out.suffix.lower() != ".xlsx":
                print(f"vnr: error: {args.out}: the feedback workbook is an .xlsx file", file=sys.stderr)
                return 2
            from .feedback.workbook import export
            from .read.load import load

            if args.out.exists() and not args.force:
                print(f"vnr: error: {args.out}: the file exists; nothing was written (--force overwrites it)",
                      file=sys.stderr)
                return 1
            project = load(root)
            if args.responses:
                from .feedback import responses_book

                group = project.settings.groups.get(args.group) if args.group is not None else None
                if args.group is not None and group is None:
                    print(f"vnr export: error: {responses_book.unknown_group(project, args.group)}", file=sys.stderr)
                    return 2
                comments, answered = responses_book.export(project, args.out, group)
                echo(f"wrote {args.out}: {comments} comments" + (f" of group {group.id}" if group else "") +
                     f", {answered} with a response")
                return 0
            export(project, args.out)
            echo(f"wrote {args.out}: {len(project.seminars)} seminars, {len(project.comments)} comments")
            return 0
        if args.command == "collect":
            from .base.errors import Problems
            from .collect.reviews import collect, files_as_written, summary
            from .read.load import read_project

            if args.summary or not args.files:
                if not args.summary:
                    print("vnr collect: error: name the returned files to collect (or --summary)", file=sys.stderr)
                    return 2
                chapters = read_project(root, Problems()).chapters  # the notes may sit at places gone since
                for line in summary(files_as_written(root), chapters) or ["reviewers' notes: none collected"]:
                    echo(line)
                return 0
            missing = [f for f in args.files if not f.is_file()]
            if missing:
                print(f"vnr: error: {missing[0]}: no such file", file=sys.stderr)
                return 2
            collect(root, args.files, say=echo)
            return 0
        if args.command == "diff":
            for line in diff(root, args.rev, args.rev2):
                echo(line)
            return 0
        if args.command == "preview":
            from .preview import Preview

            if not 0 <= args.port <= 65535:
                print(f"vnr: error: --port {args.port}: not a port (0 to 65535)", file=sys.stderr)
                return 2
            return Preview(root.resolve(), args.edition, args.lang, say=echo).serve(args.port)
        if args.command == "check":
            project, review = read(root, None, "review", "check", strict=args.strict)
            for warning in review.warnings:
                warn(str(warning))
            f = review.figures
            said = f", {len(review.warnings)} warning(s)" if review.warnings else ""
            echo(f"{root}: ok: {len(review.chapters)} chapters, {f.seminars} seminars, {f.comments} comments{said}")
            no_map = maps.absent(project.framework, project.settings.map)
            if no_map:  # not a warning: a project may well have no map; but say why there is none
                echo(f"{root}: {no_map}")
            return 0
        out = args.out or root / "build"
        groups = ALL_GROUPS if args.groups else (args.group,) if args.group else None
        if groups and args.edition != "review":
            print("vnr: error: a working group's pack is the reviewers' edition: --group and --groups "
                  "go without --edition public", file=sys.stderr)
            return 2
        if groups and not set(args.format) & set(PACK_FORMATS):
            print("vnr: error: a working group's pack is a PDF and a DOCX: add pdf or docx to --format",
                  file=sys.stderr)
            return 2
        say = (lambda line: None) if args.quiet else echo
        progress = Progress(sys.stderr.isatty() and not args.quiet)
        written = build(Options(root, out, args.format, args.edition, args.lang, args.revision, args.archive,
                                args.since, args.strict, args.jobs, groups), say=say, progress=progress, warn=warn)
    except InputError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic, file=sys.stderr)
        print(f"vnr: {len(exc.diagnostics)} error(s); nothing was written", file=sys.stderr)
        return 1
    except UsageError as exc:
        print(f"vnr: error: {exc}; nothing was written", file=sys.stderr)
        return 2
    except MachineFailure as exc:
        print(f"vnr: {exc}; nothing was written", file=sys.stderr)
        return 3
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT, errno.ENOMEM):
            return _bug(exc)
        print(f"vnr: the machine failed the build: {exc.strerror} ({exc.filename or 'writing the outputs'}); "
              "nothing was written", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        print("vnr: interrupted; outputs left as they were", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug in vnr, not in the input
        return _bug(exc)
    if written:
        say(f"built in {time.monotonic() - started:.1f} s")
    return 0


def _bug(exc: BaseException) -> int:
    if os.environ.get("VNR_DEBUG"):
        traceback.print_exception(exc)
    where = traceback.extract_tb(exc.__traceback__)[-1]
    print(f"vnr: internal error: {type(exc).__name__}: {exc} (at {Path(where.filename).name}:{where.lineno}); "
          "outputs left as they were.\nThis is a bug in vnr, not in your input: please report it with this "
          "message and the output of `VNR_DEBUG=1 vnr ...`.", file=sys.stderr)
    return 3


if __name__ == "__main__":
    sys.exit(main())
