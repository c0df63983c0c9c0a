"""Bad input: every problem at its exact path:line:column, exit 1, nothing written."""

from __future__ import annotations

import pytest
from helpers import errors, named, put, run

SEMINAR = """\
region: KZ-43
city: Kyzylorda
date: 2022-04-02
audience: residents
participants:
  civil_society: 12
comments:
  - id: water-1
    text: "Drinking water comes two hours a day."
    goals: [6]
    kind: problem
    from: civil_society
"""

CASES = [
    # (file, content, expected error line)
    ("chapters/x.yaml", "id: x\ntitle: [unclosed\n",
     "chapters/x.yaml:3:1: error: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence)"),
    ("chapters/x.yaml", "id: x\ntitle: X\ntitle: Y\n",
     "chapters/x.yaml:3:1: error: duplicate key 'title' (first at line 2)"),
    ("chapters/x.yaml", "id: x\ntitel: X\n",
     "chapters/x.yaml:2:1: error: unknown key 'titel'; did you mean 'title'?"),
    ("chapters/x.yaml", "id: x\ngoals: [6]\n",
     "chapters/x.yaml:1:1: error: missing required key 'title'"),
    ("chapters/x.yaml", "id: x\ntitle: X\norder: first\n",
     "chapters/x.yaml:3:8: error: expected a whole number, got text"),
    ("chapters/x.yaml", "id: x\ntitle: X\ngoals: 6\n",
     "chapters/x.yaml:3:8: error: expected a list, got a whole number"),
    ("chapters/x.yaml", "id: x\ntitle: X\ngoals: [6, 18]\n",
     "chapters/x.yaml:3:12: error: goal must be at most 17, got 18"),
    ("chapters/x.yaml", "id: x\ntitle: X\nsections:\n  - id: x-1\n    title: S\n    targets: [\"6.1\", \"6.9\"]\n",
     "chapters/x.yaml:6:22: error: unknown target '6.9'"),
    ("chapters/x.yaml", "id: X_1\ntitle: X\n",
     "chapters/x.yaml:1:5: error: invalid chapter id 'X_1'"),
    ("chapters/x.yaml", "id: intro\ntitle: Again\n",
     "chapters/x.yaml:1:5: error: duplicate chapter id 'intro' (first defined at chapters/intro.yaml:1:5)"),
    ("chapters/x.yaml", "id: x\ntitle: X\nsections:\n  - id: sdg-07-heat\n    title: S\n",
     "chapters/x.yaml:4:9: error: duplicate section id 'sdg-07-heat' (first defined at chapters/sdg-07.yaml:18:9)"),
    ("chapters/x.yaml", "", "chapters/x.yaml:1:1: error: file is empty"),
    ("chapters/x.yaml", "# only a comment\n", "chapters/x.yaml:1:1: error: file is empty"),
    ("chapters/x.yaml", b"id: x\ntitle: \"Caf\xe9\"\n", "chapters/x.yaml:2:12: error: file is not valid UTF-8"),
    ("chapters/x.yaml", "id: x\ntitle: X\nbody: |\n  Fine.\n\n  We heard {{ consultations.participants.totl }} people.\n",
     "chapters/x.yaml:6:3: error: template error: 'dict object' has no attribute 'totl'"),
    ("chapters/x.yaml", "id: x\ntitle: X\nbody: |\n  Fine.\n  {{ secrets }}\n",
     "chapters/x.yaml:5:3: error: template error: 'secrets' is undefined"),
    ("chapters/x.yaml", "id: x\ntitle: X\nbody: |\n  Fine.\n  {% for p in consultations.priorities %}\n",
     "chapters/x.yaml:5:3: error: template syntax error: Unexpected end of template. Jinja was looking for the "
     "following tags: 'endfor' or 'else'. The innermost block that needs to be closed is 'for'."),
    ("chapters/x.yaml", "id: x\ntitle: X\nbody: |\n  A map:\n\n  ![map](../../../etc/passwd)\n",
     "chapters/x.yaml:6:10: error: image '../../../etc/passwd' is outside the project"),
    ("chapters/x.yaml", "id: x\ntitle: X\nbody: |\n  ![map](file:///etc/passwd)\n",
     "chapters/x.yaml:4:10: error: image 'file:///etc/passwd' is not a file of the project; "
     "use a path relative to the project, such as assets/map.png"),
    ("chapters/x.yaml", "id: x\ntitle: X\nbody: |\n  ![map](assets/none.png)\n",
     "chapters/x.yaml:4:10: error: image 'assets/none.png' not found"),
    ("chapters/x.yaml", "id: x\ntitle: X\nbody: |\n  See\n  [the plan](javascript:alert(1)).\n",
     "chapters/x.yaml:5:14: error: link 'javascript:alert(1)' is not allowed: links may be http, https, mailto or #anchors"),
    ("chapters/x.yaml", "id: x\ntitle: !!python/object:os.system X\n",
     "chapters/x.yaml:2:8: error: expected text, got a value tagged tag:yaml.org,2002:python/object:os.system"),
    ("chapters/x.yaml", "base: &b {id: x}\n<<: *b\n", "chapters/x.yaml:1:1: error: unknown key 'base'; did you mean one of: id, order, title, goals, body, sections, generated?"),
    ("feedback/kz-99-leb.yaml", SEMINAR.replace("KZ-43", "KZ-99"),
     "feedback/kz-99-leb.yaml:1:9: error: unknown region 'KZ-99'; did you mean KZ-79 (Shymkent) or "
     "KZ-59 (North Kazakhstan Region) or KZ-39 (Kostanay Region)?"),
    ("feedback/kz-10-leb.yaml", SEMINAR.replace("KZ-43", "KZ-10"),
     "feedback/kz-10-leb.yaml:3:7: error: region KZ-10 (Abai Region) did not exist on 2022-04-02: "
     "it was established on 2022-06-08"),
    ("feedback/s.yaml", SEMINAR.replace("2022-04-02", "2022-02-30"),
     "feedback/s.yaml:3:7: error: invalid date '2022-02-30' (expected YYYY-MM-DD)"),
    ("feedback/s.yaml", SEMINAR.replace("2022-04-02", "spring"),
     "feedback/s.yaml:3:7: error: invalid date 'spring' (expected YYYY-MM-DD)"),
    ("feedback/s.yaml", SEMINAR.replace("civil_society: 12", "civil_society: -12"),
     "feedback/s.yaml:6:18: error: count must not be negative, got -12"),
    ("feedback/s.yaml", SEMINAR.replace("audience: residents", "audience: resident"),
     "feedback/s.yaml:4:11: error: unknown audience 'resident'; did you mean 'residents'?"),
    ("feedback/s.yaml", SEMINAR.replace("kind: problem", "kind: complaint"),
     "feedback/s.yaml:11:11: error: unknown kind 'complaint' (expected one of: problem, proposal, practice, question)"),
    ("feedback/s.yaml", SEMINAR.replace("from: civil_society", "from: civil-society"),
     "feedback/s.yaml:12:11: error: unknown participant category 'civil-society'; did you mean 'civil_society'?"),
    ("feedback/s.yaml", SEMINAR.replace("goals: [6]", "goals: [0]"),
     "feedback/s.yaml:10:13: error: goal must be at least 1, got 0"),
    ("feedback/s.yaml", SEMINAR.replace("goals: [6]", "targets: [\"6.1\", \"6.x\"]"),
     "feedback/s.yaml:10:22: error: unknown target '6.x'"),
    ("feedback/s.yaml", SEMINAR.replace("    goals: [6]\n", ""),
     "feedback/s.yaml:8:5: error: a comment needs 'targets' or 'goals' (or both)"),
    ("feedback/s.yaml", SEMINAR + "  - id: water-1\n    text: again\n    goals: [6]\n    kind: problem\n    from: other\n",
     "feedback/s.yaml:13:9: error: duplicate comment id 'water-1' (first defined at feedback/s.yaml:8:9)"),
    ("feedback/s.yaml", SEMINAR.replace("participants:", "priorities: {6: 3, 20: 1}\nparticipants:"),
     "feedback/s.yaml:5:20: error: goal must be at most 17, got 20"),
    ("feedback/S.yaml", SEMINAR, "feedback/S.yaml:1:1: error: seminar file name 'S' must be lower-case letters, digits and '-'"),
    ("vnr.yaml", "title: T\ncountry: KZ\nyear: 2022\nlanguage: pt\n",  # no Portuguese in the official data
     "vnr.yaml:4:11: error: unknown language 'pt' (expected one of: en, ru, kk, fr, es, ar, zh, ca, cnr, cs, de, "
     "fo, hy, it, km, ky, lo, my, nb, ne, ro, sw, tg, tk, tr, uk)"),
]


