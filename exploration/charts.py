"""The Pareto chart, drawn on the server as inline SVG: bars of each organization's value, largest
first, the running share as a line and the 80 % mark. Plain geometry, no JavaScript library, so the
chart works offline and without scripts; its table is the text alternative."""

from __future__ import annotations

from dataclasses import dataclass

from exploration.selectors import ParetoAnalysis

WIDTH, HEIGHT = 800, 320
# Room on the left for axis labels such as "12,500,000".
LEFT, RIGHT, TOP, BOTTOM = 84, 48, 16, 28


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    name: str
    value: object
    share: float
    is_vital: bool


@dataclass(frozen=True)
class ParetoChart:
    width: int
    height: int
    bars: list[Bar]
    line_points: str
    threshold_y: float
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    value_ticks: list[tuple[float, float]]
    share_ticks: list[tuple[float, int]]


def pareto_chart(analysis: ParetoAnalysis) -> ParetoChart | None:
    rows = analysis.chart_rows
    if not rows:
        return None
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    bottom = TOP + plot_height
    largest = float(rows[0].value) or 1.0
    slot = plot_width / len(rows)
    gap = min(4.0, slot * 0.2)
    bars, points = [], []
    for index, row in enumerate(rows):
        height = plot_height * float(row.value) / largest
        x = LEFT + index * slot
        bars.append(
            Bar(
                x=round(x + gap / 2, 2),
                y=round(bottom - height, 2),
                width=round(slot - gap, 2),
                height=round(height, 2),
                name=row.name,
                value=row.value,
                share=row.cumulative_share,
                is_vital=row.position <= analysis.vital_count,
            )
        )
        share_y = bottom - plot_height * row.cumulative_share / 100
        points.append(f"{x + slot / 2:.2f},{share_y:.2f}")
    return ParetoChart(
        width=WIDTH,
        height=HEIGHT,
        bars=bars,
        line_points=" ".join(points),
        threshold_y=round(bottom - plot_height * analysis.threshold / 100, 2),
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        plot_top=TOP,
        plot_bottom=bottom,
        value_ticks=[(round(bottom - plot_height * part, 2), largest * part) for part in (0, 0.5, 1)],
        share_ticks=[(round(bottom - plot_height * share / 100, 2), share) for share in (0, 50, 100)],
    )
