"""Exit codes and what `check` and a failed build leave behind."""

from __future__ import annotations

import subprocess
import sys

from helpers import vnr


def test_check_validates_and_writes_nothing(project):
    done = vnr("check", str(project))
    assert done.returncode == 0, done.stderr
    assert not (project / "build").exists()


def test_wrong_usage_exits_2(project):
    assert vnr("build", str(project), "--format", "odt").returncode == 2
    assert vnr("frobnicate").returncode == 2
    assert vnr("build", str(project), "--edition", "secret").returncode == 2


def test_invalid_input_exits_1_reports_positions_and_leaves_outputs(project):
    assert vnr("build", str(project), "--format", "html").returncode == 0
    before = (project / "build" / "review.html").read_bytes()
    path = project / "feedback" / "kz-75-leb.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("audience: leb", "audiense: leb"), encoding="utf-8")
    (project / "chapters" / "intro.yaml").write_text("id: intro\ntitle: Intro\ngoals: [18]\n", encoding="utf-8")
    done = vnr("build", str(project), "--format", "html")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert "chapters/intro.yaml:3:9: error: goal must be at most 17, got 18" in lines
    assert "feedback/kz-75-leb.yaml:4:1: error: unknown key 'audiense'; did you mean 'audience'?" in lines
    assert (project / "build" / "review.html").read_bytes() == before
    assert sorted(p.name for p in (project / "build").iterdir()) == ["review.html", "review.manifest.json"]


def test_public_edition_writes_its_own_files(project, tmp_path):
    out = tmp_path / "out"
    done = vnr("build", str(project), "-o", str(out), "--edition", "public", "--format", "html,docx")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["public.docx", "public.html", "public.manifest.json"]


def test_project_templates_override_the_defaults_file_by_file(project, tmp_path):
    (project / "templates").mkdir()
    (project / "templates" / "cover.html.j2").write_text(
        '<section class="cover" id="cover"><h1 class="cover-title">{{ review.title }}</h1>'
        '<p class="ministry">Ministry of National Economy</p></section>', encoding="utf-8")
    (project / "templates" / "project.css").write_text(".ministry { color: #00afca; }", encoding="utf-8")
    out = tmp_path / "out"
    assert vnr("build", str(project), "-o", str(out), "--format", "html").returncode == 0
    html = (out / "review.html").read_text(encoding="utf-8")
    assert '<p class="ministry">Ministry of National Economy</p>' in html
    assert ".ministry { color: #00afca; }" in html
    assert 'id="contents"' in html  # the other templates are still the defaults
    manifest = (out / "review.manifest.json").read_text(encoding="utf-8")
    assert '"templates/cover.html.j2"' in manifest and '"templates/project.css"' in manifest


def test_project_images_are_embedded_in_every_output(project, tmp_path):
    import base64

    import pypdf
    from docx import Document

    png = base64.b64decode(  # a 2x2 red PNG
        "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==")
    (project / "assets").mkdir()
    (project / "assets" / "dot.png").write_bytes(png)
    (project / "chapters" / "img.yaml").write_text(
        "id: img\ntitle: Maps\nbody: |\n  ![Water *points* in Kyzylorda](assets/dot.png)\n", encoding="utf-8")
    out = tmp_path / "out"
    assert vnr("build", str(project), "-o", str(out)).returncode == 0
    html = (out / "review.html").read_text(encoding="utf-8")
    assert f'<img src="data:image/png;base64,{base64.b64encode(png).decode()}" alt="Water points in Kyzylorda">' in html
    doc = Document(out / "review.docx")
    assert "Water points in Kyzylorda" in [s._inline.docPr.get("descr") for s in doc.inline_shapes]
    images = [name for page in pypdf.PdfReader(out / "review.pdf").pages for name in page.images]
    assert images
    manifest = (out / "review.manifest.json").read_text(encoding="utf-8")
    assert '"chapters/img.yaml"' in manifest and '"assets/dot.png"' in manifest


def test_a_page_template_that_shows_the_parts_itself_is_an_error(project, tmp_path):
    """Written before the PDF was laid out part by part: every part's document would hold all parts."""
    (project / "templates").mkdir()
    (project / "templates" / "review.html.j2").write_text(
        '<html><body>{% for part in review.parts %}'
        '{% include ["parts/" ~ part.kind ~ ".html.j2", "parts/report.html.j2"] %}{% endfor %}</body></html>',
        encoding="utf-8")
    out = tmp_path / "out"
    done = vnr("build", str(project), "-o", str(out))
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == (
        "templates/review.html.j2:1:1: error: shows review.parts itself: show `parts` (the parts' HTML) "
        "and the cover and contents only `if front` (README: Templates)")
    assert not out.exists()


def test_a_part_template_is_overridden_by_its_path(project, tmp_path):
    (project / "templates" / "parts").mkdir(parents=True)
    (project / "templates" / "parts" / "annex.html.j2").write_text(
        '<section class="chapter generated annex" id="{{ part.id }}"><h1>{{ part.title }}</h1>'
        '<p class="count">{{ part.groups | length }} groups</p></section>', encoding="utf-8")
    out = tmp_path / "out"
    assert vnr("build", str(project), "-o", str(out), "--format", "html").returncode == 0
    html = (out / "review.html").read_text(encoding="utf-8")
    assert '<p class="count">' in html and 'class="annex-goal"' not in html
    assert 'class="chapter generated consultations"' in html  # the other parts are still the defaults


def test_input_problems_are_reported_and_a_bug_past_them_is_a_bug(project):
    """Resolve makes no part from a project with problems; past them, an exception is vnr's."""
    bug = ("import sys, vnr.resolve as r\n"
           "def boom(*a, **k): raise ZeroDivisionError('a bug in the annex')\n"
           "r.annex = boom\n"
           "from vnr.cli import main\n"
           "sys.exit(main(sys.argv[1:]))\n")
    run = lambda: subprocess.run([sys.executable, "-c", bug, "check", str(project)],  # noqa: E731
                                 capture_output=True, text=True)
    done = run()
    assert done.returncode == 3 and "internal error: ZeroDivisionError: a bug in the annex" in done.stderr
    (project / "chapters" / "intro.yaml").write_text("id: intro\ntitle: Introduction\ngoals: [18]\n")
    done = run()
    assert done.returncode == 1, done.stderr
    assert "chapters/intro.yaml:3:9: error: goal must be at most 17, got 18" in done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr


def test_a_reader_that_stops_reading_ends_neither_the_build_nor_in_a_traceback(project):
    build = subprocess.Popen([sys.executable, "-m", "vnr", "build", str(project), "--format", "html"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    build.stdout.close()  # as `vnr build | head -0` does: every line printed meets a closed pipe
    stderr = build.stderr.read()
    assert build.wait() == 0, stderr
    assert "Traceback" not in stderr and stderr == ""
    assert (project / "build" / "review.html").is_file()
