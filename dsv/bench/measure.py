"""Measure pages and the API in-process with Django's test client (BENCH.md "What is measured").

Everything runs under `override_settings(ROOT_URLCONF="dsv.bench.urls", DEBUG=False)`. A figure that
cannot be measured (a page not written yet, an endpoint that answers 404) is left out of the results,
with the reason in `skipped`: never estimated.
"""

from __future__ import annotations

import json
import logging
import math
import statistics
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from django.db import connection
from django.db.models import Count, DateField, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, reverse
from rest_framework.authtoken.models import Token

from agreements.models import (
    Agreement,
    AgreementStatus,
    ComplianceStatus,
    Measurement,
    Scorecard,
    TargetKind,
    TargetScore,
)
from cocreation.models import ServiceRequest
from dsv.bench.seed import BENCH_MANAGER
from journeys.models import JourneyEvent, Organization, OrganizationKind, Touchpoint
from offerings.models import BusinessCase
from onboarding.models import OnboardingPlan
from realization.models import InvitationStatus, StepActivityMonth, SurveyInvitation, SurveyResponse
from realization.services import value_metrics_rebuild
from realization.services.activity import site_zone

WARM_UPS = 3
API_ROUNDS = 5
API_URL = "/api/v1/touchpoints/"
FLOOR_URL_NAME = "bench_floor"
INSERT_URL_NAME = "bench_insert"


@dataclass(frozen=True)
class PageSpec:
    """A key page: the key in bench.json, its URL name, and what its URL arguments are."""

    key: str
    url_name: str
    # "account": the bench manager's largest account; "business_case": the bench manager's business
    # case with the most cost and benefit lines; "agreement": the bench manager's active agreement with
    # the most measurements; "plan": the bench manager's plan with the most actions; "request": the
    # bench manager's request with clocks and the longest history.
    argument: str | None = None
    query: str = ""  # a query string for the URL, e.g. "q=har"


# Each issue adds its key pages here.
PAGES = (
    PageSpec("dashboard", "dashboard"),
    PageSpec("organization_list", "organization_list"),
    PageSpec("account", "account_detail", argument="account"),
    PageSpec("stakeholder_grid", "relationships:stakeholder_grid", argument="account"),
    PageSpec("relationship", "relationships:relationship_detail", argument="account"),
    PageSpec("communication_plans", "relationships:communication_plans", argument="account"),
    PageSpec("assessments", "relationships:assessment_list", argument="account"),
    PageSpec("catalogue", "offerings:catalogue"),
    PageSpec("requirement_board", "offerings:requirement_board", argument="account"),
    PageSpec("business_case", "offerings:business_case_detail", argument="business_case"),
    PageSpec("sla_dashboard", "agreements:sla_dashboard"),
    PageSpec("account_sla_dashboard", "agreements:account_sla_dashboard", argument="account"),
    PageSpec("agreement_list", "agreements:agreement_list"),
    PageSpec("agreement", "agreements:agreement_detail", argument="agreement"),
    PageSpec("onboarding_plan", "onboarding:plan_detail", argument="plan"),
    PageSpec("onboarding_board", "onboarding:board"),
    PageSpec("request_list", "cocreation:request_list"),
    PageSpec("request_detail", "cocreation:request_detail", argument="request"),
    # The desk console with the type-ahead search for a common name part (the full page: the harness
    # sends no HX-Request header).
    PageSpec("console_search", "cocreation:console", query="q=har"),
    # The live journey map of the bench manager's whole portfolio, over twelve months.
    PageSpec("journey_map_overlay", "realization:journey_map", query="months=12"),
    # Realize: the value dashboard of the bench manager's portfolio (trends, health distribution,
    # watermelons, follow-ups, upcoming reviews), the largest account's value page, the survey list
    # with its figures of the last 90 days and the value review list.
    PageSpec("value_dashboard", "realization:value_dashboard"),
    PageSpec("account_value", "realization:account_value", argument="account"),
    PageSpec("survey_list", "realization:survey_list"),
    PageSpec("review_list", "realization:review_list"),
)


