"""Pages of the SLA dashboard: compliance over every account the user may see (`sla_dashboard`), over
one account with its agreements (`account_sla_dashboard`), and the same figures' target scores as a
CSV file (`sla_dashboard_export`).

The page is one template whose results region (`results`) HTMX swaps when a filter changes, when
"Refresh" is used and every minute; without JavaScript the filter form is a plain GET and the refresh
a plain link. The export carries the filters shown.
"""

from __future__ import annotations

import csv
from datetime import date

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from agreements import selectors
from agreements.charts import compliance_trend_chart
from agreements.forms.dashboard import TREND_CHOICES, SlaFilterForm, sla_query
from agreements.models import TargetKind
from agreements.selectors import ScoreRow
from journeys import selectors as journeys_selectors
from journeys.htmx import render_page
from journeys.models import Organization
from journeys.web import browser_view

__all__ = ["account_sla_dashboard", "sla_dashboard", "sla_dashboard_export"]

DASHBOARD_TEMPLATE = "agreements/sla_dashboard.html"
# Up to this many accounts the account filter is a list; above, a search by name.
ACCOUNT_LIST_LIMIT = selectors.ACCOUNT_CHOICES_LIMIT
# Text cells a spreadsheet would read as a formula start with one of these; a quote keeps them text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_COLUMNS = (0, 1, 2)  # account, agreement and target names: what people typed
PLACEHOLDER_PK = 987654321
SELECTED = " selected"


def _options(choices, selected) -> SafeString:
    """<option>s of a filter (value, label), the chosen one selected. Written here, every text escaped,
    rather than by a form widget or a template loop, which cost many times more for a list of a few
    hundred accounts."""
    return mark_safe(  # noqa: S308 - every value and label is escaped
        "".join(
            f'<option value="{escape(value)}"{SELECTED if value == selected else ""}>{escape(label)}</option>'
            for value, label in choices
        )
    )


def _url_pattern(name: str) -> tuple[str, str] | None:
    """The URL named `name` for any pk, as the parts around the pk (reversed once per page), or None
    while no such page exists."""
    try:
        url = reverse(name, args=[PLACEHOLDER_PK])
    except NoReverseMatch:
        return None
    before, after = url.rsplit(str(PLACEHOLDER_PK), 1)
    return escape(before), escape(after)


def _score_rows(rows: list[ScoreRow], *, with_account: bool = True) -> SafeString:
    """The rows of an at-risk or breached table (without the account's column on an account's own
    dashboard): a hundred rows of a dozen fields each cost a template several milliseconds, an
    f-string a fraction of one. Every text from the data is escaped."""
    account = _url_pattern("agreements:account_sla_dashboard")
    agreement = _url_pattern("agreements:agreement_detail")
    lines = []
    for row in rows:
        title = escape(row.agreement_title)
        if agreement:
            title = f'<a href="{agreement[0]}{row.agreement_id}{agreement[1]}">{title}</a>'
        open_period = "" if row.is_closed else ' <small class="muted">(open)</small>'
        account_cell = ""
        if with_account:
            link = f"{account[0]}{row.organization_id}{account[1]}"
            account_cell = f'<td><a href="{link}">{escape(row.organization_name)}</a></td>'
        lines.append(
            f"<tr>{account_cell}<td>{title}</td><td>{escape(row.target_name)}</td><td>{escape(row.kind_label)}</td>"
            f'<td class="number">{escape(row.achieved_text) or "—"}</td><td>{escape(row.rule)}</td>'
            f"<td>{escape(row.period_label)}{open_period}</td></tr>"
        )
    return mark_safe("".join(lines))  # noqa: S308 - built from escaped parts


def _filters(request: HttpRequest, organization: Organization | None) -> tuple[dict, Organization | None]:
    """The filters in the query string, and the account they name (404 for one the user may not see)."""
    filters = SlaFilterForm(request.GET or None).filters()
    if organization is None and filters["account"]:
        organization = journeys_selectors.organization_get(
            user=request.user, pk=filters["account"], brief=True
        )
    if organization is not None:
        filters["account"] = organization.pk
        filters["search"] = ""
    return filters, organization


