"""The responses workbook: `vnr export --responses [--group ID]` read back with openpyxl, filled in
as a working group would, `vnr import`ed into responses/, and built into PDF and Word replies."""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pypdf
import pytest
from conftest import FEEDBACK, SETTINGS, write_project
from helpers import put

from vnr.build import Options, build
from vnr.cli import main
from vnr.read.load import load

GROUPS = SETTINGS + """\
groups:
  water:
    title: "Working group on water, energy and schools"
    goals: [4, 6, 7]
  cities:
    title: "Working group on cities"
    goals: [11]
"""
# The fixture's comments, and the goals each concerns (listed, or of a listed target).
GOALS = {"kz-11-residents/school-1": {4}, "kz-11-residents/solar-1": {7}, "kz-43-residents/water-1": {6},
         "kz-75-leb/waste-1": {11, 12}, "kz-75-leb/heat-1": {6, 7}}
LABELS = ["Comment key", "Region", "Seminar id", "Date", "Goals", "Targets", "Comment", "Status", "Response",
          "Taken up in"]
KEYS = ["key", "region", "seminar", "date", "goals", "targets", "text", "status", "response", "place"]


def _project(root: Path, feedback=FEEDBACK) -> Path:
    return write_project(root, feedback=feedback, settings=GROUPS)


def _vnr(*args: str) -> tuple[int, str, list[str]]:
    """vnr in this process: (exit status, standard output, standard error's lines)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue().splitlines()


def _export(root: Path, out: Path, *args: str) -> openpyxl.Workbook:
    code, said, err = _vnr("export", str(out), "--path", str(root), "--responses", *args)
    assert code == 0, err
    assert said.startswith(f"wrote {out}: ")
    return openpyxl.load_workbook(out)


def _rows(wb) -> dict[str, int]:
    sheet = wb["Responses"]
    return {sheet.cell(r, 1).value: r for r in range(3, sheet.max_row + 1) if sheet.cell(r, 1).value}


def _fill(wb, saved: Path, answers: dict[str, tuple]) -> Path:
    """The workbook with each comment's row given (status, response[, place]), as typed in a spreadsheet."""
    sheet, rows = wb["Responses"], _rows(wb)
    for key, values in answers.items():
        for name, value in zip(("status", "response", "place"), values):
            sheet.cell(rows[key], KEYS.index(name) + 1).value = value
    wb.save(saved)
    return saved


def _cell(wb, key: str, name: str) -> str:
    return f"Responses!{openpyxl.utils.get_column_letter(KEYS.index(name) + 1)}{_rows(wb)[key]}"


def test_a_group_s_workbook_holds_its_comments_all_of_them_and_only_them(tmp_path):
    root = _project(tmp_path / "p")
    put(root, "responses/cities.yaml", 'kz-75-leb/waste-1:\n  status: partly\n  text: "Goal 11 now says it."\n'
                                       "  place: sdg-07-heat\n")
    for group, args in (({4, 6, 7}, ("--group", "water")), ({11}, ("--group", "cities")), (None, ())):
        wb = _export(root, tmp_path / f"{args[-1] if args else 'all'}.xlsx", *args)
        expected = [c.key for c in load(root).comments if group is None or GOALS[c.key] & group]
        assert list(_rows(wb)) == expected  # every comment of the group, in the project's order
        assert wb["Lists"]["C1"].value == "group" and wb["Lists"]["C2"].value == (args[-1] if args else None)
    assert len(expected) == 5 and len(list(_rows(_export(root, tmp_path / "w.xlsx", "--group", "water")))) == 4
    wb = openpyxl.load_workbook(tmp_path / "all.xlsx")
    assert wb.sheetnames == ["Responses", "Lists"] and wb["Lists"].sheet_state == "hidden"
    sheet = wb["Responses"]
    assert [c.value for c in sheet[1]] == LABELS and [c.value for c in sheet[2]] == KEYS
    assert sheet.freeze_panes == "B3"
    row = [c.value for c in sheet[_rows(wb)["kz-75-leb/waste-1"]]]
    assert row == ["kz-75-leb/waste-1", "Almaty", "kz-75-leb", "2022-03-14", "11 12", "11.6 12.5",
                   "Separate collection of household waste exists only in the city centre. <script>alert(1)</script>",
                   "Partly accepted", "Goal 11 now says it.", "sdg-07-heat"]
    heat = _rows(wb)["kz-75-leb/heat-1"]
    assert [c.value for c in sheet[heat]][:7] == ["kz-75-leb/heat-1", "Almaty", "kz-75-leb", "2022-03-14", "6 7",
                                                  "7.1 6.1", load(root).comments[-1].text]
    assert sheet.cell(heat, 8).value is None  # open
    for column in "ACDEF":  # key, seminar, date, goals, targets: text, whatever a spreadsheet would make of them
        assert {sheet[f"{column}{r}"].number_format for r in range(3, 8)} == {"@"}, column
        assert {sheet[f"{column}{r}"].data_type for r in range(3, 8) if sheet[f"{column}{r}"].value} == {"s"}
    assert sheet["G3"].alignment.wrap_text and sheet["I3"].alignment.wrap_text
    rules = {str(dv.sqref): (dv.type, dv.formula1, dv.showErrorMessage) for dv in sheet.data_validations.dataValidation}
    assert rules == {"H3:H7": ("list", "=Lists!$A$2:$A$5", True), "J3:J7": ("list", "=Lists!$B$2:$B$6", True)}
    lists = wb["Lists"]
    assert [lists[f"A{r}"].value for r in range(2, 6)] == ["Accepted", "Partly accepted", "Noted", "Declined"]
    assert [lists[f"B{r}"].value for r in range(2, 7)] == ["intro", "sdg-06", "sdg-06-water", "sdg-07", "sdg-07-heat"]


