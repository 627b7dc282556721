"""Pages of the value metrics: the portfolio's value dashboard, one account's value page and the health
policy. They read the monthly snapshots through `realization.selectors` (so each costs the same few
queries for one account or thousands) and write the policy through `realization.services`; the
figures, the health score and the watermelon rule live there.

The dashboard and the account page are plain GET forms (period, segment) whose result region HTMX
swaps; the charts are drawn on the server (`realization.value_charts`) with their figures stated in
text and in a table beside them.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from exploration import selectors as exploration_selectors
from journeys import roles
from journeys import selectors as spine_selectors
from journeys.htmx import render_page, wants_fragment
from journeys.web import browser_view, form_submitted, require
from realization import selectors, services
from realization.forms.value import HealthPolicyForm, ValueFilterForm
from realization.models import HealthBand, HealthPolicy
from realization.selectors import ValueFigures
from realization.value_charts import Axis, Marks, Series, Threshold, month_label, number, trend_chart

__all__ = ["account_value", "health_policy", "value_accounts", "value_dashboard"]

POLICY_REFUSED = "Only administrators may change the health policy."
FOLLOW_UPS_SHOWN = 10
REVIEWS_SHOWN = 10
ACCOUNT_REVIEWS_SHOWN = 6
BAND_ACCOUNTS_SHOWN = 100
BANDS = (
    (HealthBand.HEALTHY.value, "Healthy"),
    (HealthBand.WATCH.value, "Watch"),
    (HealthBand.AT_RISK.value, "At risk"),
    ("no_data", "No data"),
)


# --- headline cards ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    """A headline figure of the period and how it moved since the period before."""

    label: str
    value: str
    hint: str
    change: str = ""
    tone: str = "same"  # better, worse or same
    spoken: str = ""


MISSING = object()


def _card(label, hint, now, before, *, places=0, unit="", signed=False, points=True) -> Card:
    """A figure and its move since the period before (MISSING: not compared); higher is better for
    every headline figure."""
    value = number(now, places, unit)
    if signed and now is not None and now > 0 and not value.startswith("0"):
        value = f"+{value}"
    if places and value.endswith(".0"):
        value = value.removesuffix(".0")
    if now is None or before is MISSING:
        return Card(label=label, value=value, hint=hint)
    if before is None:
        return Card(label=label, value=value, hint=hint, spoken="no figure for the period before")
    delta = Decimal(now) - Decimal(before)
    shown = number(abs(delta), places)
    if float(shown) == 0:
        return Card(
            label, value, hint, change="= no change", tone="same", spoken="unchanged on the period before"
        )
    up = delta > 0
    word = " points" if points else ""
    return Card(
        label=label,
        value=value,
        hint=hint,
        change=f"{'▲ +' if up else '▼ −'}{shown}{word}",
        tone="better" if up else "worse",
        spoken=f"{'up' if up else 'down'} {shown}{word} on the period before",
    )


def _cards(totals, previous, *, months: int, health_now, health_label: str) -> list[Card]:
    """NPS, CSAT, CES, response rate and SLA compliance of the period, and the latest health score,
    each against the same number of months just before (`previous`, None when unknown)."""

    def before(name):
        return getattr(previous, name) if previous is not None else MISSING

    period = f"last {months} months"
    return [
        _card("NPS", f"−100 to +100, {period}", totals.nps, before("nps"), signed=True),
        _card("CSAT", f"answers of 4–5, {period}", totals.csat_pct, before("csat_pct"), unit=" %"),
        _card(
            "CES",
            f"mean, 1–7, higher is easier, {period}",
            totals.ces_mean,
            before("ces_mean"),
            places=1,
            points=False,
        ),
        _card(
            "Response rate",
            f"answers ÷ invitations sent, {period}",
            totals.response_rate,
            before("response_rate"),
            unit=" %",
        ),
        _card(
            "SLA compliance",
            f"targets met ÷ measured, {period}",
            totals.sla_compliance,
            before("sla_compliance"),
            unit=" %",
        ),
        _card(health_label, "0–100, this month", health_now, before("average_health"), places=1),
    ]


# --- charts -----------------------------------------------------------------------------------------

PERCENT = Axis(0, 100, ((100, "100 %"), (75, "75 %"), (50, "50 %"), (25, "25 %"), (0, "0 %")))
NPS_AXIS = Axis(-100, 100, ((100, "+100"), (50, "+50"), (0, "0"), (-50, "−50"), (-100, "−100")))
CES_AXIS = Axis(1, 7, ((7, "7 easy"), (5.5, "5.5"), (4, "4"), (2.5, "2.5"), (1, "1 hard")))
HEALTH_AXIS = Axis(0, 100, ((100, "100"), (75, "75"), (50, "50"), (25, "25"), (0, "0")))


def _threshold(value, label: str, *, unit: str = "", places: int = 0, right: bool = False) -> Threshold:
    return Threshold(float(value), f"{label} {number(value, places, unit)}", right=right)


def _charts(trend, policy, *, subject: str, period: str, prefix: str, watermelon_months=()) -> list[dict]:
    """The four trend charts of a page: NPS; CSAT and CES; SLA compliance beside CSAT (the watermelon
    picture: green outside, red inside); the health score against its bands."""
    months = [figures.month for figures in trend]
    flagged = set(watermelon_months)
    shaded = [index for index, month in enumerate(months) if month in flagged]
    nps = Series("nps", "NPS", [figures.nps for figures in trend], signed=True)
    csat = Series("csat", "CSAT", [figures.csat_pct for figures in trend], unit=" %")
    ces = Series("ces", "CES", [figures.ces_mean for figures in trend], places=1, right=True)
    sla = Series("sla", "SLA compliance", [figures.sla_compliance for figures in trend], unit=" %")
    health = Series("health", "Health", [figures.average_health for figures in trend])
    csat_red = _threshold(policy.watermelon_csat_below, "CSAT red below", unit=" %")
    health_label = "Average health score (0–100)" if prefix == "portfolio" else "Health score (0–100)"

    def chart(key: str, heading: str, legend: list, **drawing) -> dict:
        chart_id = f"{prefix}-{key}"
        title = f"{heading} per month: {subject}, {period}"
        svg = trend_chart(chart_id=chart_id, title=title, months=months, **drawing)
        legend = legend + [("threshold", threshold.label) for threshold in drawing.get("thresholds", ())]
        return {"id": chart_id, "heading": heading, "legend": legend, "svg": svg}

    return [
        chart("nps", "NPS", [("nps", "NPS: % promoters − % detractors")], series=[nps], axis=NPS_AXIS),
        chart(
            "satisfaction",
            "CSAT and CES",
            [("csat", "CSAT: % satisfied (left scale)"), ("ces", "CES: mean effort 1–7 (right scale)")],
            series=[csat, ces],
            axis=PERCENT,
            right_axis=CES_AXIS,
            thresholds=[
                csat_red,
                _threshold(policy.watermelon_ces_below, "CES red below", places=1, right=True),
            ],
        ),
        chart(
            "watermelon",
            "SLA compliance beside CSAT",
            [("sla", "SLA compliance: targets met"), ("csat", "CSAT: % satisfied")]
            + ([("mark", "a watermelon month")] if shaded else []),
            series=[sla, csat],
            axis=PERCENT,
            thresholds=[_threshold(policy.watermelon_sla_from, "SLA green from", unit=" %"), csat_red],
            marks=Marks(shaded, "the account was a watermelon") if shaded else None,
        ),
        chart(
            "health",
            "Health score",
            [("health", health_label)],
            series=[health],
            axis=HEALTH_AXIS,
            thresholds=[
                _threshold(policy.healthy_from, "healthy from"),
                _threshold(policy.at_risk_below, "at risk below"),
            ],
        ),
    ]


def _period(first_month, last_month) -> str:
    return f"{month_label(first_month)} – {month_label(last_month)}"


def _distribution(distribution, keep: dict) -> list[dict]:
    """The four bands with their counts, bar widths and the link to their accounts."""
    total = distribution.total or 1
    largest = max((getattr(distribution, band) for band, _ in BANDS), default=0) or 1
    rows = []
    for band, label in BANDS:
        count = getattr(distribution, band)
        rows.append(
            {
                "band": band,
                "label": label,
                "count": count,
                "percent": round(100 * count / total),
                "width": round(100 * count / largest),
                "url": reverse("realization:value_accounts") + "?" + urlencode({**keep, "band": band}),
            }
        )
    return rows


# --- the portfolio's dashboard ----------------------------------------------------------------------

COUNT_FIELDS = tuple(
    field.name
    for field in fields(ValueFigures)
    if field.name not in ("month", "average_health", "accounts_scored")
)


def _added(months: list) -> ValueFigures:
    """Months of figures taken together: their counts added up (every figure is a ratio of counts),
    the average health of the last of them."""
    return ValueFigures(
        **{name: sum(getattr(figures, name) for figures in months) for name in COUNT_FIELDS},
        average_health=months[-1].average_health if months else None,
    )


def _halves(trend: list, months: int) -> tuple[list, ValueFigures | None]:
    """The last `months` of a trend, and the months before them taken together (None if none)."""
    shown, before = trend[-months:], trend[:-months]
    return shown, (_added(before) if before else None)


def _filters(request: HttpRequest) -> tuple[ValueFilterForm, dict, object]:
    """The filter form read from the query string, what it asked for, and the segment chosen (the
    segments' list is one query, and the chosen one comes from it)."""
    segments = list(
        exploration_selectors.market_segment_scope(request.user).order_by("name").only("pk", "name")
    )
    form = ValueFilterForm(request.GET or None, segments=[(segment.pk, segment.name) for segment in segments])
    asked = form.choices()
    segment = next((segment for segment in segments if segment.pk == asked["segment"]), None)
    return form, asked, segment


@browser_view
@require_GET
def value_dashboard(request: HttpRequest) -> HttpResponse:
    """The value of the accounts the user looks after (or of a segment's members among them): headline
    figures against the period before, the trends, the health bands, the watermelons and the lowest
    health. Detractors to follow up and the value reviews coming up are the user's, whatever the
    filter (they stay outside the region the filters swap)."""
    user = request.user
    form, asked, segment = _filters(request)
    months = asked["months"]
    # Twice the period in one read (the same queries): its later half is the period shown, its earlier
    # half the period the headline figures are compared with.
    doubled = months * 2 in selectors.VALUE_PERIODS
    dashboard = selectors.value_dashboard(
        user=user, months=months * 2 if doubled else months, segment=segment
    )
    trend, previous = _halves(dashboard.trend, months)
    totals = _added(trend)
    keep = {"months": months} | ({"segment": segment.pk} if segment else {})
    period = _period(trend[0].month, trend[-1].month)
    subject = f"segment {segment.name}" if segment else "your portfolio"
    context = {
        "form": form,
        "asked": asked,
        "segment": segment,
        "dashboard": dashboard,
        "trend": trend,
        "totals": totals,
        "period": period,
        "subject": subject,
        "cards": _cards(
            totals,
            previous,
            months=months,
            health_now=totals.average_health,
            health_label="Average health",
        ),
        "charts": _charts(trend, dashboard.policy, subject=subject, period=period, prefix="portfolio"),
        "distribution": _distribution(dashboard.distribution, keep),
        "policy_url": reverse("realization:health_policy"),
    }
    if not wants_fragment(request):
        context["follow_ups"] = selectors.follow_ups_open(user=user, limit=FOLLOW_UPS_SHOWN)
        context["reviews"] = selectors.reviews_upcoming(user=user, limit=REVIEWS_SHOWN)
    return render_page(request, "realization/value/dashboard.html", context, partial="figures")


@browser_view
@require_GET
def value_accounts(request: HttpRequest) -> HttpResponse:
    """The accounts of one health band (the dashboard's distribution links here), lowest score first."""
    user = request.user
    form, asked, segment = _filters(request)
    band = request.GET.get("band", "")
    bands = dict(BANDS)
    if band not in bands:
        band = HealthBand.AT_RISK.value
    found = selectors.value_accounts(user=user, band=band, segment=segment, limit=BAND_ACCOUNTS_SHOWN)
    context = {
        "form": form,
        "asked": asked,
        "segment": segment,
        "band": band,
        "band_label": bands[band],
        "bands": BANDS,
        "found": found,
        "capped": len(found) >= BAND_ACCOUNTS_SHOWN,
        "keep": {"months": asked["months"]} | ({"segment": segment.pk} if segment else {}),
    }
    return render_page(request, "realization/value/accounts.html", context, partial="accounts")


# --- one account ------------------------------------------------------------------------------------


@browser_view
@require_GET
def account_value(request: HttpRequest, pk: int) -> HttpResponse:
    """One account's value: its health score with how it came about, the trends, the figures per
    journey step, the watermelon warning, and its follow-ups and value reviews. An account the user
    may not see is not found (404)."""
    user = request.user
    organization = spine_selectors.organization_get(user=user, pk=pk, brief=True)
    form = ValueFilterForm(request.GET or None)
    asked = form.choices()
    value = selectors.account_value(user=user, organization=organization, months=asked["months"])
    period = _period(value.first_month, value.last_month)
    context = {
        "organization": organization,
        "form": form,
        "asked": asked,
        "value": value,
        "period": period,
        "cards": _cards(
            value.totals,
            getattr(value, "previous", None),
            months=value.months,
            health_now=value.trend[-1].average_health,
            health_label="Health",
        ),
        "charts": _charts(
            value.trend,
            value.policy,
            subject=organization.name,
            period=period,
            prefix="account",
            watermelon_months=getattr(value, "watermelon_months", ()),
        ),
        "can_plan_review": roles.may_manage_accounts(user),
    }
    if not wants_fragment(request):
        context["follow_ups"] = selectors.follow_ups_open(
            user=user, organization=organization, limit=FOLLOW_UPS_SHOWN
        )
        context["upcoming"] = selectors.reviews_upcoming(user=user, organization=organization, limit=1)
        context["account_reviews"] = selectors.review_list(user=user, organization=organization)[
            :ACCOUNT_REVIEWS_SHOWN
        ]
    return render_page(request, "realization/value/account.html", context, partial="figures")


# --- the health policy ------------------------------------------------------------------------------


@browser_view
@require_http_methods(["GET", "POST"])
def health_policy(request: HttpRequest) -> HttpResponse:
    """The weights, window, bands and watermelon thresholds: everyone may read them (they explain every
    score), administrators change them. Saving recomputes every score in the background."""
    user = request.user
    can_edit = roles.is_administrator(user)
    if request.method == "POST":
        require(can_edit, POLICY_REFUSED)
    policy = HealthPolicy.current()
    form = HealthPolicyForm(request.POST or None, initial=HealthPolicyForm.initial_for(policy))
    saved = form_submitted(
        request, form, lambda: services.health_policy_update(user=user, data=form.service_data())
    )
    if saved is not None:
        # The service enqueues the full recomputation once the change is committed.
        messages.success(
            request,
            "Health policy saved. Every health score is being recomputed with it; the pages show the new "
            "scores within a few minutes.",
        )
        return redirect("realization:health_policy")
    context = {"policy": policy, "form": form, "can_edit": can_edit}
    status = 400 if form.errors else 200
    return render_page(request, "realization/value/policy.html", context, status=status)
