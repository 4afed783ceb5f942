"""The dashboard's charts as geometry for server-rendered SVG: bars in the colour of their
class, the trend per month as columns and the ranking of agencies as horizontal bars.

No JavaScript and no inline style (the Content-Security-Policy forbids both): the templates
draw with SVG attributes (`x`, `y`, `width`, `height`) and colour with the `tone-*` classes
of `indicators/indicators.css`. Each tone is a class of `conf.IndicatorSettings.classes`
(≥90 excellent, ≥80 good, ≥70 fair, ≥50 average, else weak), judged on the share of the
maximum a number reached.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from motcua.indicators.conf import indicator_settings
from motcua.indicators.engine import Scorecard
from motcua.indicators.periods import Period

#: One colour class per class of the settings, best first; a longer list of classes shares the last.
TONES = ("excellent", "good", "fair", "average", "weak")


def tone(percent: float | None) -> str:
    """The colour class of a share (0–100) of the maximum, or "none" when there is nothing to count."""
    if percent is None:
        return "none"
    for index, (cut, _name) in enumerate(indicator_settings().classes):
        if percent >= cut:
            return TONES[min(index, len(TONES) - 1)]
    return TONES[-1]


def bar(value: float | None, maximum: float) -> dict[str, Any]:
    """Width (0–100, the bar's viewBox is 100 wide) and colour class of one bar."""
    if value is None or maximum <= 0:
        return {"width": 0, "tone": "none", "percent": None}
    percent = 100 * value / maximum
    return {"width": max(0, min(100, round(percent))), "tone": tone(percent), "percent": round(percent, 1)}


# ---------------------------------------------------------------- trend per month

#: The trend chart's viewBox: 360 × 190 user units, drawn 1:1 on a 360-px phone.
WIDTH, HEIGHT = 360, 190
LEFT, RIGHT, TOP, BOTTOM = 30, 6, 18, 150


@dataclass(frozen=True)
class Column:
    label: str
    value: float
    x: float
    y: float
    width: float
    height: float
    text_x: float
    tone: str


def trend_chart(trend: list[tuple[Period, Scorecard]]) -> dict[str, Any]:
    """Columns of the total points (0–100) month by month, with the gridlines at 0, 50 and 100."""
    plot_height = BOTTOM - TOP
    slot = (WIDTH - LEFT - RIGHT) / max(1, len(trend))
    width = round(slot * 0.62, 1)
    columns = []
    for index, (period, card) in enumerate(trend):
        value = round(card.total, 1)
        height = round(plot_height * max(0.0, min(100.0, value)) / 100, 1)
        x = round(LEFT + index * slot + (slot - width) / 2, 1)
        columns.append(
            Column(
                label=f"{period.first:%m}/{period.first:%y}",
                value=value,
                x=x,
                y=round(BOTTOM - height, 1),
                width=width,
                height=height,
                text_x=round(x + width / 2, 1),
                tone=tone(value),
            )
        )
    grid = [{"value": v, "y": round(BOTTOM - plot_height * v / 100, 1)} for v in (0, 50, 100)]
    return {
        "view_box": f"0 0 {WIDTH} {HEIGHT}",
        "columns": columns,
        "grid": grid,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "label_y": BOTTOM + 16,
    }


def legend() -> list[dict[str, Any]]:
    """What each bar colour means: the classes of the settings with their lower bound."""
    from motcua.indicators.presenters import classification_label

    classes = indicator_settings().classes
    return [
        {"tone": TONES[min(index, len(TONES) - 1)], "name": classification_label(name), "cut": cut}
        for index, (cut, name) in enumerate(classes)
    ]