def test_export_usage_errors_and_an_existing_file(tmp_path):
    root = _project(tmp_path / "p")
    out = tmp_path / "r.xlsx"
    code, _, err = _vnr("export", str(out), "--path", str(root), "--group", "water")
    assert code == 2 and "--group needs --responses" in err[0] and not out.exists()
    code, _, err = _vnr("export", str(out), "--path", str(root), "--responses", "--group", "health")
    assert (code, err) == (2, ["vnr export: error: unknown working group 'health' (vnr.yaml names: water, cities)"])
    assert not out.exists()
    out.write_bytes(b"the group's own workbook")
    code, _, err = _vnr("export", str(out), "--path", str(root), "--responses")
    assert code == 1 and "the file exists; nothing was written (--force overwrites it)" in err[0]
    assert out.read_bytes() == b"the group's own workbook"
    assert _vnr("export", str(out), "--path", str(root), "--responses", "--force")[0] == 0
    assert openpyxl.load_workbook(out).sheetnames == ["Responses", "Lists"]


def _annotations(pdf: Path) -> list[dict]:
    return [a.get_object() for page in pypdf.PdfReader(pdf).pages for a in page.get("/Annots") or []
            if a.get_object()["/Subtype"] == "/Text"]


def _word_replies(docx: Path) -> dict[str, tuple[str, str]]:
    """Each threaded Word reply: its text -> (its parent's text, its author)."""
    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    w14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
    w15 = "{http://schemas.microsoft.com/office/word/2012/wordml}"
    archive = zipfile.ZipFile(docx)
    by_para = {}
    for comment in etree.fromstring(archive.read("word/comments.xml")).iter(f"{w}comment"):
        text = "\n".join("".join(t.text or "" for t in p.iter(f"{w}t")) for p in comment.findall(f"{w}p"))
        by_para[comment.findall(f"{w}p")[-1].get(f"{w14}paraId")] = (text, comment.get(f"{w}author"))
    return {by_para[ex.get(f"{w15}paraId")][0]: (by_para[ex.get(f"{w15}paraIdParent")][0],
                                                  by_para[ex.get(f"{w15}paraId")][1])
            for ex in etree.fromstring(archive.read("word/commentsExtended.xml")).iter(f"{w15}commentEx")
            if ex.get(f"{w15}paraIdParent")}


