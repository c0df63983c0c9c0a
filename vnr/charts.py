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
