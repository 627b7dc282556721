"""Importing an agreement's measurements from a CSV file: all or nothing, errors by row and column,
targets by id or exact name, moments without a zone in the target's calendar, importing the same file
twice changes nothing, limits, and the page with its template."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements import services
from agreements.models import AgreementStatus, Measurement
from agreements.services import measurements as module
from journeys.base import ApplicationError
from tests.factories.agreements import AgreementFactory, BusinessCalendarFactory, ServiceLevelTargetFactory
from tests.helpers import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(account, owner):
    return AgreementFactory(
        organization=account,
        owner=owner,
        status=AgreementStatus.ACTIVE,
        starts_on=date(2026, 1, 1),
        ends_on=date(2027, 12, 31),
        title="Rentwheel booking SLA",
    )


@pytest.fixture
def portal(agreement):
    calendar = BusinessCalendarFactory(time_zone="Europe/Berlin")
    return ServiceLevelTargetFactory(
        agreement=agreement, calendar=calendar, name="Portal availability", position=1
    )


@pytest.fixture
def api(agreement):
    return ServiceLevelTargetFactory(agreement=agreement, name="API availability", position=2)


def csv_file(text: str, name: str = "measurements.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def run(actor, agreement, text: str):
    return services.measurements_import(actor=actor, agreement=agreement, csv_file=csv_file(text))


def test_a_good_file_is_imported_by_id_and_by_name(owner, agreement, portal, api):
    text = (
        "target,measured_at,value,source_id,note,excluded\n"
        f"{portal.pk},2026-03-31T23:30:00Z,99.95,,Monthly report,\n"
        "API availability,2026-04-01 01:30,98.5,probe-1,,yes\n"
        f"{portal.pk},2026-04-01,99.1,,,no\n"
    )

    result = run(owner, agreement, text)

    assert (result.created, result.updated, result.unchanged, result.errors) == (3, 0, 0, [])
    first, by_name, plain_date = Measurement.objects.order_by("pk")
    assert (first.target, first.period_start, first.source, first.note) == (
        portal,
        date(2026, 4, 1),
        "import",
        "Monthly report",
    )
    assert first.source_id.startswith("import:")
    assert (by_name.target, by_name.source_id, by_name.excluded) == (api, "probe-1", True)
    assert by_name.measured_at == datetime(
        2026, 4, 1, 1, 30, tzinfo=UTC
    )  # UTC: the API target has no calendar
    assert plain_date.measured_at == datetime(2026, 3, 31, 22, 0, tzinfo=UTC)  # 00:00 in Berlin


def test_importing_the_same_file_twice_changes_nothing(owner, agreement, portal):
    text = (
        "target,measured_at,value\n"
        f"{portal.pk},2026-03-10T10:00:00Z,99.9\n"
        f"{portal.pk},2026-03-11T10:00:00Z,99.8\n"
    )
    run(owner, agreement, text)
    before = list(Measurement.objects.order_by("pk").values_list("pk", "updated_at"))

    result = run(owner, agreement, text)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert list(Measurement.objects.order_by("pk").values_list("pk", "updated_at")) == before


def test_a_changed_value_under_a_source_id_is_updated(owner, agreement, portal):
    run(owner, agreement, f"target,measured_at,value,source_id\n{portal.pk},2026-03-10T10:00:00Z,99.9,r-1\n")

    result = run(
        owner, agreement, f"target,measured_at,value,source_id\n{portal.pk},2026-03-10T10:00:00Z,97,r-1\n"
    )

    assert (result.created, result.updated) == (0, 1)
    assert Measurement.objects.get().value == Decimal("97.0000")


def test_one_bad_row_saves_nothing_and_every_error_is_listed(owner, agreement, portal, api):
    other_agreement_target = ServiceLevelTargetFactory(name="Elsewhere")
    text = (
        "target,measured_at,value,excluded\n"
        f"{portal.pk},2026-03-10T10:00:00Z,99.9,\n"  # row 2: good
        f"{portal.pk},soon,abc,\n"  # row 3: two errors
        "Nobody,2026-03-10T10:00:00Z,99,\n"  # row 4
        f"{other_agreement_target.pk},2026-03-10T10:00:00Z,99,\n"  # row 5
        f"{api.pk},2026-03-10T10:00:00Z,99,maybe\n"  # row 6
    )

    result = run(owner, agreement, text)

    assert not result.saved
    assert [(error.row, error.field) for error in result.errors] == [
        (3, "measured_at"),
        (3, "value"),
        (4, "target"),
        (5, "target"),
        (6, "excluded"),
    ]
    assert "“Nobody” is not a target of this agreement" in result.errors[2].message
    assert not Measurement.objects.exists()


def test_an_inactive_target_in_the_file_is_refused(owner, agreement, portal):
    portal.is_active = False
    portal.save()

    result = run(owner, agreement, f"target,measured_at,value\n{portal.pk},2026-03-10T10:00:00Z,99\n")

    assert [(error.row, error.field) for error in result.errors] == [(2, "target")]
    assert "no longer measured" in result.errors[0].message


def test_two_targets_with_the_same_name_need_their_id(owner, agreement, portal):
    ServiceLevelTargetFactory(agreement=agreement, name="Portal availability")

    result = run(owner, agreement, "target,measured_at,value\nPortal availability,2026-03-10T10:00:00Z,99\n")

    assert "give its id instead" in result.errors[0].message


def test_semicolons_decimal_commas_blank_and_template_rows_are_understood(owner, agreement, portal, api):
    text = (
        "\ufefftarget;target_name;rule;measured_at;value;source_id;note;excluded\n"
        f"{portal.pk};Portal availability;≥ 99.5 %;2026-03-10T10:00:00Z;99,75;;;\n"
        f"{api.pk};API availability;≥ 99.5 %;;;;;\n"
        "\n"
    )

    result = run(owner, agreement, text)

    assert (result.created, result.skipped, result.ignored_columns) == (1, 1, ["target_name", "rule"])
    assert Measurement.objects.get().value == Decimal("99.7500")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "The file is empty"),
        ("target,value\n1,2\n", "lacks the column measured_at"),
        ("target,measured_at,value,value\n", "appears more than once"),
        ("target,measured_at,value\n", "holds no measurements"),
    ],
)
def test_a_file_that_cannot_be_imported_is_refused_as_a_whole(owner, agreement, portal, text, says):
    with pytest.raises(ApplicationError) as raised:
        run(owner, agreement, text)

    assert says in raised.value.fields["csv_file"][0]


def test_a_file_not_in_utf8_is_refused(owner, agreement):
    upload = SimpleUploadedFile(
        "m.csv", "target;measured_at;value\nVerfügbarkeit;2026-03-10;99\n".encode("cp1252")
    )

    with pytest.raises(ApplicationError) as raised:
        services.measurements_import(actor=owner, agreement=agreement, csv_file=upload)

    assert "CSV UTF-8" in raised.value.fields["csv_file"][0]


def test_too_many_rows_or_bytes_are_refused(owner, agreement, portal, monkeypatch):
    monkeypatch.setattr(module, "MAX_IMPORT_ROWS", 2)
    rows = "".join(f"{portal.pk},2026-03-1{n}T10:00:00Z,99\n" for n in range(3))
    with pytest.raises(ApplicationError) as raised:
        run(owner, agreement, "target,measured_at,value\n" + rows)
    assert "more than 2 measurements" in raised.value.fields["csv_file"][0]

    monkeypatch.setattr(module, "MAX_IMPORT_BYTES", 10)
    with pytest.raises(ApplicationError) as raised:
        run(owner, agreement, "target,measured_at,value\n")
    assert "split it into several files" in raised.value.fields["csv_file"][0]
    assert not Measurement.objects.exists()


def test_the_desk_may_not_import(desk, agreement, portal):
    with pytest.raises(PermissionDenied):
        run(desk, agreement, f"target,measured_at,value\n{portal.pk},2026-03-10T10:00:00Z,99\n")


def test_an_import_recomputes_once_after_commit(
    owner, agreement, portal, api, django_capture_on_commit_callbacks
):
    text = (
        f"target,measured_at,value\n{portal.pk},2026-03-10T10:00:00Z,99\n{api.pk},2026-03-10T10:00:00Z,80\n"
    )

    with django_capture_on_commit_callbacks() as callbacks:
        run(owner, agreement, text)

    assert len(callbacks) == 1
    assert callbacks[0].target_ids == {portal.pk, api.pk}


# --- the page -------------------------------------------------------------------------------------


def import_url(agreement):
    return reverse("agreements:measurement_import", args=[agreement.pk])


def test_the_page_describes_the_columns_and_links_the_template(as_user, owner, agreement):
    response = as_user(owner).get(import_url(agreement))

    text = text_of(response.content.decode())
    assert response.status_code == 200
    assert "measured_at When it was measured" in text
    assert reverse("agreements:measurement_import_template", args=[agreement.pk]) in response.content.decode()


def test_the_page_lists_the_errors_by_row_and_column(as_user, owner, agreement, portal):
    upload = csv_file(
        f"target,measured_at,value\n{portal.pk},2026-03-10T10:00:00Z,99\n{portal.pk},2026-03-10,lots\n"
    )

    response = as_user(owner).post(import_url(agreement), {"csv_file": upload})

    assert response.status_code == 400
    text = text_of(response.content.decode())
    assert "Nothing was imported" in text
    assert "3 value Give the value as a number" in text
    assert not Measurement.objects.exists()


def test_the_page_imports_and_goes_back_to_the_agreement_with_a_summary(as_user, owner, agreement, portal):
    upload = csv_file(f"target,measured_at,value,colour\n{portal.pk},2026-03-10T10:00:00Z,99,red\n")

    response = as_user(owner).post(import_url(agreement), {"csv_file": upload}, follow=False)

    assert response.status_code == 302
    assert response["Location"] == reverse("agreements:agreement_detail", args=[agreement.pk])
    [message] = [str(message) for message in response.wsgi_request._messages]
    assert message.startswith("Imported 1 measurement: 1 new, 0 changed, 0 already there.")
    assert "Columns ignored: colour." in message
    assert Measurement.objects.count() == 1


def test_the_page_needs_a_file(as_user, owner, agreement):
    response = as_user(owner).post(import_url(agreement), {})

    assert response.status_code == 400
    assert "Choose the CSV file to import." in text_of(response.content.decode())


def test_the_template_lists_the_active_targets_and_imports_as_it_is(as_user, owner, agreement, portal, api):
    ServiceLevelTargetFactory(agreement=agreement, name="Switched off", is_active=False)

    response = as_user(owner).get(reverse("agreements:measurement_import_template", args=[agreement.pk]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == [
        "target",
        "target_name",
        "rule",
        "measured_at",
        "value",
        "source_id",
        "note",
        "excluded",
    ]
    assert [row[:3] for row in rows[1:]] == [
        [str(portal.pk), "Portal availability", "≥ 99.5 %"],
        [str(api.pk), "API availability", "≥ 99.5 %"],
    ]
    rows[1][3:5] = ["2026-03-10T10:00:00Z", "99.9"]
    filled = io.StringIO()
    csv.writer(filled).writerows(rows)

    result = run(owner, agreement, filled.getvalue())

    assert (result.created, result.skipped, result.errors) == (1, 1, [])