def test_a_group_s_answers_come_back_as_pdf_replies_and_threaded_word_replies(tmp_path):
    root = _project(tmp_path / "p")
    wb = _export(root, tmp_path / "water.xlsx", "--group", "water")
    answers = {  # each comment annotated at one place; heat-1 (two places) stays open
        "kz-11-residents/school-1": ("Partly accepted", "Chapter 4 will report on small rural schools.", "intro"),
        "kz-11-residents/solar-1": ("accepted", "Section 7.1 now names solar panels on rural schools."),
        "kz-43-residents/water-1": ("Declined", "A matter for the akimat of Kyzylorda Region."),
    }
    filled = _fill(wb, tmp_path / "filled.xlsx", answers)
    code, said, err = _vnr("import", str(filled), "--path", str(root))
    assert code == 0, err
    assert said.splitlines() == [
        "wrote responses/water.yaml",
        '  kz-11-residents/school-1 added: partly: "Chapter 4 will report on small rural schools." (place intro)',
        '  kz-11-residents/solar-1 added: accepted: "Section 7.1 now names solar panels on rural schools."',
        '  kz-43-residents/water-1 added: declined: "A matter for the akimat of Kyzylorda Region."',
        "3 responses added, 0 responses changed, 0 responses unchanged, 1 rows without a response"]
    responses = load(root).responses
    assert {k: (r.status, r.text, r.place, r.pos.path) for k, r in responses.items()} == {
        "kz-11-residents/school-1": ("partly", answers["kz-11-residents/school-1"][1], "intro", "responses/water.yaml"),
        "kz-11-residents/solar-1": ("accepted", answers["kz-11-residents/solar-1"][1], None, "responses/water.yaml"),
        "kz-43-residents/water-1": ("declined", answers["kz-43-residents/water-1"][1], None, "responses/water.yaml")}

    build(Options(root, root / "build", ("pdf", "docx"), revision="r"))
    labels = {"accepted": "Accepted", "partly": "Partly accepted", "declined": "Declined"}
    replies = [a for a in _annotations(root / "build" / "review.pdf") if "/IRT" in a]
    assert len(replies) == 3
    for reply in replies:
        parent = reply["/IRT"].get_object()
        key = parent["/NM"].split("#")[0]
        assert reply["/NM"] == f"{parent['/NM']}/response" and reply["/T"] == "Drafting team"
        assert reply["/Contents"] == f"{labels[responses[key].status]}: {responses[key].text}"
    assert {r["/IRT"].get_object()["/NM"].split("#")[0] for r in replies} == set(answers)
    words = _word_replies(root / "build" / "review.docx")
    assert len(words) == 3
    comments = {c.key: c.text for c in load(root).comments}
    for key, r in responses.items():
        parent, author = words[f"{labels[r.status]}: {r.text}"]
        assert parent.startswith(comments[key]) and author == "Drafting team"


def test_texts_that_look_like_formulas_stay_text_both_ways(tmp_path):
    link = '=HYPERLINK("http://x","y")'
    feedback = {**FEEDBACK, "kz-43-residents.yaml": FEEDBACK["kz-43-residents.yaml"].replace(
        "Ауылда ауыз су тәулігіне екі сағат қана беріледі.", link.replace('"', '\\"'))}
    root = _project(tmp_path / "p", feedback)
    put(root, "responses/water.yaml", 'kz-43-residents/water-1:\n  status: noted\n  text: "=1+1"\n')
    wb = _export(root, tmp_path / "odd.xlsx", "--group", "water")
    with zipfile.ZipFile(tmp_path / "odd.xlsx") as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in sheets)
    sheet, row = wb["Responses"], _rows(wb)["kz-43-residents/water-1"]
    for column, value in ((7, link), (9, "=1+1")):
        cell = sheet.cell(row, column)
        assert (cell.value, cell.data_type, cell.quotePrefix) == (value, "s", True)
    sheet.cell(_rows(wb)["kz-11-residents/solar-1"], 8).value = "Noted"
    sheet.cell(_rows(wb)["kz-11-residents/solar-1"], 9).value = "+7 701 000 00 00: the akimat's hotline"
    sheet.cell(_rows(wb)["kz-11-residents/solar-1"], 9).data_type = "s"
    wb.save(tmp_path / "filled.xlsx")
    code, said, err = _vnr("import", str(tmp_path / "filled.xlsx"), "--path", str(root))
    assert code == 0, err
    assert "1 responses added, 0 responses changed, 1 responses unchanged" in said  # "=1+1" came back as it was
    assert load(root).responses["kz-11-residents/solar-1"].text == "+7 701 000 00 00: the akimat's hotline"


