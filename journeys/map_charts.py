"""The designed journey map drawn as a swimlane table: the seven steps as column groups, a column per
stage, and the expected emotion as a curve running across the stage columns. Each cell draws its own
piece of the curve (from its left edge through its centre to its right edge), so the curve follows
the table's columns whatever their widths; pure functions of the map's stages, no queries."""

from __future__ import annotations

from dataclasses import dataclass

from journeys.models import SENTIMENT_LABELS, SENTIMENT_MAX, Channel, JourneyMap, JourneyStep, MapStage

CELL_WIDTH, CELL_HEIGHT = 100, 48
_PADDING = 6


def emotion_y(value: float) -> float:
    """The height of an emotion in a cell: +2 at the top, −2 at the bottom."""
    middle = CELL_HEIGHT / 2
    return round(middle - value * (middle - _PADDING) / SENTIMENT_MAX, 2)


@dataclass(frozen=True)
class MapColumn:
    """One column of the map: a stage, or the empty column of a step without one."""

    step: JourneyStep
    stage: MapStage | None
    first_of_step: bool
    step_span: int
    stage_count_in_step: int
    index_in_step: int
    curve: str  # SVG path data of the curve's piece in this cell ("" when the curve does not pass)
    point_y: float | None

    @property
    def emotion_label(self) -> str:
        if self.stage is None:
            return ""
        value = self.stage.expected_emotion
        return f"{value:+d} {SENTIMENT_LABELS[value]}" if value else f"0 {SENTIMENT_LABELS[0]}"

    @property
    def channel_labels(self) -> list[str]:
        if self.stage is None:
            return []
        labels = dict(Channel.choices)
        return [labels.get(channel, channel) for channel in self.stage.channels]

    @property
    def is_first_stage(self) -> bool:
        return self.index_in_step == 0

    @property
    def is_last_stage(self) -> bool:
        return self.index_in_step == self.stage_count_in_step - 1


def _interpolate(points: dict[int, float], position: float) -> float | None:
    """The curve's value at a position between column centres (column i's centre is at i), by a
    straight line between the nearest points on either side; None outside the first and last."""
    before = [index for index in points if index <= position]
    after = [index for index in points if index >= position]
    if not before or not after:
        return None
    left, right = max(before), min(after)
    if left == right:
        return points[left]
    share = (position - left) / (right - left)
    return points[left] + (points[right] - points[left]) * share


def _curve_piece(points: dict[int, float], index: int) -> str:
    """The path through the cell's left edge, centre and right edge, where the curve passes them."""
    xs = (0, CELL_WIDTH / 2, CELL_WIDTH)
    values = (
        _interpolate(points, index - 0.5),
        _interpolate(points, index),
        _interpolate(points, index + 0.5),
    )
    path, drawing = [], False
    for x, value in zip(xs, values, strict=True):
        if value is None:
            drawing = False
            continue
        path.append(f"{'L' if drawing else 'M'}{x:g} {emotion_y(value):g}")
        drawing = True
    return " ".join(path) if len(path) > 1 else ""


def map_columns(journey_map: JourneyMap) -> list[MapColumn]:
    """The map's columns in journey order (reads the map's prefetched `stages`): every step's stages,
    or one empty column for a step without any, so all seven steps always show."""
    by_step: dict[str, list[MapStage]] = {step.value: [] for step in JourneyStep}
    for stage in journey_map.stages.all():
        by_step[stage.step].append(stage)
    slots: list[tuple[JourneyStep, MapStage | None, int, int]] = []
    for step in JourneyStep:
        stages = by_step[step.value]
        if stages:
            slots.extend((step, stage, index, len(stages)) for index, stage in enumerate(stages))
        else:
            slots.append((step, None, 0, 0))
    points = {index: slot[1].expected_emotion for index, slot in enumerate(slots) if slot[1] is not None}
    columns = []
    for index, (step, stage, index_in_step, count) in enumerate(slots):
        columns.append(
            MapColumn(
                step=step,
                stage=stage,
                first_of_step=index_in_step == 0,
                step_span=max(count, 1),
                stage_count_in_step=count,
                index_in_step=index_in_step,
                curve=_curve_piece(points, index),
                point_y=emotion_y(stage.expected_emotion) if stage is not None else None,
            )
        )
    return columns