@pytest.mark.parametrize("rel, content, expected", CASES, ids=named(CASES))
def test_each_error_class_at_its_position(project, rel, content, expected):
    put(project, rel, content)
    assert expected in errors(project)


def test_two_errors_in_two_files_are_both_reported_sorted(project):
    put(project, "chapters/x.yaml", "id: x\ntitle: X\ngoals: [19]\n")
    put(project, "feedback/s.yaml", SEMINAR.replace("kind: problem", "kind: idea"))
    assert errors(project) == [
        "chapters/x.yaml:3:9: error: goal must be at most 17, got 19",
        "feedback/s.yaml:11:11: error: unknown kind 'idea' (expected one of: problem, proposal, practice, question)",
    ]


def test_alias_bomb_is_an_error(project):  # how long it takes: bench/hostile.py
    bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    bomb += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    put(project, "chapters/bomb.yaml", "\n".join(bomb) + "\nid: bomb\ntitle: Bomb\n")
    found = errors(project)
    # one error, where the expansion passes the bound (a5's list: a0..a4 hold 111,110 values)
    assert found == ["chapters/bomb.yaml:6:5: error: aliases expand this file past what a file may hold (200,000 "
                     "values or 10,000,000 characters): write the values out, or split the file"]


def test_alias_bomb_inside_allowed_keys_is_not_expanded(project):
    bomb = "id: bomb\ntitle: Bomb\ngoals: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
    bomb += "sections:\n" + "".join(f"  - &s{i} {{id: s{i}, title: S, targets: [{', '.join(['*a0'] * 10) if i == 0 else ''}]}}\n" for i in range(1))
    bomb += "body: " + "&b [" + ", ".join(["*a0"] * 10) + "]\n"
    nested = "x0: &x0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(
        f"x{i}: &x{i} [" + ", ".join([f"*x{i - 1}"] * 10) + "]\n" for i in range(1, 8))
    put(project, "feedback/bomb.yaml", SEMINAR.replace("goals: [6]", "goals: *x7").replace("region:", nested + "region:", 1))
    put(project, "chapters/bomb.yaml", bomb)
    found = errors(project)
    # the chapter's few aliases are within the bound: the schema reports what it finds there
    assert "chapters/bomb.yaml:3:8: error: expected a target id such as '7.1'" in found
    assert [line for line in found if line.startswith("feedback/bomb.yaml")] == [
        "feedback/bomb.yaml:6:5: error: aliases expand this file past what a file may hold (200,000 values or "
        "10,000,000 characters): write the values out, or split the file"]


