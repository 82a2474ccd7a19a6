"""The results picture: the anxiety x avoidance plane with the person's points.

Avoidance (the model of others) runs left to right, anxiety (the model of self) bottom
to top, split at the scale midpoint into the four prototype quadrants. Each relationship
gets its latest point; earlier attempts are shown faded, joined by arrows in time order, and
a dashed box around the latest point shows how far scores move between attempts without any
real change (bot/change.py), so a point outside it has really moved.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # no display on servers
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.patches import Rectangle

QUADRANTS = {
    "secure": "Secure\n(positive self, positive others)",
    "anxious": "Anxious-preoccupied\n(negative self, positive others)",
    "avoidant": "Dismissive-avoidant\n(positive self, negative others)",
    "fearful": "Fearful-avoidant\n(negative self, negative others)",
}
COLOURS = ("#1b6ca8", "#c0392b", "#2e8b57", "#8e44ad", "#d35400")


@dataclass(frozen=True)
class PlotPoint:
    label: str
    anxiety: float
    avoidance: float
    earlier: tuple[tuple[float, float], ...] = ()  # (anxiety, avoidance) of earlier attempts, oldest first
    fluctuation: float = 0.0  # half-width of the band of normal ups and downs around the latest point


def draw_results(
    axes: Axes, points: Sequence[PlotPoint], scale_min: float = 1, scale_max: float = 7, midpoint: float = 4
) -> None:
    """The plane with one coloured point per relationship, drawn into `axes` (a PNG or a page)."""
    axes.set_xlim(scale_min, scale_max)
    axes.set_ylim(scale_min, scale_max)
    axes.axvline(midpoint, color="#777777", linewidth=1)
    axes.axhline(midpoint, color="#777777", linewidth=1)
    # Labels sit in the outer corners, where few points fall, so they rarely hide a point.
    inset = (scale_max - scale_min) * 0.02
    corners = {
        "secure": (scale_min + inset, scale_min + inset, "left", "bottom"),
        "anxious": (scale_min + inset, scale_max - inset, "left", "top"),
        "avoidant": (scale_max - inset, scale_min + inset, "right", "bottom"),
        "fearful": (scale_max - inset, scale_max - inset, "right", "top"),
    }
    for style, (x, y, horizontal, vertical) in corners.items():
        axes.text(x, y, QUADRANTS[style], ha=horizontal, va=vertical, fontsize=9, color="#555555")
    shown_band = False
    for index, point in enumerate(points):
        colour = COLOURS[index % len(COLOURS)]
        path = [(avoidance, anxiety) for anxiety, avoidance in point.earlier]
        for x, y in path:
            axes.scatter(x, y, s=50, color=colour, alpha=0.3, zorder=3)
        path.append((point.avoidance, point.anxiety))
        for start, end in itertools.pairwise(path):
            axes.annotate(
                "", xy=end, xytext=start, arrowprops={"arrowstyle": "->", "color": colour, "alpha": 0.6}
            )
        if point.earlier and point.fluctuation:
            band = point.fluctuation
            axes.add_patch(
                Rectangle(
                    (point.avoidance - band, point.anxiety - band),
                    2 * band,
                    2 * band,
                    facecolor=(*to_rgb(colour), 0.07),
                    edgecolor=colour,
                    linestyle="--",
                    zorder=2,
                )
            )
            shown_band = True
        label = f"{point.label}: anxiety {point.anxiety:.1f}, avoidance {point.avoidance:.1f}"
        axes.scatter(
            point.avoidance, point.anxiety, s=120, color=colour, edgecolor="black", zorder=4, label=label
        )
    axes.set_xlabel("Avoidance (model of others): low = trusting, high = guarded")
    axes.set_ylabel("Anxiety (model of self): low = secure worth, high = worried")
    axes.set_title("Your attachment in each relationship", pad=16 if shown_band else 6)
    if shown_band:
        axes.text(
            0.5, 1.01, "Dashed box: normal ups and downs between attempts", transform=axes.transAxes,
            ha="center", va="bottom", fontsize=8, color="#555555",
        )  # fmt: skip
    if points:
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, fontsize=8, frameon=False)


def plot_results(
    points: Sequence[PlotPoint], scale_min: float = 1, scale_max: float = 7, midpoint: float = 4
) -> bytes:
    """A PNG of the plane with one coloured point per relationship."""
    figure, axes = plt.subplots(figsize=(6.4, 6.0), dpi=100)
    try:
        draw_results(axes, points, scale_min, scale_max, midpoint)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        plt.close(figure)
