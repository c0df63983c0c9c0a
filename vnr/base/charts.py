"""Figures drawn with matplotlib: SVG (text kept as text) for HTML/PDF, PNG for DOCX."""

from __future__ import annotations

import io
import math
import re
from typing import Callable


def _figure(width_mm: float, height_mm: float):
    """A matplotlib figure and its axes. matplotlib is imported on the first drawing (a check never
    pays for it), without pyplot, whose GUI machinery a build does not need."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_mm / 25.4, height_mm / 25.4))
    return fig, fig.subplots()


def _style(texts):
    """matplotlib's settings, with the fonts `texts` need after DejaVu Sans (a chart in Latin or
    Cyrillic letters only is drawn exactly as before): CJK's, and before it Arabic's, whose letters
    DejaVu Sans has in a style apart from the text's."""
    import matplotlib

    family = ["DejaVu Sans"]
    for script, font, first in SCRIPT_FONTS:
        if any(script.search(t) for t in texts):
            family.insert(0 if first else len(family), font)
    outlines = {"svg.fonttype": "path"} if any(RIGHT_TO_LEFT.search(t) for t in texts) else {}
    return matplotlib.rc_context({**STYLE, "font.family": family if len(family) > 1 else family[0], **outlines})


# The fonts the document's text has (style.css): (letters, font, before DejaVu Sans)
SCRIPT_FONTS = (
    (re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]"), "Noto Sans Arabic", True),
    (re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]"), "Noto Sans CJK SC", False),
)
# Letters drawn right to left and joined: matplotlib (3.11, through libraqm) shapes them, WeasyPrint's
# SVG text does not (it draws them one by one, left to right). A chart with such letters is saved
# with its text as outlines, shaped as matplotlib drew them; its words are in the figure's alt text.
RIGHT_TO_LEFT = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 8.5,
    "svg.fonttype": "none",  # keep labels as text: searchable in the PDF, readable by screen readers
    "svg.hashsalt": "vnr",  # stable element ids, for byte-identical rebuilds
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def _mirrored(ax, labels) -> str:
    """Horizontal bars labelled right to left (Arabic) grow from the right, their labels on the right,
    as an Arabic reader reads them; the side a value's figure stands on, after its bar ("left" or
    "right": matplotlib's `ha`)."""
    if not any(RIGHT_TO_LEFT.search(t) for t in labels):
        return "left"
    ax.invert_xaxis()
    ax.yaxis.tick_right()
    ax.spines["right"].set_visible(ax.spines["left"].get_visible())
    ax.spines["left"].set_visible(False)
    return "right"


def _save(fig, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "svg":
        fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    else:
        fig.savefig(out, format="png", dpi=200, metadata={"Software": None})
    return out.getvalue()


def bars_size(count: int) -> tuple[float, float]:
    return 160.0, 12.0 + 6.2 * count


def priority_bars(bars: list[tuple[str, str, float, str]], percent: Callable[[float], str], fmt: str) -> bytes:
    """Horizontal bars, best first: (label, title, share, colour) each; `fmt` is svg or png."""
    labels = [f"{label}  {title}" for label, title, _, _ in bars]
    with _style(labels + [percent(b[2]) for b in bars]):
        fig, ax = _figure(*bars_size(len(bars)))
        ys = range(len(bars))
        shares = [b[2] for b in bars]
        ax.barh(ys, shares, color=[b[3] for b in bars], height=0.72)
        ax.set_yticks(list(ys), labels)
        ax.invert_yaxis()
        ax.set_xlim(0, max(shares + [0.01]) * 1.16)
        ax.xaxis.set_visible(False)
        ax.spines["bottom"].set_visible(False)
        ax.tick_params(axis="y", length=0)
        after = _mirrored(ax, labels)
        for y, share in zip(ys, shares):
            ax.text(share + max(shares) * 0.01, y, percent(share), va="center", ha=after, fontsize=8)
        fig.tight_layout(pad=0.4)
        return _save(fig, fmt)


MAP_SIZE = (160.0, 92.0)


def region_map(
    shapes: dict[str, list[list[tuple[float, float]]]], values: dict[str, int], colour: str,
    label: Callable[[int], str], cities: set[str], fmt: str,
) -> bytes:
    """A choropleth of `values` by region code, shaded from white to `colour`; cities as dots."""
    from matplotlib.collections import PolyCollection
    from matplotlib.colors import LinearSegmentedColormap

    cmap = LinearSegmentedColormap.from_list("vnr", ["#f2f4f7", colour])
    top = max(values.values(), default=0) or 1
    xs = [x for rings in shapes.values() for ring in rings for x, _ in ring] or [0.0]
    ys = [y for rings in shapes.values() for ring in rings for _, y in ring] or [0.0]
    # a degree of longitude is cos(latitude) of a degree of latitude: true shape at the map's middle
    aspect = 1 / max(math.cos(math.radians((min(ys) + max(ys)) / 2)), 0.2)
    beside = (max(xs) - min(xs)) * 0.012  # a city's figure this far right of its dot
    with _style([label(v) for v in values.values()]):
        fig, ax = _figure(*MAP_SIZE)
        rings, fills = [], []
        for code, parts in shapes.items():
            if code not in cities:
                fill = cmap(values.get(code, 0) / top) if code in values else "#ffffff"
                rings += parts
                fills += [fill] * len(parts)
        # One collection, not a patch per ring: matplotlib adds a patch in about 5 ms.
        ax.add_collection(PolyCollection(rings, closed=True, facecolors=fills, edgecolors="#5a6472",
                                         linewidths=0.4))
        for code, rings in shapes.items():
            biggest = max(rings, key=len)
            xs, ys = [p[0] for p in biggest], [p[1] for p in biggest]
            x, y = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
            if code not in values:
                continue
            if code in cities:
                ax.plot([x], [y], "o", markersize=5, color=cmap(values[code] / top), markeredgecolor="#1d1d1b",
                        markeredgewidth=0.6)
                ax.text(x + beside, y, label(values[code]), fontsize=6.5, va="center", fontweight="bold")
            else:
                ax.text(x, y, label(values[code]), fontsize=7, ha="center", va="center")
        ax.set_aspect(aspect)
        ax.autoscale_view()
        ax.axis("off")
        fig.tight_layout(pad=0.2)
        return _save(fig, fmt)


# Responses by status: one shade of the goal's colour per status, darkest for accepted, so the
# order reads in greyscale too; open comments are an outline.
STATUS_ALPHA = (1.0, 0.62, 0.36, 0.16)


def status_size(count: int) -> tuple[float, float]:
    return 160.0, 22.0 + 5.6 * count


def status_bars(rows: list[tuple[str, str, tuple[int, ...]]], statuses: list[str], fmt: str) -> bytes:
    """Stacked horizontal bars, one per goal: (label, colour, counts by status, the last one open)."""
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    labels = [row[0] for row in rows]
    with _style(labels + statuses):
        fig, ax = _figure(*status_size(len(rows)))
        ys = list(range(len(rows)))
        left = [0] * len(rows)
        for i, _ in enumerate(statuses):
            counts = [row[2][i] for row in rows]
            is_open = i == len(statuses) - 1
            colours = [(*rgb(row[1]), 0.0 if is_open else STATUS_ALPHA[i]) for row in rows]
            ax.barh(ys, counts, left=left, height=0.7, color=colours,
                    edgecolor=[row[1] for row in rows] if is_open else "white", linewidth=0.6)
            left = [a + b for a, b in zip(left, counts)]
        ax.set_yticks(ys, labels)
        ax.invert_yaxis()
        ax.tick_params(axis="y", length=0)
        ax.set_xlim(0, max(left + [1]) * 1.08)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # comments are counted
        ax.spines["left"].set_visible(False)
        after = _mirrored(ax, labels)
        for y, total in zip(ys, left):
            ax.text(total + max(left + [1]) * 0.01, y, str(total), va="center", ha=after, fontsize=7.5)
        handles = [Patch(facecolor=(0.2, 0.2, 0.2, a), edgecolor="white") for a in STATUS_ALPHA]
        handles.append(Patch(facecolor="white", edgecolor=(0.2, 0.2, 0.2)))
        keys = list(zip(handles, statuses))[::-1 if after == "right" else 1]  # read from the start of the line
        ax.legend([k[0] for k in keys], [k[1] for k in keys], loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=len(statuses),
                  frameon=False, fontsize=7.5, handlelength=1.2)
        fig.tight_layout(pad=0.4)
        return _save(fig, fmt)


def rgb(colour: str) -> tuple[float, float, float]:
    """#RRGGBB as three fractions (matplotlib, PDF colours)."""
    return tuple(int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))


