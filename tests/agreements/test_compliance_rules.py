"""The compliance engine's status rule, at every edge of every comparator: breached when the comparator
does not hold, at risk when it holds but the warning threshold has not been reached, met otherwise."""

from decimal import Decimal

import pytest

from agreements.models import ComplianceStatus
from agreements.services.compliance import achieved_round, compliance_status

MET, AT_RISK, BREACHED, NO_DATA = (
    ComplianceStatus.MET,
    ComplianceStatus.AT_RISK,
    ComplianceStatus.BREACHED,
    ComplianceStatus.NO_DATA,
)


@pytest.mark.parametrize(
    ("comparator", "target", "warning", "achieved", "expected"),
    [
        # at least 99.5, warning at 99.7
        ("gte", "99.5", "99.7", "99.4999", BREACHED),
        ("gte", "99.5", "99.7", "99.5", AT_RISK),
        ("gte", "99.5", "99.7", "99.6999", AT_RISK),
        ("gte", "99.5", "99.7", "99.7", MET),
        ("gte", "99.5", "99.7", "100", MET),
        ("gte", "99.5", None, "99.5", MET),
        # more than 99.5, warning at 99.7
        ("gt", "99.5", "99.7", "99.5", BREACHED),
        ("gt", "99.5", "99.7", "99.5001", AT_RISK),
        ("gt", "99.5", "99.7", "99.7", MET),
        ("gt", "99.5", None, "99.5001", MET),
        # at most 4 hours, warning at 3
        ("lte", "4", "3", "4.0001", BREACHED),
        ("lte", "4", "3", "4", AT_RISK),
        ("lte", "4", "3", "3.0001", AT_RISK),
        ("lte", "4", "3", "3", MET),
        ("lte", "4", "3", "0", MET),
        ("lte", "4", None, "4", MET),
        # less than 4, warning at 3
        ("lt", "4", "3", "4", BREACHED),
        ("lt", "4", "3", "3.9999", AT_RISK),
        ("lt", "4", "3", "3", MET),
        ("lt", "4", None, "3.9999", MET),
        # exactly 0 incidents (no warning threshold)
        ("eq", "0", None, "0", MET),
        ("eq", "0", None, "0.0001", BREACHED),
        ("eq", "0", None, "-1", BREACHED),
    ],
)
def test_the_status_follows_the_comparator_and_the_warning(comparator, target, warning, achieved, expected):
    status = compliance_status(
        achieved=Decimal(achieved),
        comparator=comparator,
        target_value=Decimal(target),
        warning_threshold=Decimal(warning) if warning else None,
    )

    assert status == expected


@pytest.mark.parametrize("comparator", ["gte", "gt", "lte", "lt", "eq"])
def test_nothing_measured_is_no_data(comparator):
    status = compliance_status(
        achieved=None, comparator=comparator, target_value=Decimal(1), warning_threshold=None
    )

    assert status == NO_DATA


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        (99.55000000000001, Decimal("99.5500")),  # SQLite averages in floats
        (Decimal("99.49995"), Decimal("99.5000")),  # half up, at the fifth place
        (Decimal("99.49994"), Decimal("99.4999")),
        (3, Decimal("3.0000")),
        (None, None),
    ],
)
def test_achieved_values_are_rounded_to_four_places_before_they_are_compared(raw, stored):
    assert achieved_round(raw) == stored


@pytest.mark.parametrize("comparator", ["gte", "gt", "lte", "lt", "eq"])
@pytest.mark.parametrize("warning", [None, "3", "99.7", "4"])
def test_the_engines_inlined_rule_is_compliance_status(comparator, warning):
    from agreements.services.compliance import _judge

    target, threshold = Decimal(4), Decimal(warning) if warning else None
    judge = _judge(comparator, target, threshold)
    values = [None, *(Decimal(text) for text in ("-1", "0", "2.9999", "3", "3.0001", "3.9999", "4"))]
    values += [Decimal(text) for text in ("4.0000", "4.0001", "5", "99.6999", "99.7", "100")]
    for achieved in values:
        expected = compliance_status(
            achieved=achieved, comparator=comparator, target_value=target, warning_threshold=threshold
        )
        assert judge(achieved) == expected.value, achieved
