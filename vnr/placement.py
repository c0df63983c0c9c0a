"""Where each comment is annotated: the three-step rule (README, "Where comments are annotated").

1. every section whose targets hold one of the comment's targets;
2. for every goal the comment concerns that no chapter holding a step-1 place lists in its
   goals: every chapter whose goals hold that goal;
3. nothing found: the final "Unplaced comments" section.
"""

from __future__ import annotations

from .base.framework import Framework
from .model import Chapter, Comment

UNPLACED = "unplaced"  # the place of a comment no chapter takes: the last part


def concerned_goals(comment: Comment, fw: Framework) -> tuple[int, ...]:
    """The goals listed, then the goals of the listed targets, each once, in that order."""
    return tuple(dict.fromkeys([*comment.goals, *(fw.targets[t].goal for t in comment.targets)]))


def places(comment: Comment, chapters: tuple[Chapter, ...], fw: Framework) -> tuple[str, ...]:
    """Ids of the chapters and sections where `comment` is annotated, in document order."""
    found: list[tuple[int, int, str]] = []
    covered_chapters: set[int] = set()
    targets = set(comment.targets)
    for ci, chapter in enumerate(chapters):
        for si, section in enumerate(chapter.sections):
            if targets.intersection(section.targets):
                found.append((ci, si + 1, section.id))
                covered_chapters.add(ci)
    covered_goals = {g for ci in covered_chapters for g in chapters[ci].goals}
    for goal in concerned_goals(comment, fw):
        if goal in covered_goals:
            continue
        for ci, chapter in enumerate(chapters):
            if goal in chapter.goals and (ci, 0, chapter.id) not in found:
                found.append((ci, 0, chapter.id))
    if not found:
        return (UNPLACED,)
    return tuple(place for _, _, place in sorted(found))
