"""Working groups (vnr.yaml `groups`): what a group's pack holds, decided here once.

A group's pack is the reviewers' edition of the project cut down to the group: the chapters
whose goals meet the group's goals and those it lists, every comment concerning one of its goals
(listed, or the goal of a listed target) with its response, and the open reviewers' notes at
those chapters or answering those comments. The seminars stay whole (their participants and
votes are the consultation's), and so do the generated parts, made from what the pack holds.
"""

from __future__ import annotations

import dataclasses

from .model import Comment, Group, Project
from .placement import concerned_goals
from .review import Review


def concerns(group: Group, comment: Comment, project: Project) -> bool:
    return bool(set(group.goals).intersection(concerned_goals(comment, project.framework)))


def comments(project: Project, group: Group | None):
    """The comments of the group (every comment without one), in the project's order."""
    return [c for c in project.comments if group is None or concerns(group, c, project)]


def chapter_ids(project: Project, group: Group) -> set[str]:
    goals = set(group.goals)
    return {c.id for c in project.chapters
            if not c.generated and (goals.intersection(c.goals) or c.id in group.chapters)}


def pack(project: Project, group: Group) -> Project:
    """The project as the group's pack shows it."""
    chapters = chapter_ids(project, group)
    kept = tuple(c for c in project.chapters if c.generated or c.id in chapters)
    places = chapters | {s.id for c in kept for s in c.sections}
    seminars = tuple(dataclasses.replace(s, comments=tuple(c for c in s.comments if concerns(group, c, project)))
                     for s in project.seminars)
    keys = {c.key for s in seminars for c in s.comments}
    responses = None if project.responses is None else \
        {k: r for k, r in project.responses.items() if k in keys}
    notes = tuple(n for n in project.review_notes if n.status == "open"
                  and (n.place in places or n.reply_to in keys))
    return dataclasses.replace(project, chapters=kept, seminars=seminars, responses=responses,
                               review_notes=notes)


def summary(group: Group, project: Project, review: Review, outputs: list[str]) -> dict:
    """The manifest's word on a pack (`project` as `pack` cut it, `review` made of it)."""
    return {"title": group.title, "goals": list(group.goals), "outputs": outputs,
            "parts": [p.id for p in review.parts],
            "counts": {"chapters": len(review.chapters), "comments": len(project.comments),
                       "annotations": len(review.notes), "responses": len(project.responses or {}),
                       "review_notes_open": len(project.review_notes)}}
