"""The benchmark's generator makes valid projects: a broken generator would time nothing useful."""

import importlib.util
from pathlib import Path

from vnr import build
from vnr.read import load

ROOT = Path(__file__).resolve().parent.parent


def _bench():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_scaled_project_repeats_the_seminars_over_the_same_chapters(tmp_path):
    sample = load.load(ROOT)
    project = _bench().scaled(tmp_path / "x3", 3)
    review = build.check(project)  # raises on any problem, as `vnr check` would
    scaled = load.load(project)
    assert len(scaled.seminars) == 3 * len(sample.seminars)
    assert len(scaled.comments) == 3 * len(sample.comments)
    assert [c.id for c in scaled.chapters] == [c.id for c in sample.chapters]
    assert review.figures.comments == 3 * len(sample.comments)
    alone = build.check(ROOT).notes
    # the copies say the same at the same places: one note each, holding its three (not the square)
    assert len(review.notes) == len(alone)
    assert sum(len(n.voices) for n in review.notes) == 3 * len(alone)


def test_many_comments_spreads_the_count_over_the_seminars(tmp_path):
    project = _bench().many_comments(tmp_path / "c", 1000)
    scaled = load.load(project)
    per_seminar = 1000 // len(scaled.seminars)
    assert len(scaled.comments) == per_seminar * len(scaled.seminars)
    build.check(project)