def test_every_error_at_its_cell_in_one_run_and_nothing_written(tmp_path):
    root = _project(tmp_path / "p")
    wb = _export(root, tmp_path / "all.xlsx")
    sheet = wb["Responses"]
    filled = _fill(wb, tmp_path / "bad.xlsx", {
        "kz-11-residents/school-1": ("Maybe", "We will see."),
        "kz-11-residents/solar-1": ("noted", None, "sdg-7-heat"),
        "kz-43-residents/water-1": (None, "A response without a status."),
        "kz-75-leb/heat-1": ("accepted", "Section 7.1.", "sdg-07-heat"),  # the one good row
    })
    wb = openpyxl.load_workbook(filled)
    sheet = wb["Responses"]
    sheet["A8"], sheet["H8"], sheet["I8"] = "kz-75-leb/heat-2", "noted", "A comment that is not there."
    waste = _rows(wb)["kz-75-leb/waste-1"]
    sheet.cell(waste, 8).value = "=LOWER(\"NOTED\")"  # a formula openpyxl stores without its result
    sheet.cell(waste, 9).value = "Goal 12."
    wb.save(filled)
    code, said, err = _vnr("import", str(filled), "--path", str(root))
    statuses = "accepted (Accepted), partly (Partly accepted), noted (Noted), declined (Declined)"
    at = lambda key, name: f"{filled}:{_cell(wb, key, name)}: error:"  # noqa: E731
    assert code == 1 and said == ""
    assert err == [
        f"{at('kz-11-residents/school-1', 'status')} unknown status 'Maybe' (expected one of: {statuses})",
        f"{at('kz-11-residents/solar-1', 'response')} a status without a response: write what was done with the "
        "comment, or why not",
        f"{at('kz-11-residents/solar-1', 'place')} unknown place 'sdg-7-heat': not a chapter or section id; did you "
        "mean 'sdg-07-heat'?",
        f"{at('kz-43-residents/water-1', 'status')} a response without a status (one of: {statuses})",
        f"{at('kz-75-leb/waste-1', 'status')} a formula without a stored result: type the value, or open and save "
        "the workbook in a spreadsheet program so that its result is stored",
        f"{filled}:Responses!A8: error: unknown comment 'kz-75-leb/heat-2'; did you mean 'kz-75-leb/heat-1'?",
        "vnr: 6 error(s); nothing was written"]
    assert not (root / "responses").exists()


PEOPLE = """\
# Working group "Water": responses to the seminars' comments.

kz-43-residents/water-1:   # Kyzylorda
  status: noted
  text: |
    The Ministry of Ecology will answer
    the akimat.
  place: sdg-06

kz-11-residents/solar-1: {status: partly, text: "Section 7.1 names it."}
"""


def test_a_response_that_differs_needs_update_which_changes_it_where_it_stands(tmp_path):
    root = _project(tmp_path / "p")
    put(root, "responses/people.yaml", PEOPLE)
    wb = _export(root, tmp_path / "all.xlsx")
    assert wb["Responses"].cell(_rows(wb)["kz-43-residents/water-1"], 9).value == \
        "The Ministry of Ecology will answer\nthe akimat."
    filled = _fill(wb, tmp_path / "filled.xlsx", {
        "kz-43-residents/water-1": ("Accepted", "The Ministry of Ecology will answer\nthe akimat.", None),
        "kz-11-residents/solar-1": ("partly", "Section 7.1 names it.", "sdg-07-heat"),
        "kz-75-leb/heat-1": ("noted", "Forwarded to the akimat of Almaty."),
    })
    code, _, err = _vnr("import", str(filled), "--path", str(root))
    assert code == 1 and err == [
        f"{filled}:{_cell(wb, 'kz-11-residents/solar-1', 'place')}: error: comment 'kz-11-residents/solar-1' has "
        'place (none) in responses/people.yaml, not "sdg-07-heat"; --update replaces it',
        f"{filled}:{_cell(wb, 'kz-43-residents/water-1', 'status')}: error: comment 'kz-43-residents/water-1' has "
        'status "noted" in responses/people.yaml, not "accepted"; --update replaces it',
        f"{filled}:{_cell(wb, 'kz-43-residents/water-1', 'place')}: error: comment 'kz-43-residents/water-1' has "
        'place "sdg-06" in responses/people.yaml, not (none); --update replaces it',
        "vnr: 3 error(s); nothing was written"]
    assert (root / "responses" / "people.yaml").read_text(encoding="utf-8") == PEOPLE
    assert not (root / "responses" / "all.yaml").exists()

    code, said, err = _vnr("import", str(filled), "--path", str(root), "--update")
    assert code == 0, err
    assert said.splitlines() == [
        "wrote responses/all.yaml",
        '  kz-75-leb/heat-1 added: noted: "Forwarded to the akimat of Almaty."',
        "wrote responses/people.yaml",
        '  kz-11-residents/solar-1: place: (none) -> "sdg-07-heat"',
        '  kz-43-residents/water-1: status: "noted" -> "accepted"',
        '  kz-43-residents/water-1: place: "sdg-06" -> (none)',
        "1 responses added, 2 responses changed, 0 responses unchanged, 2 rows without a response"]
    assert (root / "responses" / "people.yaml").read_text(encoding="utf-8") == PEOPLE.replace(
        "status: noted", "status: accepted").replace("  place: sdg-06\n", "").replace(
        '"Section 7.1 names it."}', '"Section 7.1 names it.", place: sdg-07-heat}')
    assert (root / "responses" / "all.yaml").read_text(encoding="utf-8") == \
        'kz-75-leb/heat-1:\n  status: noted\n  text: "Forwarded to the akimat of Almaty."\n'
    assert _vnr("check", str(root))[0] == 0


