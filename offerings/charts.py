"""Charts of Offer, drawn on the server: a business case's cash flow (yearly net as bars, the cumulative
net as a line, crossing zero where the case pays back), and a demand profile's heat map (days of the
week × hours of the day, an HTML table with colour intensity and the numbers) and month bars.

Plain geometry and escaped text, no JavaScript, so they work offline and without scripts. The SVG
charts carry their own text alternative (`<title>` and a `<desc>` that states every value); the pages
show the same figures in tables next to them. Colours come from static/css/offerings-cases.css.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from offerings.finance import YearFigures

CASH_WIDTH, CASH_HEIGHT = 560, 220
CASH_LEFT, CASH_RIGHT, CASH_TOP, CASH_BOTTOM = 72, 16, 14, 26
MONTH_WIDTH, MONTH_HEIGHT = 560, 170
MONTH_LEFT, MONTH_RIGHT, MONTH_TOP, MONTH_BOTTOM = 44, 8, 12, 24
HEAT_LEVELS = 5  # intensity classes heat-1..heat-5; heat-0 is an empty cell
PEAK_MARK = '<span class="visually-hidden"> peak</span>'  # what a screen reader hears after a peak's number

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DAY_SHORT = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTH_SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _amount(value: Decimal) -> str:
    text = f"{abs(value):,.2f}"
    return f"−{text}" if value < 0 else text


def _round(value: float) -> float:
    return round(value, 2)


def _counted(volume: int, unit: str) -> str:
    """ "1 touchpoint", "3 touchpoints"; a bare number when there is no unit."""
    if not unit:
        return str(volume)
    return f"{volume} {unit[:-1] if volume == 1 and unit.endswith('s') else unit}"


# --- business case --------------------------------------------------------------------------------


def cash_flow_chart(
    years: Sequence[YearFigures], *, payback: Decimal | None = None, chart_id: str = "cash-flow"
) -> SafeString:
    """Bars of each year's net (benefits − costs; above the zero line when positive) and the line of the
    cumulative net. Where the cumulative net crosses zero for good, the case pays back (`payback`, in
    years, as offerings.finance computes it); the chart marks that point."""
    plot_width = CASH_WIDTH - CASH_LEFT - CASH_RIGHT
    plot_height = CASH_HEIGHT - CASH_TOP - CASH_BOTTOM
    values = [float(year.net) for year in years] + [float(year.cumulative_net) for year in years]
    high = max([0.0, *values])
    low = min([0.0, *values])
    span = (high - low) or 1.0

    def y_of(value: float) -> float:
        return _round(CASH_TOP + plot_height * (high - value) / span)

    zero = y_of(0.0)
    slot = plot_width / max(len(years), 1)
    bar_width = _round(max(min(slot * 0.55, 48.0), 2.0))
    bars, points, labels = [], [], []
    for index, year in enumerate(years):
        centre = CASH_LEFT + slot * (index + 0.5)
        net = float(year.net)
        top, bottom = (y_of(net), zero) if net >= 0 else (zero, y_of(net))
        bars.append(
            format_html(
                '<rect class="{}" x="{}" y="{}" width="{}" height="{}"><title>Year {}: net {}</title></rect>',
                "net-positive" if net >= 0 else "net-negative",
                _round(centre - bar_width / 2),
                top,
                bar_width,
                _round(max(bottom - top, 0.5)),
                year.year,
                _amount(year.net),
            )
        )
        points.append((_round(centre), y_of(float(year.cumulative_net)), year))
        labels.append(
            format_html(
                '<text class="tick" x="{}" y="{}" text-anchor="middle">{}</text>',
                _round(centre),
                CASH_HEIGHT - 8,
                year.year,
            )
        )
    line = (
        format_html('<polyline class="cumulative" points="{}"/>', " ".join(f"{x},{y}" for x, y, _ in points))
        if len(points) > 1
        else ""
    )
    dots = format_html_join(
        "",
        '<circle class="cumulative-dot" cx="{}" cy="{}" r="3"><title>End of year {}: cumulative {}</title>'
        "</circle>",
        ((x, y, year.year, _amount(year.cumulative_net)) for x, y, year in points),
    )
    marker = ""
    if payback is not None and years:
        # Each year's cumulative net is drawn in the middle of its slot. The payback p = (t − 1) + f
        # interpolates between the ends of years t − 1 and t, so it sits a share f of the way between
        # those two points: at slot p + ½.
        x = _round(CASH_LEFT + slot * (min(float(payback), len(years) - 1) + 0.5))
        marker = format_html(
            '<line class="payback" x1="{x}" y1="{top}" x2="{x}" y2="{bottom}"/>'
            '<text class="payback-label" x="{x}" y="{label_y}" text-anchor="middle">payback</text>',
            x=x,
            top=CASH_TOP,
            bottom=CASH_HEIGHT - CASH_BOTTOM,
            label_y=CASH_TOP + 10,
        )
    ticks = format_html_join(
        "",
        '<text class="tick" x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}</text>',
        ((CASH_LEFT - 6, y_of(value), _amount(Decimal(str(round(value, 2))))) for value in {high, low, 0.0}),
    )
    stated = "; ".join(
        f"year {year.year}: net {_amount(year.net)}, cumulative {_amount(year.cumulative_net)}"
        for year in years
    )
    payback_text = (
        f" The case pays back after {payback:.2f} years." if payback is not None else " It does not pay back."
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" class="cash-flow-chart" '
        'role="img" aria-labelledby="{id}-title {id}-desc">'
        '<title id="{id}-title">Net per year and cumulative net</title><desc id="{id}-desc">{desc}</desc>'
        '<line class="axis" x1="{left}" y1="{zero}" x2="{right}" y2="{zero}"/>'
        "{ticks}{bars}{line}{dots}{marker}{labels}</svg>",
        w=CASH_WIDTH,
        h=CASH_HEIGHT,
        id=chart_id,
        desc=f"{stated}.{payback_text}" if years else "No years.",
        left=CASH_LEFT,
        right=CASH_WIDTH - CASH_RIGHT,
        zero=zero,
        ticks=ticks,
        bars=mark_safe("".join(bars)),  # noqa: S308 - built with format_html above
        line=line,
        dots=dots,
        marker=marker,
        labels=mark_safe("".join(labels)),  # noqa: S308
    )


# --- demand profiles ------------------------------------------------------------------------------


def heat_level(volume: int, highest: int) -> int:
    """The colour class of a cell: 0 when empty, else 1..HEAT_LEVELS by its share of the highest."""
    if volume <= 0 or highest <= 0:
        return 0
    return max(1, min(HEAT_LEVELS, -(-volume * HEAT_LEVELS // highest)))


def heat_map(
    matrix: Sequence[Sequence[int]],
    *,
    peak_cells: set[tuple[int, int]] = frozenset(),
    day_totals: Sequence[int] | None = None,
    hour_totals: Sequence[int] | None = None,
    caption: str = "Workload by day of the week and hour of the day",
    unit: str = "touchpoints",
) -> SafeString:
    """The days of the week (rows, Monday first) × the hours of the day (columns): each cell shows its
    volume, shaded by its share of the busiest cell; peak cells are outlined and say so to screen
    readers. With `day_totals` and `hour_totals`, a total column and a total row close the table."""
    highest = max((volume for row in matrix for volume in row), default=0)
    head = "".join(f'<th scope="col" class="hour">{hour:02d}</th>' for hour in range(24))
    total_head = '<th scope="col" class="total">Total</th>' if day_totals is not None else ""
    rows = []
    for day, volumes in enumerate(matrix):
        cells = []
        for hour, volume in enumerate(volumes):
            peak = (day, hour) in peak_cells
            cells.append(
                f'<td class="heat-{heat_level(volume, highest)}{" peak" if peak else ""}" '
                f'title="{DAY_NAMES[day]} {hour:02d}:00–{(hour + 1) % 24:02d}:00: {_counted(volume, unit)}'
                f'{" (peak)" if peak else ""}">{volume}'
                f"{PEAK_MARK if peak else ''}</td>"
            )
        total = f'<td class="total">{day_totals[day]}</td>' if day_totals is not None else ""
        rows.append(
            f'<tr><th scope="row"><abbr title="{DAY_NAMES[day]}">{DAY_SHORT[day]}</abbr></th>'
            f"{''.join(cells)}{total}</tr>"
        )
    foot = ""
    if hour_totals is not None:
        grand = sum(hour_totals)
        foot = (
            '<tfoot><tr><th scope="row">Total</th>'
            + "".join(f'<td class="total">{volume}</td>' for volume in hour_totals)
            + (f'<td class="total">{grand}</td>' if day_totals is not None else "")
            + "</tr></tfoot>"
        )
    return mark_safe(  # noqa: S308 - numbers and our own labels; the caption is escaped
        f'<table class="heat-map"><caption>{escape(caption)}</caption>'
        '<thead><tr><th scope="col"><span class="visually-hidden">Day</span></th>'
        f"{head}{total_head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody>{foot}</table>"
    )


def month_bars(
    volumes: Sequence[int],
    *,
    peaks: set[int] = frozenset(),
    chart_id: str = "months",
    unit: str = "touchpoints",
) -> SafeString:
    """Twelve bars, January to December, peak months in the peak colour; each bar states its month and
    volume, and the description lists them all."""
    plot_width = MONTH_WIDTH - MONTH_LEFT - MONTH_RIGHT
    plot_height = MONTH_HEIGHT - MONTH_TOP - MONTH_BOTTOM
    highest = max(volumes, default=0) or 1
    slot = plot_width / 12
    bars, labels = [], []
    for index, volume in enumerate(volumes):
        month = index + 1
        height = _round(plot_height * volume / highest)
        x = _round(MONTH_LEFT + slot * index + slot * 0.15)
        peak = month in peaks
        bars.append(
            format_html(
                '<rect class="{}" x="{}" y="{}" width="{}" height="{}"><title>{}: {}{}</title></rect>',
                "bar peak" if peak else "bar",
                x,
                _round(MONTH_TOP + plot_height - height),
                _round(slot * 0.7),
                max(height, 0.5),
                MONTH_SHORT[index],
                _counted(volume, unit),
                " (peak)" if peak else "",
            )
        )
        labels.append(
            format_html(
                '<text class="tick" x="{}" y="{}" text-anchor="middle">{}</text>',
                _round(MONTH_LEFT + slot * (index + 0.5)),
                MONTH_HEIGHT - 6,
                MONTH_SHORT[index],
            )
        )
    bottom = MONTH_TOP + plot_height
    description = "; ".join(
        f"{MONTH_SHORT[index]} {volume}{' (peak)' if index + 1 in peaks else ''}"
        for index, volume in enumerate(volumes)
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" class="month-bars" '
        'role="img" aria-labelledby="{id}-title {id}-desc">'
        '<title id="{id}-title">Workload by month</title><desc id="{id}-desc">{desc}.</desc>'
        '<line class="axis" x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}"/>'
        '<text class="tick" x="{tick_x}" y="{top}" text-anchor="end" dominant-baseline="middle">{high}</text>'
        "{bars}{labels}</svg>",
        w=MONTH_WIDTH,
        h=MONTH_HEIGHT,
        id=chart_id,
        desc=description,
        left=MONTH_LEFT,
        right=MONTH_WIDTH - MONTH_RIGHT,
        bottom=bottom,
        tick_x=MONTH_LEFT - 6,
        top=MONTH_TOP,
        high=max(volumes, default=0),
        bars=mark_safe("".join(bars)),  # noqa: S308 - built with format_html above
        labels=mark_safe("".join(labels)),  # noqa: S308
    )