def metrics_raw_queries() -> list:
    """The value metrics' sources as plain SELECT … GROUP BY queries (the same grouping, months in the
    site time zone as the metrics count them), for the bench's comparison: one query each."""

    def month(field: str) -> TruncMonth:
        return TruncMonth(field, output_field=DateField(), tzinfo=site_zone())

    nps, csat, ces = Q(survey_type="nps"), Q(survey_type="csat"), Q(survey_type="ces")
    return [
        SurveyResponse.objects.order_by()
        .annotate(month=month("answered_at"))
        .values("organization_id", "step", "month", "survey_type")
        .annotate(
            answers=Count("id"),
            promoters=Count("id", filter=nps & Q(score__gte=9)),
            detractors=Count("id", filter=nps & Q(score__lte=6)),
            satisfied=Count("id", filter=csat & Q(score__gte=4)),
            points=Sum("score", filter=csat | ces),
        )
        .values_list(
            "organization_id",
            "step",
            "month",
            "survey_type",
            "answers",
            "promoters",
            "detractors",
            "satisfied",
            "points",
        ),
        SurveyInvitation.objects.filter(sent_at__isnull=False)
        .order_by()
        .annotate(month=month("sent_at"))
        .values("organization_id", "step", "month")
        .annotate(sent=Count("id"), answered=Count("id", filter=Q(status=InvitationStatus.RESPONDED)))
        .values_list("organization_id", "step", "month", "sent", "answered"),
        StepActivityMonth.objects.order_by()
        .values("organization_id", "step", "month")
        .annotate(touchpoints=Sum("touchpoints"), sentiment=Sum("sentiment_sum"))
        .values_list("organization_id", "step", "month", "touchpoints", "sentiment"),
        Scorecard.objects.filter(agreement__isnull=True)
        .order_by()
        .values("organization_id", "month")
        .annotate(measured=Sum("targets_measured"), within=Sum(F("met") + F("at_risk")))
        .values_list("organization_id", "month", "measured", "within"),
        TargetScore.objects.filter(kind=TargetKind.EXPERIENCE, status=ComplianceStatus.BREACHED)
        .order_by()
        .annotate(month=TruncMonth("period_end"))
        .values("organization_id", "month")
        .annotate(missed=Count("id"))
        .values_list("organization_id", "month", "missed"),
    ]


class Skip(Exception):
    """A figure that cannot be measured now; the message says why."""


@dataclass
class Results:
    floor_page: dict[str, float] | None = None
    pages: dict[str, dict[str, Any]] = field(default_factory=dict)
    api: dict[str, float] = field(default_factory=dict)
    jobs: dict[str, float] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def _timings(samples_ms: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(samples_ms), 2),
        "p95_ms": round(percentile(samples_ms, 0.95), 2),
    }


def _bench_settings() -> dict[str, Any]:
    overrides: dict[str, Any] = {"ROOT_URLCONF": "dsv.bench.urls", "DEBUG": False}
    hosts = list(settings.ALLOWED_HOSTS)
    if "testserver" not in hosts and "*" not in hosts:
        overrides["ALLOWED_HOSTS"] = [*hosts, "testserver"]
    # Production settings hash static file names from a manifest that `collectstatic` writes; a bench
    # run on a checkout without it would only measure an error page, so it uses plain names then.
    storage = settings.STORAGES["staticfiles"]["BACKEND"]
    if "Manifest" in storage:
        manifest = ManifestStaticFilesStorage().manifest_name
        if not (settings.STATIC_ROOT and (settings.STATIC_ROOT / manifest).exists()):
            overrides["STORAGES"] = {
                **settings.STORAGES,
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            }
    return overrides