def test_a_dry_run_writes_nothing_and_unchanged_rows_change_nothing(tmp_path):
    root = _project(tmp_path / "p")
    wb = _export(root, tmp_path / "cities.xlsx", "--group", "cities")
    filled = _fill(wb, tmp_path / "filled.xlsx", {"kz-75-leb/waste-1": ("noted", "Goal 11 will say it.")})
    code, said, _ = _vnr("import", str(filled), "--path", str(root), "--dry-run")
    assert code == 0 and said.splitlines() == [
        "would write responses/cities.yaml", '  kz-75-leb/waste-1 added: noted: "Goal 11 will say it."',
        "dry run: 1 responses added, 0 responses changed, 0 responses unchanged, 0 rows without a response"]
    assert not (root / "responses").exists()
    assert _vnr("import", str(filled), "--path", str(root))[0] == 0
    written = root / "responses" / "cities.yaml"
    before = (written.read_bytes(), written.stat().st_mtime_ns)
    again = _export(root, tmp_path / "again.xlsx", "--group", "cities")
    for workbook in (filled, tmp_path / "again.xlsx"):  # the filled one, and a new export holding the response
        code, said, _ = _vnr("import", str(workbook), "--path", str(root))
        assert code == 0 and said.splitlines() == [
            "0 responses added, 0 responses changed, 1 responses unchanged, 0 rows without a response"]
    assert (written.read_bytes(), written.stat().st_mtime_ns) == before
    assert again["Responses"]["H3"].value == "Noted"


def test_a_workbook_saved_again_by_libreoffice_imports_the_same_responses(tmp_path):
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed")
    root = _project(tmp_path / "p")
    wb = _export(root, tmp_path / "water.xlsx", "--group", "water")
    filled = _fill(wb, tmp_path / "filled.xlsx", {
        "kz-11-residents/solar-1": ("Noted", '=HYPERLINK("http://x","y")'),
        "kz-75-leb/heat-1": ("Partly accepted", "Section 7.1 names the worn networks.", "sdg-07-heat")})
    wb = openpyxl.load_workbook(filled)
    wb["Responses"].cell(_rows(wb)["kz-11-residents/solar-1"], 9).data_type = "s"  # typed as text ('=...)
    wb.save(filled)
    calc = tmp_path / "calc"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{calc}/profile", "--convert-to", "xlsx",
                    "--outdir", str(calc), str(filled)], capture_output=True, timeout=300)
    assert (calc / "filled.xlsx").is_file()
    code, said, err = _vnr("import", str(calc / "filled.xlsx"), "--path", str(root))
    assert code == 0, err
    assert said.splitlines()[0] == "wrote responses/water.yaml"  # the group, kept in the hidden sheet
    assert {k: (r.status, r.text, r.place) for k, r in load(root).responses.items()} == {
        "kz-11-residents/solar-1": ("noted", '=HYPERLINK("http://x","y")', None),
        "kz-75-leb/heat-1": ("partly", "Section 7.1 names the worn networks.", "sdg-07-heat")}
