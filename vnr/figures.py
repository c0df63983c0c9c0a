"""The consultation figures, computed once from the seminars.

They feed the generated consultations part, the manifest and the Jinja expressions in chapter bodies.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from .base.framework import Framework
from .model import AUDIENCES, CATEGORIES, KINDS, Project


@dataclass(frozen=True)
class Priority:
    goal: int
    votes: int
    share: float


@dataclass(frozen=True)
class Figures:
    seminars: int
    seminars_by_audience: dict[str, int]
    start: dt.date | None
    end: dt.date | None
    regions_covered: tuple[str, ...]  # codes at the counted level (Framework.counted), in code order
    regions_existing: tuple[str, ...]  # codes of the units that existed on the last seminar's date
    participants: int
    by_category: dict[str, int]
    by_audience: dict[str, int]
    by_region: dict[str, int]
    comments: int
    comments_by_kind: dict[str, int]
    comments_by_region: dict[str, int]
    priority_seminars: int  # seminars that recorded priorities
    priority_participants: int  # their participants: the denominator of every share
    priorities: tuple[Priority, ...]  # best share first, then goal number
    regional_priorities: dict[str, tuple[Priority, ...]]


def _ranking(seminars) -> tuple[int, tuple[Priority, ...]]:
    voting = [s for s in seminars if s.priorities]
    base = sum(s.total for s in voting)
    votes: Counter[int] = Counter()
    for s in voting:
        votes.update(s.priorities)
    ranked = [Priority(g, v, v / base if base else 0.0) for g, v in votes.items() if v > 0]
    return base, tuple(sorted(ranked, key=lambda p: (-p.share, p.goal)))


def compute(project: Project, fw: Framework) -> Figures:
    seminars = project.seminars
    dates = [s.date for s in seminars]
    end = max(dates) if dates else None
    held: dict[str, list] = {}  # the seminars by the unit they count for (below the counted level: the unit above)
    for s in seminars:
        held.setdefault(fw.counted(s.region), []).append(s)
    covered = tuple(code for code in fw.regions if code in held)
    by_category = {c: sum(s.participants.get(c, 0) for s in seminars) for c in CATEGORIES}
    base, ranking = _ranking(seminars)
    comments = project.comments
    return Figures(
        seminars=len(seminars),
        seminars_by_audience={a: sum(s.audience == a for s in seminars) for a in AUDIENCES},
        start=min(dates) if dates else None,
        end=end,
        regions_covered=covered,
        regions_existing=tuple(code for code, r in fw.regions.items()
                               if end and r.level == fw.region_level and r.existed_on(end)),
        participants=sum(by_category.values()),
        by_category=by_category,
        by_audience={a: sum(s.total for s in seminars if s.audience == a) for a in AUDIENCES},
        by_region={code: sum(s.total for s in held[code]) for code in covered},
        comments=len(comments),
        comments_by_kind={k: sum(c.kind == k for c in comments) for k in KINDS},
        comments_by_region={code: sum(len(s.comments) for s in held[code]) for code in covered},
        priority_seminars=sum(1 for s in seminars if s.priorities),
        priority_participants=base,
        priorities=ranking,
        regional_priorities={code: _ranking(held[code])[1] for code in covered},
    )
