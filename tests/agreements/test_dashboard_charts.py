"""The compliance trend chart: a bar per month on a 0–100 % scale, the open month drawn lighter and said
to be "so far", months without measurements without a bar, breached counts under the months, and a
text alternative that states every value."""

import re
from datetime import date

from agreements.charts import compliance_trend_chart
from agreements.selectors import ComplianceFigures, MonthFigures


def months(*figures) -> list[MonthFigures]:
    return [
        MonthFigures(month=date(2026, index + 1, 1), figures=value) for index, value in enumerate(figures)
    ]


TREND = months(
    ComplianceFigures(met=4),
    ComplianceFigures(),
    ComplianceFigures(met=2, at_risk=1, breached=1),
    ComplianceFigures(met=1, breached=3),
)


def desc_of(svg: str) -> str:
    return re.search(r"<desc [^>]*>(.*?)</desc>", svg).group(1)


def test_the_description_states_every_month():
    svg = compliance_trend_chart(TREND, open_month=date(2026, 4, 1))

    assert desc_of(svg) == (
        "Jan 2026: 100.0 % (4 measured, 0 breached); Feb 2026: no measurements; "
        "Mar 2026: 75.0 % (4 measured, 1 breached); Apr 2026: 25.0 % so far (4 measured, 3 breached)."
    )
    assert 'role="img" aria-labelledby="sla-trend-title sla-trend-desc"' in svg


def test_a_bar_per_measured_month_coloured_by_level_the_open_one_lighter():
    svg = compliance_trend_chart(TREND, open_month=date(2026, 4, 1))

    assert re.findall(r'<rect class="([^"]+)"', svg) == ["bar full", "bar low", "bar low open"]


def test_the_bars_stand_on_a_zero_to_hundred_axis():
    svg = compliance_trend_chart(months(ComplianceFigures(met=1), ComplianceFigures(met=1, breached=1)))

    heights = [
        float(value)
        for value in re.findall(
            r'<rect class="[^"]+" x="[^"]+" y="[^"]+" width="[^"]+" height="([^"]+)"', svg
        )
    ]
    assert heights[1] == heights[0] / 2  # 50 % is half of 100 %
    for tick in ("0 %", "25 %", "50 %", "75 %", "100 %"):
        assert f">{tick}</text>" in svg


def test_breached_counts_are_written_under_their_months():
    svg = compliance_trend_chart(TREND)

    assert re.findall(r'class="breached-count"[^>]*>(\d+) ✕<', svg) == ["1", "3"]


def test_the_title_is_escaped():
    svg = compliance_trend_chart(TREND, title="<Trend> & more", chart_id="x")

    assert '<title id="x-title">&lt;Trend&gt; &amp; more</title>' in svg


def test_an_empty_chart_says_so():
    assert desc_of(compliance_trend_chart([])) == "No months."
