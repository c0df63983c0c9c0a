"""No body, however written, makes a command hang or exhaust memory: each bound is an error at
the body's line, reported by `vnr check` as by `vnr build`, with the build folder untouched."""

from __future__ import annotations

import pytest
from helpers import errors, put, vnr

from vnr.build import Options, build

RUNAWAY = [
    ("{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
     "the body took longer than 2 s to render (a runaway loop?)"),
    ("{% for i in range(99999) %}{{ range(9999) | join(',') }}{% endfor %}",
     "the body renders to more than 1,000,000 characters (a runaway loop?)"),
    ('{{ "word " * 3000000 }}',
     "repeating 5 characters 3,000,000 times would make more than 1,000,000, the most a body may render to"),
    ("{{ [1, 2] * 999999 }}", "repeating 2 characters of a list 999,999 times would make more than 1,000,000"),
    ('{{ (["x" * 999999] * 5000) | join }}',
     "repeating 999,999 characters of a list 5,000 times would make more than 1,000,000"),
    ("{{ 10 ** 99999999 }}", "an exponent of 99,999,999 is too large"),
    ('{{ "x".center(999999999) }}', "a width of 999,999,999 is more than a chapter needs (at most 10,000)"),
    ('{{ "%999999999d" % 1 }}', "a width of 999,999,999 is more than a chapter needs"),
    ('{{ "{:>999999999}".format(1) }}', "a width of 999,999,999 is more than a chapter needs"),
    ('{{ "{x:.99999f}".format_map({"x": 1.5}) }}', "a width of 99,999 is more than a chapter needs"),
    ('{{ "a" | center(99999999) }}', "a width of 99,999,999 is more than a chapter needs"),
    ('{{ "a" | indent(99999999) }}', "a width of 99,999,999 is more than a chapter needs"),
    ('{{ "%99999999d" | format(1) }}', "a width of 99,999,999 is more than a chapter needs"),
    ("{% macro deeper(n) %}{{ deeper(n + 1) }}{% endmacro %}{{ deeper(0) }}",
     "template error: RecursionError: maximum recursion depth exceeded"),
]


@pytest.mark.parametrize("expression, message", RUNAWAY, ids=[m[:40] for _, m in RUNAWAY])
def test_a_runaway_body_is_an_error_at_its_line(project, expression, message):
    put(project, "chapters/x.yaml", f"id: x\ntitle: X\nbody: |\n  Fine.\n\n  {expression}\n")
    found = errors(project)
    assert any(line.startswith("chapters/x.yaml:6:3: error: template error: ") and message in line
               for line in found), found


def test_numbers_and_widths_a_chapter_uses_are_fine(project, tmp_path):
    put(project, "chapters/x.yaml", "id: x\ntitle: X\nbody: |\n"
        '  {{ "%d" % 2000000 }} {{ "%d" | format(2000000) }} {{ "{:,}".format(2000000) }} {{ 2 ** 10 }} {{ "ab" * 3 }}'
        ' {{ "x" | center(21) | trim }} {{ range(99999) | join(",") | length }}\n')
    out = tmp_path / "out"
    build(Options(project, out, formats=("html",), revision="r"))
    html = (out / "review.html").read_text(encoding="utf-8")
    assert f"2000000 2000000 2,000,000 1024 ababab x {len(','.join(map(str, range(99999))))}" in html


def test_every_runaway_body_in_one_run_and_the_build_folder_untouched(project):
    assert vnr("build", str(project), "--format", "html").returncode == 0
    stamps = {p.name: p.stat().st_mtime_ns for p in (project / "build").iterdir()}
    for n, (expression, _) in enumerate(RUNAWAY[:3]):
        put(project, f"chapters/x{n}.yaml", f"id: x{n}\ntitle: X\nbody: |\n  {expression}\n")
    done = vnr("build", str(project), "--format", "html")
    assert done.returncode == 1
    assert [line.split(": error:")[0] for line in done.stderr.splitlines()[:3]] == \
        ["chapters/x0.yaml:4:3", "chapters/x1.yaml:4:3", "chapters/x2.yaml:4:3"]
    assert "Traceback" not in done.stderr
    assert {p.name: p.stat().st_mtime_ns for p in (project / "build").iterdir()} == stamps


def test_an_oversized_file_is_an_error_without_reading_it_whole(project):
    put(project, "feedback/kz-75-huge.yaml", "region: KZ-75\n" + "# notes\n" * 1_300_000)
    assert "feedback/kz-75-huge.yaml:1:1: error: file is larger than 10 MB: split it " \
           "(a chapter or a seminar is far smaller)" in errors(project)


def test_a_text_repeated_by_alias_past_what_a_file_holds_is_an_error_at_its_place(project):
    """2 MB of responses that name one long text by alias would put 273 MB of text in the review."""
    keys = [f"kz-75-leb/{c}" for c in ("waste-1", "heat-1")] + ["kz-11-residents/school-1"]
    text = "Жылу беру желілерін жаңарту жоспары әзірленуде. " * 2000  # 96,000 characters
    body = f"{keys[0]}:\n  status: noted\n  text: &reply \"{text}\"\n"
    body += "".join(f"{k}:\n  status: noted\n  text: *reply\n" for k in keys[1:])
    put(project, "responses/all.yaml", body)
    assert vnr("check", str(project)).returncode == 0  # three copies: 288,000 characters, fine
    many = "".join(f"k{n}: &a{n} [*reply, *reply, *reply, *reply, *reply, *reply, *reply, *reply, *reply, *reply]\n"
                   for n in range(12))
    put(project, "responses/all.yaml", body + many)
    found = errors(project)
    assert len(found) == 1 and found[0].startswith("responses/all.yaml:20:6: error: aliases expand this file past "), found  # k10: its list
    code = vnr("build", str(project), "--format", "html")
    assert code.returncode == 1 and not (project / "build").exists()


def test_an_alias_bomb_in_any_yaml_the_build_reads_is_one_error(project):
    nested = "x0: &x0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(
        f"x{i}: &x{i} [" + ", ".join([f"*x{i - 1}"] * 10) + "]\n" for i in range(1, 9))
    for rel in ("responses/all.yaml", "reviews/ministry.yaml", "feedback/kz-10-leb.yaml", "vnr.yaml"):
        put(project, rel, nested)
    found = errors(project)
    assert sorted(line.split(":")[0] for line in found) == sorted(
        ["responses/all.yaml", "reviews/ministry.yaml", "feedback/kz-10-leb.yaml", "vnr.yaml"]), found
    assert all("aliases expand this file past what a file may hold" in line for line in found)


@pytest.mark.parametrize("char", ["\r", "\x7f", "\x00", "\x1b"])
def test_a_control_character_in_any_text_is_an_error_at_it(project, char):
    escaped = "\\x%02x" % ord(char)
    put(project, "responses/all.yaml", f'kz-75-leb/waste-1:\n  status: noted\n  text: "Noted{escaped}."\n')
    assert errors(project) == [f"responses/all.yaml:3:9: error: text contains the control character "
                               f"U+{ord(char):04X}, which no output can hold"]


def test_a_text_longer_than_a_value_may_hold_is_an_error(project):
    put(project, "responses/all.yaml", f'kz-75-leb/waste-1:\n  status: noted\n  text: "{"x" * 100_001}"\n')
    assert errors(project) == ["responses/all.yaml:3:9: error: text of 100,001 characters: at most 100,000 fit "
                               "one value"]
