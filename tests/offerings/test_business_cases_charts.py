"""The cash flow chart of a business case: well-formed SVG with a bar per year on the right side of the
zero line, the cumulative line, the payback mark where finance puts it, and a text alternative."""

import xml.etree.ElementTree as ET
from decimal import Decimal

from offerings.charts import CASH_LEFT, CASH_RIGHT, CASH_WIDTH, cash_flow_chart
from offerings.finance import Line, business_case_figures

SVG = "{http://www.w3.org/2000/svg}"


def figures():
    # Years 0–3: −1,000, then +600 a year; cumulative −1,000, −400, 200, 800; payback 1.67 years.
    return business_case_figures(
        costs=[Line(Decimal("1000"), 0)],
        benefits=[Line(Decimal("600"), 1, 3)],
        discount_rate=Decimal("0.1"),
        horizon_years=3,
    )


def test_each_year_has_a_bar_coloured_by_its_sign_and_the_line_joins_the_cumulative_nets():
    case = figures()
    root = ET.fromstring(str(cash_flow_chart(case.years, payback=case.payback_years)))

    bars = root.findall(f".//{SVG}rect")
    assert [bar.get("class") for bar in bars] == [
        "net-negative",
        "net-positive",
        "net-positive",
        "net-positive",
    ]
    assert [bar.find(f"{SVG}title").text for bar in bars] == [
        "Year 0: net −1,000.00",
        "Year 1: net 600.00",
        "Year 2: net 600.00",
        "Year 3: net 600.00",
    ]
    zero = float(root.find(f"{SVG}line[@class='axis']").get("y1"))
    assert float(bars[0].get("y")) == zero  # the loss hangs below the zero line
    assert float(bars[1].get("y")) + float(bars[1].get("height")) == zero
    assert len(root.find(f"{SVG}polyline[@class='cumulative']").get("points").split()) == 4


def test_the_payback_mark_sits_two_thirds_of_the_way_from_year_1_to_year_2():
    case = figures()
    root = ET.fromstring(str(cash_flow_chart(case.years, payback=case.payback_years)))

    slot = (CASH_WIDTH - CASH_LEFT - CASH_RIGHT) / 4
    mark = float(root.find(f"{SVG}line[@class='payback']").get("x1"))
    assert abs(mark - (CASH_LEFT + slot * (1.67 + 0.5))) < 0.01


def test_the_description_states_every_year_and_the_payback():
    case = figures()
    root = ET.fromstring(str(cash_flow_chart(case.years, payback=case.payback_years)))

    assert root.get("role") == "img"
    description = root.find(f"{SVG}desc").text
    assert "year 1: net 600.00, cumulative −400.00" in description
    assert description.endswith("The case pays back after 1.67 years.")


def test_a_case_that_never_pays_back_has_no_mark():
    case = business_case_figures(
        costs=[Line(Decimal("500"), 0)], benefits=[], discount_rate=Decimal("0"), horizon_years=2
    )
    root = ET.fromstring(str(cash_flow_chart(case.years, payback=case.payback_years)))

    assert root.find(f"{SVG}line[@class='payback']") is None
    assert root.find(f"{SVG}desc").text.endswith("It does not pay back.")
