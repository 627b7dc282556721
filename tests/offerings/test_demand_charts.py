"""The demand heat map (an accessible table shaded by intensity, peaks outlined and named) and the month
bars (SVG with a text alternative)."""

import re
import xml.etree.ElementTree as ET

from offerings.charts import heat_level, heat_map, month_bars

SVG = "{http://www.w3.org/2000/svg}"


def test_the_shade_follows_the_share_of_the_busiest_cell():
    assert [heat_level(volume, 10) for volume in (0, 1, 2, 3, 5, 9, 10)] == [0, 1, 1, 2, 3, 5, 5]
    assert heat_level(4, 0) == 0


def test_the_heat_map_is_a_table_of_days_by_hours_with_totals_and_named_peaks():
    matrix = [[0] * 24 for _ in range(7)]
    matrix[4][14] = 12
    matrix[0][9] = 3

    html = str(
        heat_map(
            matrix,
            peak_cells={(4, 14)},
            day_totals=[3, 0, 0, 0, 12, 0, 0],
            hour_totals=[0] * 9 + [3] + [0] * 4 + [12] + [0] * 9,
        )
    )

    root = ET.fromstring(html)
    rows = root.findall("./tbody/tr")
    assert [row.find("th").find("abbr").text for row in rows] == [
        "Mon",
        "Tue",
        "Wed",
        "Thu",
        "Fri",
        "Sat",
        "Sun",
    ]
    assert len(root.findall("./thead/tr/th")) == 1 + 24 + 1
    friday = rows[4].findall("td")
    assert friday[14].get("class") == "heat-5 peak"
    assert friday[14].get("title") == "Friday 14:00–15:00: 12 touchpoints (peak)"
    assert "".join(friday[14].itertext()) == "12 peak"
    assert rows[0].findall("td")[9].get("class") == "heat-2"
    assert friday[-1].text == "12"  # the day's total
    assert [cell.text for cell in root.findall("./tfoot/tr/td")][-1] == "15"


def test_the_caption_is_escaped():
    html = str(heat_map([[0] * 24] * 7, caption="<b>Load</b>"))

    assert "<caption>&lt;b&gt;Load&lt;/b&gt;</caption>" in html


def test_month_bars_mark_the_peaks_and_state_every_month():
    volumes = [10] * 10 + [40, 50]
    root = ET.fromstring(str(month_bars(volumes, peaks={11, 12})))

    bars = root.findall(f".//{SVG}rect")
    assert len(bars) == 12
    assert [bar.get("class") for bar in bars[-3:]] == ["bar", "bar peak", "bar peak"]
    assert bars[-1].find(f"{SVG}title").text == "Dec: 50 touchpoints (peak)"
    assert re.search(r"Jan 10; .* Dec 50 \(peak\)\.$", root.find(f"{SVG}desc").text)