def _dashboard_page(request: HttpRequest, fixed: Organization | None) -> HttpResponse:
    filters, organization = _filters(request, fixed)
    accounts = (
        selectors.sla_account_choices(user=request.user, limit=ACCOUNT_LIST_LIMIT) if fixed is None else None
    )
    offerings = selectors.sla_offering_choices()
    offering = next((item for item in offerings if item.pk == filters["offering"]), None)
    today = timezone.localdate()
    dashboard = selectors.sla_dashboard(
        user=request.user,
        organization=organization,
        offering=offering,
        kind=filters["kind"],
        months=filters["months"],
        search=filters["search"],
        today=today,
    )
    state = sla_query(
        account=filters["account"] if fixed is None else None,
        search=filters["search"],
        offering=offering.pk if offering else None,
        kind=dashboard.kind,
        months=dashboard.months,
    )
    page_url = request.path + (f"?{state}" if state else "")
    export_state = sla_query(
        account=organization.pk if organization else None,
        search=filters["search"],
        offering=offering.pk if offering else None,
        kind=dashboard.kind,
        months=dashboard.months,
    )
    export_url = reverse("agreements:sla_dashboard_export") + (f"?{export_state}" if export_state else "")
    context = {
        "organization": organization,
        "fixed": fixed,
        "dashboard": dashboard,
        "filters": filters,
        "state": state,
        "page_url": page_url,
        "export_url": export_url,
        "account_select": accounts is not None,
        "account_options": _options(accounts or (), filters["account"]),
        "offering_options": _options(((item.pk, item.name) for item in offerings), filters["offering"]),
        "kind_options": _options(TargetKind.choices, dashboard.kind),
        "months_options": _options(
            ((months, f"{months} months") for months in TREND_CHOICES), dashboard.months
        ),
        "breached_rows": _score_rows(dashboard.breached, with_account=fixed is None),
        "at_risk_rows": _score_rows(dashboard.at_risk, with_account=fixed is None),
        "chart": compliance_trend_chart(
            dashboard.trend,
            chart_id="sla-trend",
            title=f"Compliance per month, last {dashboard.months} months",
            open_month=dashboard.current_month,
        ),
        "agreements": (
            selectors.account_agreements_compliance(user=request.user, organization=fixed, today=today)
            if fixed is not None
            else None
        ),
        "checked_at": timezone.localtime(),
    }
    return render_page(request, DASHBOARD_TEMPLATE, context, partial="results")


@browser_view
@require_GET
def sla_dashboard(request: HttpRequest) -> HttpResponse:
    return _dashboard_page(request, None)


@browser_view
@require_GET
def account_sla_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    organization = journeys_selectors.organization_get(user=request.user, pk=pk, brief=True)
    return _dashboard_page(request, organization)


# --- the export -----------------------------------------------------------------------------------


class _Echo:
    """A file that hands back what is written to it: csv.writer then yields each line."""

    def write(self, value: str) -> str:
        return value


def _safe(cell):
    """A text cell a spreadsheet would take for a formula, kept as text."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def _csv_lines(rows):
    writer = csv.writer(_Echo())
    yield writer.writerow(selectors.SLA_EXPORT_COLUMNS)
    for row in rows:
        yield writer.writerow(
            [_safe(cell) if index in TEXT_COLUMNS else cell for index, cell in enumerate(row)]
        )


def export_filename(day: date) -> str:
    return f"sla-compliance-{day.isoformat()}.csv"


@browser_view
@require_GET
def sla_dashboard_export(request: HttpRequest) -> HttpResponse:
    """Every target score the dashboard counts with the same filters, one line each."""
    filters, organization = _filters(request, None)
    offerings = selectors.sla_offering_choices() if filters["offering"] else []
    offering = next((item for item in offerings if item.pk == filters["offering"]), None)
    today = timezone.localdate()
    rows = selectors.sla_export_rows(
        user=request.user,
        organization=organization,
        offering=offering,
        kind=filters["kind"],
        months=filters["months"],
        search=filters["search"],
        today=today,
    )
    response = StreamingHttpResponse(_csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export_filename(today)}"'
    return response