def test_deep_nesting_is_an_error(project):
    put(project, "chapters/deep.yaml", "id: deep\ntitle: Deep\ngoals: " + "[" * 5000 + "]" * 5000 + "\n")
    found = errors(project)
    assert any(line.startswith("chapters/deep.yaml:") for line in found)


def test_missing_settings_file(project):
    (project / "vnr.yaml").unlink()
    assert errors(project) == ["vnr.yaml:1:1: error: missing project settings file vnr.yaml"]


def test_check_and_build_report_the_same_problems(project):
    put(project, "chapters/x.yaml", "id: x\ntitle: X\nbody: |\n  {{ nope }}\n")
    code, lines = run("build", str(project))
    assert code == 1
    assert lines[:-1] == errors(project) == ["chapters/x.yaml:4:3: error: template error: 'nope' is undefined"]
    assert not (project / "build").exists()


def test_chapter_text_is_data_in_every_output(project, tmp_path):
    put(project, "chapters/x.yaml", 'id: x\ntitle: "<i>Title</i>"\nbody: |\n  <script>alert(1)</script> <img src=x onerror=alert(1)>\n')
    code, _ = run("build", str(project), "-o", str(tmp_path / "o"), "--format", "html,docx")
    assert code == 0
    html = (tmp_path / "o" / "review.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html and "<i>Title</i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;i&gt;Title&lt;/i&gt;" in html


@pytest.mark.parametrize("date, message", [
    ("1990-05-12", "seminar date 1990-05-12 is before the 2030 Agenda was adopted (2015-09-25): a typing mistake in the year?"),
    ("2015-09-24", "seminar date 2015-09-24 is before the 2030 Agenda was adopted (2015-09-25)"),
    ("2031-05-01", "seminar date 2031-05-01 is in the future (today is "),
])
def test_a_seminar_date_outside_the_agenda_and_today_is_an_error_at_it(project, date, message):
    put(project, "feedback/s.yaml", SEMINAR.replace("date: 2022-04-02", f"date: {date}"))
    found = errors(project)
    mine = [line for line in found if line.startswith("feedback/s.yaml")]
    assert len(mine) == 1 and mine[0].startswith(f"feedback/s.yaml:3:7: error: {message}"), found


def test_a_seminar_held_today_or_on_the_day_of_the_agenda_is_fine(project):
    import datetime as dt

    for n, date in enumerate([dt.date(2015, 9, 25), dt.date.today()]):
        put(project, f"feedback/s{n}.yaml", SEMINAR.replace("date: 2022-04-02", f"date: {date}"))
    code, lines = run("check", str(project))
    assert code == 0, lines


def test_a_chapter_that_cannot_be_read_is_one_error_not_one_per_place_in_it(project):
    put(project, "responses/all.yaml", "kz-75-leb/waste-1:\n  status: accepted\n  text: Done.\n  place: sdg-07-heat\n"
        "kz-75-leb/heat-1:\n  status: noted\n  text: Noted.\n  place: sdg-07\n")
    put(project, "reviews/ministry.yaml", "- id: 3f2a9c1e\n  place: sdg-07-heat\n  text: Check the figures.\n")
    chapter = (project / "chapters/sdg-07.yaml").read_text(encoding="utf-8")
    put(project, "chapters/sdg-07.yaml", chapter.replace("goals: [7]", "goals: [7\n  bad: x"))
    found = errors(project)
    assert len(found) == 1 and found[0].startswith("chapters/sdg-07.yaml:"), found
    put(project, "feedback/kz-75-leb.yaml", "region: [KZ-75\n")  # the commented seminar cannot be read either
    found = errors(project)
    assert [line.split(":")[0] for line in found] == ["chapters/sdg-07.yaml", "feedback/kz-75-leb.yaml"], found


def test_a_raw_control_character_in_a_yaml_file_is_an_error_at_it(project):
    put(project, "chapters/x.yaml", "id: x\ntitle: \"Almaty\x01 region\"\n")
    assert errors(project) == ["chapters/x.yaml:2:15: error: text contains the control character U+0001, "
                               "which no output can hold"]
