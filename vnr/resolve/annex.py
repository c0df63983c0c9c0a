"""The annex: every comment by goal, then target, then region."""

from __future__ import annotations

from collections import defaultdict

from ..base.names import Names
from ..figures import Figures
from ..review import Annex, AnnexGroup, Said, Voice
from .voices import folded_text


def annex(voices: list[Voice], f: Figures, names: Names) -> Annex:
    m, fw = names.msgs, names.fw
    groups: dict[tuple[int, str], dict[str, list[Voice]]] = defaultdict(lambda: defaultdict(list))
    region_order = {code: i for i, code in enumerate(fw.regions)}
    for v in sorted(voices, key=lambda v: (region_order[v.seminar.region], v.seminar.date, v.key)):
        for g in v.goals:
            on_goal = [t.id for t in v.targets if t.goal.number == g.number]
            for tid in on_goal or [""]:
                groups[(g.number, tid)][v.region].append(v)
    target_order = {tid: i for i, tid in enumerate(fw.targets)}
    made, last_goal = [], None
    for (g, tid), by_region in sorted(groups.items(), key=lambda kv: (kv[0][0], target_order.get(kv[0][1], -1))):
        goal, target = names.goal(g), names.target(tid) if tid else None
        made.append(AnnexGroup(goal, goal.label if g != last_goal else None,
                               target.label if target else m("general_goal"), target.text if target else None,
                               tuple((region, _folded(vs, m)) for region, vs in by_region.items())))
        last_goal = g
    return Annex(id="annex", title=m("annex.title"), intro=m("annex.intro", comments=f.comments),
                 groups=tuple(made))


def _folded(voices: list[Voice], m) -> tuple[Said, ...]:
    """A region's comments, those of the same text (voices.folded_text) as one, in order of first made."""
    same: dict[str, list[Voice]] = {}
    for v in voices:
        same.setdefault(folded_text(v.comment.text), []).append(v)
    return tuple(Said(tuple(vs), m("note.folded", seminars=len(vs)) if len(vs) > 1 else "") for vs in same.values())
