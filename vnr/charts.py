"""Figures drawn with matplotlib: SVG (text kept as text) for HTML/PDF, PNG for DOCX."""

from __future__ import annotations

import io
from typing import Callable

import matplotlib

matplotlib.use("Agg")
from matplotlib import pyplot as plt  # noqa: E402

STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 8.5,
    "svg.fonttype": "none",  # keep labels as text: searchable in the PDF, readable by screen readers
    "svg.hashsalt": "vnr",  # stable element ids, for byte-identical rebuilds
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def priority_bars(
    bars: list[tuple[str, str, float, str]], percent: Callable[[float], str]
) -> tuple[str, bytes, tuple[float, float]]:
    """Horizontal bars, best first: (label, title, share, colour) each. Returns svg, png, size in mm."""
    width_mm, height_mm = 160.0, 12.0 + 6.2 * len(bars)
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(width_mm / 25.4, height_mm / 25.4))
        ys = range(len(bars))
        shares = [b[2] for b in bars]
        ax.barh(ys, shares, color=[b[3] for b in bars], height=0.72)
        ax.set_yticks(list(ys), [f"{label}  {title}" for label, title, _, _ in bars])
        ax.invert_yaxis()
        ax.set_xlim(0, max(shares + [0.01]) * 1.16)
        ax.xaxis.set_visible(False)
        ax.spines["bottom"].set_visible(False)
        ax.tick_params(axis="y", length=0)
        for y, share in zip(ys, shares):
            ax.text(share + max(shares) * 0.01, y, percent(share), va="center", fontsize=8)
        fig.tight_layout(pad=0.4)
        svg, png = io.BytesIO(), io.BytesIO()
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
        fig.savefig(png, format="png", dpi=200, metadata={"Software": None})
        plt.close(fig)
    return svg.getvalue().decode("utf-8"), png.getvalue(), (width_mm, height_mm)


def _simplified(ring: list[tuple[float, float]], tolerance: float = 0.03) -> list[tuple[float, float]]:
    """Drops points closer than `tolerance` degrees to the last kept one: enough for a page-wide map."""
    kept = [ring[0]]
    for x, y in ring[1:]:
        if abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= tolerance:
            kept.append((x, y))
    return kept if len(kept) >= 3 else ring


def region_map(
    shapes: dict[str, list[list[tuple[float, float]]]], values: dict[str, int], colour: str,
    label: Callable[[int], str], cities: set[str],
) -> tuple[str, bytes, tuple[float, float]]:
    """A choropleth of `values` by region code, shaded from white to `colour`; cities as dots."""
    from matplotlib.colors import LinearSegmentedColormap
    from matplotlib.patches import Polygon

    width_mm, height_mm = 160.0, 92.0
    cmap = LinearSegmentedColormap.from_list("vnr", ["#f2f4f7", colour])
    top = max(values.values(), default=0) or 1
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(width_mm / 25.4, height_mm / 25.4))
        for code, rings in shapes.items():
            if code in cities:
                continue
            fill = cmap(values.get(code, 0) / top) if code in values else "#ffffff"
            for ring in rings:
                ax.add_patch(Polygon(_simplified(ring), closed=True, facecolor=fill, edgecolor="#5a6472",
                                     linewidth=0.4))
        for code, rings in shapes.items():
            biggest = max(rings, key=len)
            xs, ys = [p[0] for p in biggest], [p[1] for p in biggest]
            x, y = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
            if code not in values:
                continue
            if code in cities:
                ax.plot([x], [y], "o", markersize=5, color=cmap(values[code] / top), markeredgecolor="#1d1d1b",
                        markeredgewidth=0.6)
                ax.text(x + 0.5, y, label(values[code]), fontsize=6.5, va="center", fontweight="bold")
            else:
                ax.text(x, y, label(values[code]), fontsize=7, ha="center", va="center")
        ax.set_aspect(1.45)  # degrees of longitude are shorter than latitude at 48°N
        ax.autoscale_view()
        ax.axis("off")
        fig.tight_layout(pad=0.2)
        svg, png = io.BytesIO(), io.BytesIO()
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
        fig.savefig(png, format="png", dpi=200, metadata={"Software": None})
        plt.close(fig)
    return svg.getvalue().decode("utf-8"), png.getvalue(), (width_mm, height_mm)
