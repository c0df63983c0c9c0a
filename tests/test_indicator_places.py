"""Where an `indicator()` call's table goes and where its errors are said: at the body's line of
the call wherever the call runs (a macro, a loop, a `set`), never in a list or a code block, and
never in place of words a body writes."""

from __future__ import annotations

import re

from helpers import SDG03, data_project, errors

from vnr.build import Options, build


def test_a_call_in_a_macro_a_loop_or_a_set_is_an_error_at_its_own_line(tmp_path):
    body = SDG03 + """\
  {% macro table(id) %}
  {{ indicator(id) }}
  {% endmacro %}
  {{ table("3.1.9") }}

  {% for year in [2030] %}
  {{ indicator("3.1.1", years=[year]) }}
  {% endfor %}
  {% set kept = indicator("3.1.1",
                          by="X") %}
  {{ "a" ~
     indicator("3.1.1", chart="pie") }}
  {{ indicator("3.1.1", line=1) }}
"""
    assert errors(data_project(tmp_path / "project", body)) == [
        "chapters/sdg-03.yaml:7:3: error: unknown indicator '3.1.9' (did you mean 3.1.1?)",
        "chapters/sdg-03.yaml:12:3: error: indicator 3.1.1 has no data for 2030 (it has 2015-2022)",
        "chapters/sdg-03.yaml:14:3: error: unknown column 'X' in by: indicator 3.1.1 has the columns REF_AREA",
        "chapters/sdg-03.yaml:16:3: error: chart 'pie': a chart is one of line, bar, map",
        # the line the sandbox passes is the body's, not an argument a body can give
        "chapters/sdg-03.yaml:18:3: error: indicator() takes an id and years=, by=, chart=; unknown argument 'line'",
    ]


def test_a_table_in_a_list_or_a_code_block_is_an_error_at_its_line(tmp_path):
    body = SDG03 + """\
  Before.

  - {{ indicator("3.1.1") | trim }}

  ```
  {{ indicator("11.6.1.1") }}
  ```
"""
    said = "error: indicator() makes a table: put it on a line of its own, outside lists, quotes and tables"
    # in a code block the marker used to be shown as code, and its table's number never
    assert errors(data_project(tmp_path / "project", body)) == [
        f"chapters/sdg-03.yaml:8:3: {said}", f"chapters/sdg-03.yaml:10:3: {said}"]


def test_words_like_a_marker_stay_words_and_tables_are_numbered_in_order(tmp_path):
    body = SDG03 + """\
  vnr-indicator-1

  {{ indicator("3.1.1") }}

  {{ "vnr-indicator-2" }}

  {{ indicator("11.6.1.1") }}
"""
    root = data_project(tmp_path / "project", body)
    build(Options(root, root / "build", formats=("html",), revision="r1"))
    html = (root / "build" / "review.html").read_text(encoding="utf-8")
    assert html.count("<p>vnr-indicator-1</p>") == 1 and html.count("<p>vnr-indicator-2</p>") == 1
    assert re.findall(r"<caption>(Table \d+\. [\d.]+) ", html) == ["Table 1. 3.1.1", "Table 2. 11.6.1.1"]
    assert html.index("Table 1. 3.1.1") < html.index("vnr-indicator-2") < html.index("Table 2. 11.6.1.1")

def test_a_body_reads_nothing_of_the_build_through_indicator(tmp_path):
    body = SDG03 + "  {{ indicator.problems }}\n"
    assert errors(data_project(tmp_path / "project", body)) == [
        "chapters/sdg-03.yaml:6:3: error: template error: 'function object' has no attribute 'problems'"]
