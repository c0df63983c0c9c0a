"""vnr import of a KoboToolbox XLSX export with a repeat group: `parent:` joins the repeat sheet's rows
to the form's rows, so that seminar fields come from the form and comments from the repeat group."""

from __future__ import annotations

import openpyxl
from conftest import write_project
from helpers import vnr

from vnr.read.load import load

FORM = "Семинар ЦУР 2022"  # Kobo names the first sheet after the form's title
# The form's sheet as Kobo exports it: the questions, then its metadata, `_index` last.
FORM_HEADERS = ["start", "end", "seminar", "region", "city", "date", "audience", "_id", "_uuid", "_submission_time",
                "_validation_status", "_notes", "_status", "_submitted_by", "__version__", "_tags", "_index"]
# The repeat group's sheet: its questions, then the row's `_index` and its link to the form's row.
REPEAT_HEADERS = ["comments/text", "comments/targets", "comments/goals", "comments/kind", "comments/from", "_index",
                  "_parent_table_name", "_parent_index", "_submission__id", "_submission__uuid",
                  "_submission__submission_time", "_submission__validation_status", "_submission__notes",
                  "_submission__status", "_submission__submitted_by", "_submission___version__", "_submission__tags"]
SUBMISSIONS = [  # seminar, region, city, date, audience
    ("kz-75-residents", "KZ-75", "Almaty", "2022-03-15", "residents"),
    ("kz-61-leb", "Түркістан облысы", "Turkistan", "2022-03-24", "leb"),
]
COMMENTS = [  # text, targets, goals, kind, from, the form's _index
    ("Қоқыс жәшіктері аулада жеткіліксіз.", "11.6 12.5", None, "problem", "youth", 1),
    ("Нужны пункты приёма батареек в каждом районе.", "12.5", None, "proposal", "youth", 1),
    ("Ауылдық мектептерде физика пәнінің мұғалімі жоқ.", "4.c", "4", "problem", "teachers", 2),
]
MAPPING = f"""\
sheet: comments
columns:
  seminar: seminar                   # on the form's sheet
  region: region
  city: city
  date: date
  audience: audience
  text: "comments/text"              # on the repeat group's sheet
  targets: "comments/targets"
  goals: "comments/goals"
  kind: "comments/kind"
  from: "comments/from"
parent:
  sheet: "{FORM}"
  key: _index
  link: _parent_index
"""


def kobo_export(path, submissions=SUBMISSIONS, comments=COMMENTS):
    wb = openpyxl.Workbook()
    form = wb.active
    form.title = FORM
    form.append(FORM_HEADERS)
    for index, (seminar, region, city, day, audience) in enumerate(submissions, 1):
        uuid = f"4a1f0c2e-0d5b-4c1e-9a7e-1b2c3d4e5f6{index}"
        form.append([f"{day}T09:00:00.000+05:00", f"{day}T12:00:00.000+05:00", seminar, region, city, day, audience,
                     1000 + index, uuid, f"{day}T12:01:00", None, None, "submitted_via_web", None, "vKx7", None, index])
    repeat = wb.create_sheet("comments")
    repeat.append(REPEAT_HEADERS)
    for index, (text, targets, goals, kind, source, parent) in enumerate(comments, 1):
        repeat.append([text, targets, goals, kind, source, index, FORM, parent, 1000 + parent,
                       f"4a1f0c2e-0d5b-4c1e-9a7e-1b2c3d4e5f6{parent}", "2022-03-24T12:01:00", None, None,
                       "submitted_via_web", None, "vKx7", None])
    wb.save(path)
    return path


