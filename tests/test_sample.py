"""The repository's own sample: Kazakhstan's Second VNR draft and the spring 2022 seminars."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vnr.build import Options, build
from vnr.read.load import load
from vnr.resolve import resolve

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = {"3": 0.654, "4": 0.597, "1": 0.488, "8": 0.47, "6": 0.414}


@pytest.fixture(scope="module")
def sample_build(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("sample")
    build(Options(ROOT, out, formats=("pdf",), revision="sample"))
    return json.loads((out / "review.manifest.json").read_text(encoding="utf-8"))


def test_sample_figures_match_the_published_consultation(sample_build):
    counts = sample_build["counts"]
    assert counts["regions"] == 17 and counts["regions_existing"] == 17
    assert counts["seminars"] == 34
    assert 1900 <= counts["participants"] <= 2100
    assert counts["comments"] >= 250
    assert counts["unplaced"] == 0
    shares = sample_build["priorities"]
    for goal, share in PUBLISHED.items():
        assert abs(shares[goal] - share) <= 0.005, goal
    assert max(s for g, s in shares.items() if g not in PUBLISHED) < PUBLISHED["6"]
    assert sample_build["outputs"]["review.pdf"]["pages"] >= 60


def test_every_goal_chapter_receives_comments():
    project = load(ROOT)
    review = resolve(project, "en", "review", "sample", project.seminars[0].date)
    goal_chapters = [c for c in review.chapters if c.goals]
    assert sorted(g.number for c in goal_chapters for g in c.goals) == list(range(1, 18))
    for chapter in goal_chapters:
        notes = len(chapter.own_notes) + sum(len(s.notes) for s in chapter.sections)
        assert notes > 0, chapter.id
        assert 2 <= len(chapter.sections) <= 4, chapter.id
        assert any(t.type in ("table_open", "vnr_blocks") for t in  # a table typed in, or from the data
                   (*chapter.tokens, *(t for s in chapter.sections for t in s.tokens))), chapter.id


def test_about_a_fifth_of_the_comments_are_in_russian_or_kazakh():
    comments = load(ROOT).comments
    cyrillic = [c for c in comments if any("\u0400" <= ch <= "\u04ff" for ch in c.text)]
    assert 0.15 <= len(cyrillic) / len(comments) <= 0.35
    assert {c.kind for c in comments} == {"problem", "proposal", "practice", "question"}
