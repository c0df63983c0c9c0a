"""Random YAML and random text never crash vnr: a clean build, or exit 1 with positions."""

from __future__ import annotations

import contextlib
import io
import re
import shutil

import yaml
from conftest import write_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vnr.cli import main

ERROR_LINE = re.compile(r"^[^\s:][^:]*:\d+:\d+: error: .+")

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False), st.text(max_size=30),
    st.dates(), st.sampled_from(["7.1", "11.6", "KZ-75", "leb", "residents", "problem", "2022-03-14", "{{ x }}"]),
)
keys = st.sampled_from(["id", "title", "order", "goals", "body", "sections", "targets", "region", "city", "date",
                        "audience", "participants", "priorities", "comments", "text", "kind", "from", "leb"]) | st.text(max_size=8)
documents = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=6),
                         max_leaves=25)

# Text as citizens and editors write it: markup, Jinja, control characters, RTL marks, long lines.
pieces = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20) | st.sampled_from(
    ["<script>", "</b>", "{{", "}}", "{%", "\u202e", "\u200f", "\x00", "\x07", "\t", "\n", "&amp;", "![x](/etc/passwd)",
     "| a | b |\n|---|---|", "# ", "* ", "`", "\\", "'", '"', "қ", "ә", "ұ"])
nasty = st.lists(pieces, max_size=25).map("".join) | st.builds(lambda word, n: word * n, st.text(min_size=1, max_size=5), st.integers(200, 3000))


def run(*args: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(list(args))
    return code, err.getvalue()


def assert_clean_or_positioned(code: int, err: str) -> None:
    assert code in (0, 1), err
    assert "Traceback" not in err and "internal error" not in err, err
    if code == 1:
        lines = err.splitlines()
        assert lines and all(ERROR_LINE.match(line) for line in lines[:-1]), err


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=documents, where=st.sampled_from(["chapters/random.yaml", "feedback/kz-75-random.yaml", "vnr.yaml"]))
def test_random_yaml_documents(tmp_path_factory, doc, where):
    root = write_project(tmp_path_factory.mktemp("random"))
    (root / where).write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    assert_clean_or_positioned(*run("check", str(root)))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=nasty, body=nasty, comment=nasty)
def test_random_text_in_chapters_and_comments(tmp_path_factory, title, body, comment):
    root = write_project(tmp_path_factory.mktemp("text"))
    (root / "chapters" / "random.yaml").write_text(
        yaml.safe_dump({"id": "random", "title": title, "goals": [7], "body": body}, allow_unicode=True),
        encoding="utf-8")
    (root / "feedback" / "kz-71-leb.yaml").write_text(yaml.safe_dump({
        "region": "KZ-71", "city": "Nur-Sultan", "date": "2022-04-06", "audience": "leb",
        "participants": {"leb": 5}, "comments": [{"id": "c", "text": comment, "goals": [7], "kind": "problem", "from": "leb"}],
    }, allow_unicode=True), encoding="utf-8")
    out = root / "out"
    code, err = run("build", str(root), "-o", str(out), "--revision", "r")
    assert_clean_or_positioned(code, err)
    if code == 0:
        html = (out / "review.html").read_text(encoding="utf-8")
        assert "<script>" not in html
    shutil.rmtree(root)