def test_the_repeat_group_joined_to_its_form_rows(tmp_path):
    root = write_project(tmp_path / "p")
    workbook = kobo_export(tmp_path / "kobo.xlsx")
    (tmp_path / "map.yaml").write_text(MAPPING, encoding="utf-8")
    done = vnr("import", str(workbook), "--mapping", str(tmp_path / "map.yaml"), "--path", str(root))
    assert done.returncode == 0, done.stderr
    assert "2 seminars created, 0 seminars updated, 3 comments added" in done.stdout
    seminars = {s.id: s for s in load(root).seminars}
    almaty, turkistan = seminars["kz-75-residents"], seminars["kz-61-leb"]
    assert (almaty.region, almaty.city, str(almaty.date), almaty.audience) == \
        ("KZ-75", "Almaty", "2022-03-15", "residents")
    assert [(c.text, c.targets) for c in almaty.comments] == [(COMMENTS[0][0], ("11.6", "12.5")),
                                                              (COMMENTS[1][0], ("12.5",))]
    assert (turkistan.region, turkistan.audience) == ("KZ-61", "leb")
    assert [(c.text, c.targets, c.goals, c.source) for c in turkistan.comments] == \
        [(COMMENTS[2][0], ("4.c",), (4,), "teachers")]
    again = vnr("import", str(workbook), "--mapping", str(tmp_path / "map.yaml"), "--path", str(root))
    assert "0 comments added" in again.stdout and "3 comments unchanged" in again.stdout


def test_a_link_to_no_form_row_and_a_form_row_no_comment_links_to(tmp_path):
    root = write_project(tmp_path / "p")
    submissions = [*SUBMISSIONS, ("kz-11-leb", "KZ-11", "Kokshetau", "2022-04-05", "leb")]
    comments = [*COMMENTS, ("Орфан.", "6.1", None, "problem", "other", 9)]
    workbook = kobo_export(tmp_path / "kobo.xlsx", submissions, comments)
    (tmp_path / "map.yaml").write_text(MAPPING, encoding="utf-8")
    done = vnr("import", str(workbook), "--mapping", str(tmp_path / "map.yaml"), "--path", str(root))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert f"{workbook}:comments!H5: error: no row of sheet '{FORM}' has _index 9" in lines
    assert f"{workbook}:{FORM}!Q4: error: no row of sheet 'comments' links to this row (_parent_index 3): " \
           "what it holds would be lost" in lines
    assert len(lines) == 3 and not (root / "feedback" / "kz-11-leb.yaml").exists()


def test_the_link_column_mapped_as_the_seminar_is_an_error_at_its_cell(tmp_path):
    """What a person tried before `parent:`: the repeat sheet alone, `_parent_index` as the seminar
    (today's export puts a row number there), which made feedback/1.yaml."""
    root = write_project(tmp_path / "p")
    workbook = kobo_export(tmp_path / "kobo.xlsx")
    (tmp_path / "map.yaml").write_text(
        'sheet: comments\ncolumns: {seminar: _parent_index, text: "comments/text", targets: "comments/targets", '
        'kind: "comments/kind", from: "comments/from"}\n'
        "fixed: {region: KZ-75, city: Almaty, date: 2022-03-15, audience: residents}\n", encoding="utf-8")
    done = vnr("import", str(workbook), "--mapping", str(tmp_path / "map.yaml"), "--path", str(root))
    assert done.returncode == 1
    assert f"{workbook}:comments!H2: error: invalid seminar id '1': a seminar id names its file, in lower-case " \
           "letters, digits and '-', not a number alone (e.g. kz-75-leb)" in done.stderr.splitlines()
    assert not (root / "feedback" / "1.yaml").exists()


def test_parent_errors_stand_in_the_mapping(tmp_path):
    root = write_project(tmp_path / "p")
    workbook = kobo_export(tmp_path / "kobo.xlsx")
    mapping = tmp_path / "map.yaml"
    mapping.write_text(MAPPING.replace("link: _parent_index", "link: _parent").replace('"comments/kind"', "kind"),
                       encoding="utf-8")
    done = vnr("import", str(workbook), "--mapping", str(mapping), "--path", str(root))
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    kind_at, link_at = [i + 1 for i, line in enumerate(MAPPING.splitlines()) if "kind:" in line or "link:" in line]
    assert lines[0].startswith(f"{mapping}:{kind_at}:9: error: {workbook}: no column 'kind' (for kind); the file's "
                               "columns: sheet 'comments': comments/text, ")
    assert f"{mapping}:{link_at}:9: error: no column '_parent' in sheet 'comments'" in lines
