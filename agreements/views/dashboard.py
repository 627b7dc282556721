"""Pages of the SLA dashboard: compliance over every account the user may see (`sla_dashboard`), over
one account with its agreements (`account_sla_dashboard`), and the same figures' target scores as a
CSV file (`sla_dashboard_export`).

The page is one template whose results region (`results`) HTMX swaps when a filter changes, when
"Refresh" is used and every minute; without JavaScript the filter form is a plain GET and the refresh
a plain link. The export carries the filters shown. The dashboard shows the worst few targets breached
and at risk; `?list=breached` (or `at_risk`) shows that list whole instead, a page at a time.

Rows repeated on the page (the tables of months, kinds, accounts, agreements and targets) are written
here with every text escaped, rather than by template loops, which cost several times more.
"""

from __future__ import annotations

import csv
from datetime import date
from html import escape

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from agreements import selectors
from agreements.charts import compliance_trend_chart
from agreements.forms.dashboard import LIST_CHOICES, TREND_CHOICES, sla_filters, sla_query
from agreements.models import TargetKind
from agreements.selectors import AccountCompliance, AgreementRow, KindFigures, MonthFigures, ScoreRow
from journeys import selectors as journeys_selectors
from journeys.html import day_text
from journeys.htmx import render_page
from journeys.models import Organization
from journeys.web import browser_view

__all__ = ["account_sla_dashboard", "sla_dashboard", "sla_dashboard_export"]

DASHBOARD_TEMPLATE = "agreements/sla_dashboard.html"
# Up to this many accounts the account filter is a list; above, a search by name.
ACCOUNT_LIST_LIMIT = selectors.ACCOUNT_CHOICES_LIMIT
# The dashboard shows this many of the targets breached and at risk, the worst; "Show all" lists the
# rest, this many to a page.
DASHBOARD_LIST_SHOWN = 10
LIST_PAGE_SIZE = selectors.DASHBOARD_LIST_LIMIT
LIST_NAMES = dict(LIST_CHOICES)
# Text cells a spreadsheet would read as a formula start with one of these; a quote keeps them text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_COLUMNS = (0, 1, 2)  # account, agreement and target names: what people typed
PLACEHOLDER_PK = 987654321
SELECTED = " selected"
NONE_SHOWN = "—"


