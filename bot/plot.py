"""The results picture: the anxiety x avoidance plane with the person's points.

Avoidance (the model of others) runs left to right, anxiety (the model of self) bottom
to top, split at the scale midpoint into the four prototype quadrants. Each relationship
gets its latest point; earlier attempts are shown faded with an arrow to the latest, so
change over time ("earned security") is visible.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # no display on servers
import matplotlib.pyplot as plt

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


def plot_results(
    points: Sequence[PlotPoint], scale_min: float = 1, scale_max: float = 7, midpoint: float = 4
) -> bytes:
    """A PNG of the plane with one coloured point per relationship."""
    figure, axes = plt.subplots(figsize=(6.4, 6.0), dpi=100)
    try:
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
        for index, point in enumerate(points):
            colour = COLOURS[index % len(COLOURS)]
            previous = None
            for anxiety, avoidance in point.earlier:
                axes.scatter(avoidance, anxiety, s=50, color=colour, alpha=0.3, zorder=3)
                previous = (avoidance, anxiety)
            if previous:
                axes.annotate(
                    "",
                    xy=(point.avoidance, point.anxiety),
                    xytext=previous,
                    arrowprops={"arrowstyle": "->", "color": colour, "alpha": 0.6},
                )
            label = f"{point.label}: anxiety {point.anxiety:.1f}, avoidance {point.avoidance:.1f}"
            axes.scatter(
                point.avoidance, point.anxiety, s=120, color=colour, edgecolor="black", zorder=4, label=label
            )
        axes.set_xlabel("Avoidance (model of others): low = trusting, high = guarded")
        axes.set_ylabel("Anxiety (model of self): low = secure worth, high = worried")
        axes.set_title("Your attachment in each relationship")
        if points:
            axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, fontsize=8, frameon=False)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        plt.close(figure)