# Indicator charts: the total (or the only row) in the goal's colour, the other rows thin and grey,
# so a chart of twenty regions still reads as one series against its spread.
LINE_SIZE = (160.0, 70.0)
Series = list[tuple[str, list[float | None], bool]]  # (label, value per year or None, emphasised)


def series_lines(years: list[int], rows: Series, colour: str, fmt: str) -> bytes:
    with _style([r[0] for r in rows]):
        fig, ax = _figure(*LINE_SIZE)
        for label, values, strong in sorted(rows, key=lambda r: r[2]):  # the emphasised lines on top
            points = [(y, v) for y, v in zip(years, values) if v is not None]
            ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", markersize=3 if strong else 0,
                    color=colour if strong else "#9aa3ad", linewidth=2.0 if strong else 0.8,
                    label=label if strong or len(rows) <= 4 else None)
        ax.set_xticks(years, [str(y) for y in years])
        ax.grid(axis="y", color="#e3e6ea", linewidth=0.5)
        if len(rows) > 1:
            ax.legend(frameon=False, fontsize=7, loc="best")
        fig.tight_layout(pad=0.4)
        return _save(fig, fmt)


def series_bars_size(rows: Series) -> tuple[float, float]:
    return (160.0, 60.0) if len(rows) == 1 else (160.0, 14.0 + 5.2 * len(rows))


def series_bars(years: list[int], rows: Series, colour: str, fmt: str) -> bytes:
    """One row: a bar per year. Several: the latest year's value of each row, largest first."""
    with _style([r[0] for r in rows]):
        fig, ax = _figure(*series_bars_size(rows))
        if len(rows) == 1:
            label, values, _ = rows[0]
            shown = [(str(y), v) for y, v in zip(years, values) if v is not None]
            ax.bar([s[0] for s in shown], [s[1] for s in shown], color=colour, width=0.65)
            ax.grid(axis="y", color="#e3e6ea", linewidth=0.5)
            ax.set_axisbelow(True)
        else:
            latest = [(label, values[-1], strong) for label, values, strong in rows if values[-1] is not None]
            latest.sort(key=lambda r: -r[1])
            ys = range(len(latest))
            ax.barh(list(ys), [r[1] for r in latest], height=0.7,
                    color=[colour if r[2] else (*rgb(colour), 0.45) for r in latest])
            ax.set_yticks(list(ys), [r[0] for r in latest])
            ax.invert_yaxis()
            ax.tick_params(axis="y", length=0)
            right = _mirrored(ax, [r[0] for r in latest]) == "right"
            ax.set_title(str(years[-1]), fontsize=8, loc="right" if right else "left")
        fig.tight_layout(pad=0.4)
        return _save(fig, fmt)