def _options(choices, selected) -> SafeString:
    """<option>s of a filter (value, label), the chosen one selected. Written here, every text escaped,
    rather than by a form widget or a template loop, which cost many times more for a list of a few
    hundred accounts."""
    return mark_safe(  # noqa: S308 - every value and label is escaped
        "".join(
            f'<option value="{escape(str(value))}"{SELECTED if value == selected else ""}>'
            f"{escape(str(label))}</option>"
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


def _pct(figures) -> str:
    """A compliance as the tables write it: "66.7 %", or a dash when nothing was measured."""
    pct = figures.pct
    return NONE_SHOWN if pct is None else f"{pct} %"


class _Links:
    """The URLs of an account's dashboard and of an agreement's page, as the parts around the pk,
    reversed once per page."""

    __slots__ = ("account", "agreement")

    def __init__(self) -> None:
        self.account = _url_pattern("agreements:account_sla_dashboard")
        self.agreement = _url_pattern("agreements:agreement_detail")


def _score_rows(rows: list[ScoreRow], links: _Links, *, with_account: bool = True) -> SafeString:
    """The rows of an at-risk or breached table (without the account's column on an account's own
    dashboard)."""
    account, agreement = links.account, links.agreement
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
            f'<td class="number">{escape(row.achieved_text) or NONE_SHOWN}</td><td>{escape(row.rule)}</td>'
            f"<td>{escape(row.period_label)}{open_period}</td></tr>"
        )
    return mark_safe("".join(lines))  # noqa: S308 - built from escaped parts


def _trend_rows(trend: list[MonthFigures]) -> SafeString:
    """The trend as a table's rows, latest month first."""
    lines = []
    for month in reversed(trend):
        figures = month.figures
        lines.append(
            f'<tr><th scope="row">{escape(month.label)}</th><td class="number">{_pct(figures)}</td>'
            f'<td class="number">{figures.measured}</td><td class="number">{figures.met}</td>'
            f'<td class="number">{figures.at_risk}</td><td class="number">{figures.breached}</td></tr>'
        )
    return mark_safe("".join(lines))  # noqa: S308 - built from escaped parts


def _kind_rows(kinds: list[KindFigures]) -> SafeString:
    lines = []
    for entry in kinds:
        figures = entry.figures
        lines.append(
            f'<tr><th scope="row">{escape(entry.kind.label)}</th><td class="number">{_pct(figures)}</td>'
            f'<td class="number">{figures.measured}</td><td class="number">{figures.at_risk}</td>'
            f'<td class="number">{figures.breached}</td></tr>'
        )
    return mark_safe("".join(lines))  # noqa: S308 - built from escaped parts


def _lowest_rows(accounts: list[AccountCompliance], links: _Links) -> SafeString:
    url = links.account
    lines = []
    for account in accounts:
        figures = account.figures
        lines.append(
            f'<tr><th scope="row"><a href="{url[0]}{account.organization_id}{url[1]}">'
            f'{escape(account.name)}</a></th><td class="number">{figures.pct} %</td>'
            f'<td class="number">{figures.breached} of {figures.measured}</td></tr>'
        )
    return mark_safe("".join(lines))  # noqa: S308 - built from escaped parts


def _agreement_rows(agreements: list[AgreementRow], links: _Links) -> SafeString:
    """An account's agreements with their compliance this month (a dash before the engine has computed
    any, "nothing measured" when it has but nothing was)."""
    url = links.agreement
    lines = []
    for agreement in agreements:
        title = escape(agreement.title)
        if url:
            title = f'<a href="{url[0]}{agreement.pk}{url[1]}">{title}</a>'
        if agreement.reference:
            title += f' <small class="muted">{escape(agreement.reference)}</small>'
        term = NONE_SHOWN
        if agreement.starts_on:
            term = f"{day_text(agreement.starts_on)} – {day_text(agreement.ends_on) or 'open-ended'}"
        compliance = _pct(agreement.figures)
        if agreement.figures.pct is None and agreement.computed:
            compliance = "nothing measured"
        lines.append(
            f'<tr><th scope="row">{title}</th><td>{escape(agreement.kind_label)}</td>'
            f'<td><span class="agreement-status agreement-status-{escape(agreement.status)}">'
            f"{escape(agreement.status_label)}</span></td><td>{term}</td>"
            f'<td class="number">{compliance}</td><td class="number">{agreement.figures.breached}</td></tr>'
        )
    return mark_safe("".join(lines))  # noqa: S308 - built from escaped parts


def _filters(request: HttpRequest, organization: Organization | None) -> tuple[dict, Organization | None]:
    """The filters in the query string, and the account they name (404 for one the user may not see)."""
    filters = sla_filters(request.GET)
    if organization is None and filters["account"]:
        organization = journeys_selectors.organization_get(
            user=request.user, pk=filters["account"], brief=True
        )
    if organization is not None:
        filters["account"] = organization.pk
        filters["search"] = ""
    return filters, organization


def _with_query(path: str, query: str) -> str:
    return path + (f"?{query}" if query else "")


def _dashboard_page(request: HttpRequest, fixed: Organization | None) -> HttpResponse:
    filters, organization = _filters(request, fixed)
    visible = selectors.sla_accounts(user=request.user, limit=ACCOUNT_LIST_LIMIT) if fixed is None else None
    accounts = visible.choices if visible is not None else None
    offerings = selectors.sla_offering_choices()
    offering = next((item for item in offerings if item.pk == filters["offering"]), None)
    today = timezone.localdate()
    shown = {
        "account": filters["account"] if fixed is None else None,
        "search": filters["search"],
        "offering": offering.pk if offering else None,
        "kind": filters["kind"],
        "months": filters["months"],
    }
    state = sla_query(**shown)
    listing = filters["list"]
    export_state = sla_query(**{**shown, "account": organization.pk if organization else None})
    context = {
        "organization": organization,
        "fixed": fixed,
        "offering": offering,
        "kind_label": TargetKind(filters["kind"]).label if filters["kind"] else "",
        "filters": filters,
        "state": state,
        "listing": listing,
        "dashboard_url": _with_query(request.path, state),
        "page_url": _with_query(request.path, sla_query(**shown, listing=listing, page=filters["page"])),
        "export_url": _with_query(reverse("agreements:sla_dashboard_export"), export_state),
        "account_select": accounts is not None,
        "account_options": _options(accounts or (), filters["account"]),
        "offering_options": _options(((item.pk, item.name) for item in offerings), filters["offering"]),
        "kind_options": _options(TargetKind.choices, filters["kind"]),
        "months_options": _options(
            ((months, f"{months} months") for months in TREND_CHOICES), filters["months"]
        ),
        "checked_at": timezone.localtime(),
    }
    query = {
        "user": request.user,
        "organization": organization,
        "offering": offering,
        "kind": filters["kind"],
        "search": filters["search"],
        "today": today,
        # The accounts with figures, when the filter's list holds all of them: the selectors need not
        # read the user's accounts again.
        "with_agreements": visible.with_agreements if visible is not None else None,
    }
    if listing:
        context |= _list_context(request, fixed, query, shown, listing, filters["page"])
    else:
        context |= _dashboard_context(request, fixed, query, shown, filters["months"])
    return render_page(request, DASHBOARD_TEMPLATE, context, partial="results")


def _dashboard_context(request: HttpRequest, fixed, query: dict, shown: dict, months: int) -> dict:
    """The figures, with the worst few targets breached and at risk and links to all of them."""
    dashboard = selectors.sla_dashboard(**query, months=months, list_limit=DASHBOARD_LIST_SHOWN)
    links = _Links()
    agreements = None
    if fixed is not None:
        agreements = _agreement_rows(
            selectors.account_agreements_compliance(
                user=request.user, organization=fixed, today=query["today"]
            ),
            links,
        )
    return {
        "dashboard": dashboard,
        "breached_rows": _score_rows(dashboard.breached, links, with_account=fixed is None),
        "at_risk_rows": _score_rows(dashboard.at_risk, links, with_account=fixed is None),
        "breached_url": _page_url(request.path, shown, "breached", 1),
        "at_risk_url": _page_url(request.path, shown, "at_risk", 1),
        "trend_rows": _trend_rows(dashboard.trend),
        "kind_rows": _kind_rows(dashboard.by_kind),
        "lowest_rows": _lowest_rows(dashboard.lowest_accounts, links),
        "chart": compliance_trend_chart(
            dashboard.trend,
            chart_id="sla-trend",
            title=f"Compliance per month, last {dashboard.months} months",
            open_month=dashboard.current_month,
        ),
        "agreements": agreements,
    }


def _list_context(request: HttpRequest, fixed, query: dict, shown: dict, listing: str, number: int) -> dict:
    """A page of the whole list of targets breached or at risk (404 past its end)."""
    page = selectors.sla_score_list(**query, status=listing, page=number, per_page=LIST_PAGE_SIZE)
    return {
        "page": page,
        "list_name": LIST_NAMES[listing],
        "list_rows": _score_rows(page.rows, _Links(), with_account=fixed is None),
        "previous_url": _page_url(request.path, shown, listing, page.number - 1) if page.number > 1 else "",
        "next_url": _page_url(request.path, shown, listing, page.number + 1)
        if page.number < page.pages
        else "",
    }


def _page_url(path: str, shown: dict, listing: str, page: int) -> str:
    return _with_query(path, sla_query(**shown, listing=listing, page=page))


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
