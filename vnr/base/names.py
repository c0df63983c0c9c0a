"""Official names (goals, targets, regions, indicators) in the build language.

A goal, target or indicator name the official data lacks in that language is shown in English, marked
`[en]`; a region without a name in that language, as ISO 3166-2 names it. Which
names fell back is a fact about the data and the names a review shows, so `fallbacks` answers
it from the ids it is given: nothing is recorded as a side effect of looking a name up.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from .framework import Framework, framework, official
from .i18n import Messages


@dataclass(frozen=True)
class GoalRef:
    number: int
    short: str  # the official short title
    title: str
    colour: str
    code: str  # "SDG 7"
    label: str  # "SDG 7: Affordable and clean energy"


@dataclass(frozen=True)
class TargetRef:
    id: str
    goal: GoalRef
    text: str
    label: str  # "Target 7.1"


def _name(texts: dict[str, str], lang: str, official: str | None = None) -> str:
    """The name in `lang` (the framework's, else data/sdg-i18n's), else in English, marked."""
    return texts[lang] if lang in texts else official or f"{texts['en']} [en]"


class Names:
    def __init__(self, msgs: Messages, fw: Framework | None = None):
        self.msgs, self.lang = msgs, msgs.lang
        self.fw = fw or framework()
        self.official = official(self.lang)
        # One ref per id and build (a review shows each goal hundreds of times).
        self.goal = functools.cache(self._goal)
        self.target = functools.cache(self._target)
        self.region = functools.cache(self._region)

    def _goal(self, number: int) -> GoalRef:
        g, m = self.fw.goals[number], self.msgs
        short = _name(g.short, self.lang, self.official.short.get(number))
        return GoalRef(number, short, _name(g.title, self.lang, self.official.title.get(number)), g.colour,
                       m("goal_short", number=number),
                       m("goal_label", number=number, title=short))

    def _target(self, tid: str) -> TargetRef:
        t = self.fw.targets[tid]
        return TargetRef(tid, self.goal(t.goal), _name(t.text, self.lang, self.official.targets.get(tid)),
                         self.msgs("target_label", id=tid))

    def indicator(self, iid: str) -> str | None:
        """The official name of a global indicator; None for an id the framework lacks (national)."""
        found = self.fw.indicators.get(iid)
        return _name(found.text, self.lang, self.official.indicators.get(iid)) if found else None

    def _region(self, code: str) -> str:
        """The unit's name in the build language, else ISO 3166-2's own (see `unnamed`)."""
        region = self.fw.regions[code]
        return region.name.get(self.lang, region.iso_name)

    def unnamed(self, regions) -> tuple[str, ...]:
        """Of the region codes given, those with no name in the build language (shown as ISO names them)."""
        return tuple(sorted(r for r in set(regions) if self.lang not in self.fw.regions[r].name))

    def fallbacks(self, goals=(), targets=(), indicators=()) -> tuple[str, ...]:
        """Of the names given, those shown in English for want of a translation ("goal 6", ...)."""
        fw, lang, o = self.fw, self.lang, self.official
        missing = [f"goal {n}" for n in goals if not (lang in fw.goals[n].short or n in o.short)
                   or not (lang in fw.goals[n].title or n in o.title)]
        missing += [f"target {t}" for t in targets if lang not in fw.targets[t].text and t not in o.targets]
        missing += [f"indicator {i}" for i in indicators if lang not in fw.indicators[i].text
                    and i not in o.indicators]
        return tuple(sorted(set(missing)))
