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
from collections.abc import Callable, Sequence
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


def _quadrants(axes: Axes, x_range: tuple[float, float], y_range: tuple[float, float]) -> None:
    """The four prototype quadrants, split at the middle of each axis; secure sits bottom left.

    A range may run backwards (left = 12, right = -12), so the same picture serves both
    questionnaires: the ECR-RS scores (high = insecure) and the RQ models (high = positive).
    """
    (left, right), (bottom, top) = x_range, y_range
    axes.set_xlim(left, right)
    axes.set_ylim(bottom, top)
    axes.axvline((left + right) / 2, color="#777777", linewidth=1)
    axes.axhline((bottom + top) / 2, color="#777777", linewidth=1)
    # Labels sit in the outer corners, where few points fall, so they rarely hide a point.
    x_inset, y_inset = (right - left) * 0.02, (top - bottom) * 0.02
    corners = {
        "secure": (left + x_inset, bottom + y_inset, "left", "bottom"),
        "anxious": (left + x_inset, top - y_inset, "left", "top"),
        "avoidant": (right - x_inset, bottom + y_inset, "right", "bottom"),
        "fearful": (right - x_inset, top - y_inset, "right", "top"),
    }
    for style, (x, y, horizontal, vertical) in corners.items():
        axes.text(x, y, QUADRANTS[style], ha=horizontal, va=vertical, fontsize=9, color="#555555")


def draw_results(axes: Axes, points: Sequence[PlotPoint], scale_min: float = 1, scale_max: float = 7) -> None:
    """The plane with one coloured point per relationship, drawn into `axes` (a PNG or a page)."""
    _quadrants(axes, (scale_min, scale_max), (scale_min, scale_max))
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


def _png(draw: Callable[[Axes], None]) -> bytes:
    figure, axes = plt.subplots(figsize=(6.4, 6.0), dpi=100)
    try:
        draw(axes)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        plt.close(figure)


def plot_results(points: Sequence[PlotPoint], scale_min: float = 1, scale_max: float = 7) -> bytes:
    """A PNG of the plane with one coloured point per relationship."""
    return _png(lambda axes: draw_results(axes, points, scale_min, scale_max))


def draw_models(axes: Axes, self_model: int, other_model: int, model_range: int) -> None:
    """The RQ's two models as one point on the same four-quadrant picture as the ECR-RS results."""
    _quadrants(axes, (model_range, -model_range), (model_range, -model_range))
    label = f"Four paragraphs (RQ): self {self_model:+d}, others {other_model:+d}"
    axes.scatter(other_model, self_model, s=120, color=COLOURS[0], edgecolor="black", zorder=4, label=label)
    axes.set_xlabel("Model of others: left = people will be there for me, right = wary of others")
    axes.set_ylabel("Model of self: bottom = I am worth loving, top = maybe I am not enough")
    axes.set_title("Your four-paragraph results")
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=1, fontsize=8, frameon=False)


def plot_models(self_model: int, other_model: int, model_range: int) -> bytes:
    """A PNG of the RQ result on the four-quadrant picture."""
    return _png(lambda axes: draw_models(axes, self_model, other_model, model_range))
