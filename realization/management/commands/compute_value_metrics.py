import time

from django.core.management.base import BaseCommand
from django.db.models import Count, Q

from realization.models import SnapshotLevel, ValueSnapshot
from realization.services import value_metrics_rebuild, watermelons_notify


class Command(BaseCommand):
    help = (
        "Compute every value snapshot from scratch (per account and market segment, all steps and per "
        "journey step, per month of the last two years): survey figures, SLA compliance, touchpoint "
        "sentiment, health scores and watermelons."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--notify",
            action="store_true",
            help="Afterwards, record new watermelons and e-mail their owners (as the periodic refresh does).",
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        rows = value_metrics_rebuild()
        seconds = time.perf_counter() - started
        counts = ValueSnapshot.objects.aggregate(
            accounts=Count("id", filter=Q(level=SnapshotLevel.ACCOUNT)),
            segments=Count("id", filter=Q(level=SnapshotLevel.SEGMENT)),
            scored=Count("id", filter=Q(level=SnapshotLevel.ACCOUNT, health_score__isnull=False)),
            watermelons=Count("id", filter=Q(level=SnapshotLevel.ACCOUNT, step="", is_watermelon=True)),
        )
        self.stdout.write(
            f"Computed {rows} value snapshots in {seconds:.2f} s: {counts['accounts']} of accounts "
            f"({counts['scored']} with a health score, {counts['watermelons']} watermelons) and "
            f"{counts['segments']} of market segments."
        )
        if options["notify"]:
            sent = watermelons_notify()
            self.stdout.write(f"Watermelons: {sent} e-mails sent.")
