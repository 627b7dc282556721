"""The assessment charts are well-formed SVG with the right number of axes, shapes and points, and
carry a text alternative that states every value."""

import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

from relationships.charts import radar_chart, trend_chart

SVG = "{http://www.w3.org/2000/svg}"
AXES = [("Capability", Decimal("4.5")), ("Commitment", 3), ("Consistency", Decimal("2.25"))]


def parse(svg) -> ET.Element:
    return ET.fromstring(str(svg))


def all_of(root, tag: str) -> list[ET.Element]:
    return root.findall(f".//{SVG}{tag}")


def text_alternative(root) -> tuple[str, str]:
    return root.find(f"{SVG}title").text, root.find(f"{SVG}desc").text


def test_a_radar_has_one_spoke_per_axis_one_polygon_and_no_legend_for_one_series():
    root = parse(radar_chart(AXES, name="The provider", title="Trust profile"))

    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "radar-title radar-desc"
    assert len(root.findall(f".//{SVG}line[@class='spoke']")) == 3
    assert len(root.findall(f".//{SVG}polygon[@class='ring']")) == 4  # rings at 2, 3, 4 and 5
    areas = [polygon for polygon in all_of(root, "polygon") if "area" in polygon.get("class")]
    assert len(areas) == 1
    assert len(areas[0].get("points").split()) == 3
    assert not root.findall(f".//{SVG}g[@class='legend-entry']")
    title, description = text_alternative(root)
    assert title == "Trust profile"
    assert "Capability 4.5; Commitment 3; Consistency 2.25" in description


def test_a_radar_places_values_from_the_centre_at_one_to_the_rim_at_five():
    root = parse(radar_chart([("A", 5), ("B", 1), ("C", 3)], title="Scale"))

    area = next(polygon for polygon in all_of(root, "polygon") if "area" in polygon.get("class"))
    (ax, ay), (bx, by), (cx, cy) = (tuple(map(float, p.split(","))) for p in area.get("points").split())
    assert (ax, ay) == (220.0, 34.0)  # the top spoke, 110 above the centre
    assert (bx, by) == (220.0, 144.0)  # the centre
    assert round(((cx - 220) ** 2 + (cy - 144) ** 2) ** 0.5) == 55  # halfway


def test_a_radar_overlays_both_directions_with_a_legend_and_describes_each():
    root = parse(
        radar_chart(
            AXES,
            name="The provider, as the consumer sees it",
            series=[
                (
                    "The consumer, as the provider sees it",
                    [("Capability", 2), ("Commitment", 4), ("Consistency", None)],
                )
            ],
            title="Trust <both ways>",
        )
    )

    areas = [polygon for polygon in all_of(root, "polygon") if "area" in polygon.get("class")]
    assert len(areas) == 2
    assert len(all_of(root, "circle")) == 6
    legend = [" ".join(entry.itertext()) for entry in root.findall(f".//{SVG}g[@class='legend-entry']")]
    assert legend == ["The provider, as the consumer sees it", "The consumer, as the provider sees it"]
    title, description = text_alternative(root)
    assert title == "Trust <both ways>"
    assert (
        "The consumer, as the provider sees it: Capability 2; Commitment 4; Consistency not rated"
        in description
    )


def test_a_trend_draws_one_dot_per_scored_point_in_date_order_with_a_line_between():
    root = parse(
        trend_chart(
            [
                (date(2026, 3, 1), Decimal("3.5")),
                (date(2025, 9, 1), 2),
                (date(2025, 12, 1), None),
                (date(2026, 6, 1), 4),
            ],
            title="Trust index",
        )
    )

    dots = all_of(root, "circle")
    assert len(dots) == 3
    xs = [float(dot.get("cx")) for dot in dots]
    assert xs == sorted(xs)
    assert xs[0] == 28.0 and xs[-1] == 308.0
    assert len(all_of(root, "polyline")[0].get("points").split()) == 3
    assert [dot.find(f"{SVG}title").text for dot in dots] == [
        "01 Sep 2025: 2",
        "01 Mar 2026: 3.5",
        "01 Jun 2026: 4",
    ]
    title, description = text_alternative(root)
    assert title == "Trust index"
    assert description == "Scale 1 to 5. 01 Sep 2025: 2; 01 Mar 2026: 3.5; 01 Jun 2026: 4."


def test_a_trend_with_one_point_has_no_line_and_one_without_scores_says_so():
    single = parse(trend_chart([(date(2026, 1, 5), 0)], low=0, high=3, chart_id="maturity"))
    empty = parse(trend_chart([], title="Nothing"))

    assert len(all_of(single, "circle")) == 1
    assert not all_of(single, "polyline")
    assert float(all_of(single, "circle")[0].get("cy")) == 98.0  # 0 on a 0–3 scale sits on the axis
    assert single.get("aria-labelledby") == "maturity-title maturity-desc"
    assert text_alternative(empty)[1] == "Scale 1 to 5. No scores yet."