@contextmanager
def _quiet() -> Iterator[None]:
    """Silence what the measured stack reports per request (Celery's eager task lines, WhiteNoise's
    warning about a static root that the bench never serves from): it is noise in the table."""
    loggers = [logging.getLogger(name) for name in ("celery", "kombu")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        # kombu warns on every connection to the in-memory broker that it has no hostname.
        logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
            yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


class Bench:
    def __init__(self, *, requests: int, api_requests: int, log: Callable[[str], None]) -> None:
        self.requests = requests
        self.api_requests = api_requests
        self.log = log
        self.results = Results()
        self._floor_url = ""  # set once the floor page has answered
        self._floor_samples: list[float] = []

    def run(self) -> Results:
        user = get_user_model().objects.get(username=BENCH_MANAGER)
        # Touchpoints and events the API part adds are removed afterwards, so the next run finds the
        # same data (and recognises the scale).
        last_touchpoint = Touchpoint.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        last_event = JourneyEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        try:
            with override_settings(**_bench_settings()), _quiet():
                client = Client()
                client.force_login(user)
                self._floor(client)
                self._pages(client, user)
                self._api(client, user)
            self._jobs()
        finally:
            Touchpoint.objects.filter(pk__gt=last_touchpoint).delete()
            JourneyEvent.objects.filter(pk__gt=last_event).delete()
        return self.results

    # --- helpers ----------------------------------------------------------------------------------

    def _get(self, client: Client, url: str) -> float:
        started = time.perf_counter()
        response = client.get(url, secure=True)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise Skip(f"GET {url} answered {response.status_code}")
        return elapsed

    def _sample(self, client: Client, url: str) -> list[float]:
        """The page's timed requests, each one after a request to the floor page (while the floor page
        works): a page and the floor it is compared with meet the same moments of a noisy machine, as
        the API's two figures do. The floor's samples are pooled into its own figures."""
        for _ in range(WARM_UPS):
            self._get(client, url)
        samples = []
        for _ in range(self.requests):
            if self._floor_url:
                self._floor_samples.append(self._get(client, self._floor_url))
            samples.append(self._get(client, url))
        return samples

    def _skip(self, key: str, reason: str) -> None:
        self.results.skipped[key] = reason
        self.log(f"  skipped {key}: {reason}")

    # --- floor and pages --------------------------------------------------------------------------

    def _floor(self, client: Client) -> None:
        """The floor's own run (warm-ups and timed requests); the pages' runs add to its samples."""
        try:
            url = reverse(FLOOR_URL_NAME)
            self._floor_samples = self._sample(client, url)
            self._floor_url = url
            self.results.floor_page = _timings(self._floor_samples)
        except Skip as reason:
            self._skip("floor_page", str(reason))
        except Exception as error:  # e.g. the base layout it extends is broken: say so, measure the rest
            self._skip("floor_page", f"raised {error.__class__.__name__}: {error}")

    def _largest_account(self, user) -> Organization | None:
        return (
            Organization.objects.filter(owner=user, kind=OrganizationKind.CONSUMER)
            .annotate(volume=Count("touchpoints"))
            .order_by("-volume", "pk")
            .first()
        )

    def _largest_business_case(self, user) -> BusinessCase | None:
        return (
            BusinessCase.objects.filter(organization__owner=user)
            .annotate(lines=Count("cost_lines", distinct=True) + Count("benefit_lines", distinct=True))
            .order_by("-lines", "pk")
            .first()
        )

    def _largest_agreement(self, user) -> Agreement | None:
        """The bench manager's active agreement with the most measurements."""
        return (
            Agreement.objects.filter(organization__owner=user, status=AgreementStatus.ACTIVE)
            .annotate(measured=Count("targets__measurements"))
            .order_by("-measured", "pk")
            .first()
        )

    def _largest_plan(self, user) -> OnboardingPlan | None:
        """The bench manager's plan with the most actions."""
        return (
            OnboardingPlan.objects.filter(organization__owner=user)
            .annotate(size=Count("actions"))
            .order_by("-size", "pk")
            .first()
        )

    def _largest_request(self, user) -> ServiceRequest | None:
        """The bench manager's request with the longest history, one with clocks first (a data set
        too small to give the manager an agreement that times requests has none)."""
        return (
            ServiceRequest.objects.filter(organization__owner=user)
            .annotate(timed=Count("clocks", distinct=True), changes=Count("updates", distinct=True))
            .order_by("-timed", "-changes", "pk")
            .first()
        )

    def _pages(self, client: Client, user) -> None:
        account = self._largest_account(user)
        business_case = self._largest_business_case(user)
        agreement = self._largest_agreement(user)
        plan = self._largest_plan(user)
        service_request = self._largest_request(user)
        for page in PAGES:
            args = []
            if page.argument == "account":
                if account is None:
                    self._skip(page.key, "the bench manager owns no account")
                    continue
                args = [account.pk]
            elif page.argument == "business_case":
                if business_case is None:
                    self._skip(page.key, "the bench manager has no business case")
                    continue
                args = [business_case.pk]
            elif page.argument == "agreement":
                if agreement is None:
                    self._skip(page.key, "the bench manager has no active agreement")
                    continue
                args = [agreement.pk]
            elif page.argument == "plan":
                if plan is None:
                    self._skip(page.key, "the bench manager has no onboarding plan")
                    continue
                args = [plan.pk]
            elif page.argument == "request":
                if service_request is None:
                    self._skip(page.key, "the bench manager has no request")
                    continue
                args = [service_request.pk]
            try:
                url = reverse(page.url_name, args=args)
            except NoReverseMatch:
                self._skip(page.key, f"no URL named {page.url_name!r} yet")
                continue
            if page.query:
                url = f"{url}?{page.query}"
            try:
                self._get(client, url)  # fills caches the first request pays for (templates, content types)
                with CaptureQueriesContext(connection) as queries:
                    self._get(client, url)
                # Read now: the captured list is a view of the connection's log, which the next request
                # clears.
                query_count = len(queries)
                samples = self._sample(client, url)
            except Skip as reason:
                self._skip(page.key, str(reason))
                continue
            except Exception as error:  # a page under construction must not stop the rest of the run
                self._skip(page.key, f"GET {url} raised {error.__class__.__name__}: {error}")
                continue
            self.results.pages[page.key] = {"url": url, "queries": query_count, **_timings(samples)}
        if self._floor_url and self._floor_samples:
            self.results.floor_page = _timings(self._floor_samples)

    # --- jobs ---------------------------------------------------------------------------------------

    def _jobs(self) -> None:
        self._compliance_job()
        self._metrics_job()

    def _compliance_job(self) -> None:
        """A full compliance recomputation (every target's periods, scorecards, breaches) against the
        raw SQL that only aggregates the same measurements per target and period: what the engine adds
        on top of the one query it cannot avoid. The engine is idempotent, so the data stays as it was
        seeded; breach e-mails were all claimed when the bench seeded."""
        try:
            from agreements.services import compliance_recompute
        except ImportError:
            self._skip("jobs", "the compliance engine is not there yet")
            return
        started = time.perf_counter()
        compliance_recompute()
        self.results.jobs["compliance_recompute_s"] = round(time.perf_counter() - started, 3)
        table = connection.ops.quote_name(Measurement._meta.db_table)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT target_id, period_start, AVG(value), MIN(value), MAX(value), SUM(value), COUNT(*) "  # noqa: S608
                f"FROM {table} WHERE NOT excluded GROUP BY target_id, period_start"
            )
            cursor.fetchall()
        self.results.jobs["compliance_raw_sql_s"] = round(time.perf_counter() - started, 3)

    def _metrics_job(self) -> None:
        """The full value metrics recomputation (`value_metrics_rebuild`: every snapshot of every
        account and segment, with its health window and watermelon) against the bare aggregates it is
        built from, on the same data and not stored: answers per account, step, month and type with
        the promoters, detractors and satisfied counted; invitations sent and answered per account,
        step and month; step activity per account, step and month; the accounts' monthly scorecards;
        experience targets breached per account and month. The rebuild replaces what it finds, so the
        data stays as it was seeded."""
        started = time.perf_counter()
        value_metrics_rebuild()
        self.results.jobs["metrics_recompute_s"] = round(time.perf_counter() - started, 3)
        started = time.perf_counter()
        for query in metrics_raw_queries():
            list(query)
        self.results.jobs["metrics_raw_sql_s"] = round(time.perf_counter() - started, 3)

    # --- API ----------------------------------------------------------------------------------------

    def _api(self, client: Client, user) -> None:
        account = self._largest_account(user)
        if account is None:
            self._skip("api", "the bench manager owns no account")
            return
        token, _ = Token.objects.get_or_create(user=user)
        api = Client(headers={"Authorization": f"Token {token.key}"})

        def create(number: int) -> None:
            body = {
                "organization": account.pk,
                "channel": "email",
                "kind": "query",
                "summary": f"Bench query {number}",
                "sentiment": 1,
            }
            response = api.post(API_URL, data=json.dumps(body), content_type="application/json", secure=True)
            if response.status_code != 201:
                raise Skip(f"POST {API_URL} answered {response.status_code}: {response.content[:200]!r}")

        insert_url = reverse(INSERT_URL_NAME)

        def insert(number: int) -> None:
            response = client.post(
                insert_url, {"organization": account.pk, "summary": f"Bench insert {number}"}, secure=True
            )
            if response.status_code != 201:
                raise Skip(f"POST {insert_url} answered {response.status_code}")

        # Alternate the two in rounds so that drift (a busy neighbour, a growing table) hits both alike.
        elapsed = {"touchpoint_create_rps": 0.0, "floor_insert_rps": 0.0}
        posts = {"touchpoint_create_rps": create, "floor_insert_rps": insert}
        failed: set[str] = set()
        per_round = max(1, self.api_requests // API_ROUNDS)
        for round_number in range(-1, API_ROUNDS):  # round -1 warms up
            for key, post in posts.items():
                if key in failed:
                    continue
                count = WARM_UPS if round_number < 0 else per_round
                started = time.perf_counter()
                try:
                    for number in range(count):
                        post(number)
                except Skip as reason:
                    self._skip(key, str(reason))
                    failed.add(key)
                    continue
                except Exception as error:
                    self._skip(key, f"raised {error.__class__.__name__}: {error}")
                    failed.add(key)
                    continue
                if round_number >= 0:
                    elapsed[key] += time.perf_counter() - started
        for key, seconds in elapsed.items():
            if key not in failed and seconds > 0:
                self.results.api[key] = round(per_round * API_ROUNDS / seconds, 1)
