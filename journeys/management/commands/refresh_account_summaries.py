from django.core.management.base import BaseCommand

from journeys.summaries import account_summaries_refresh_all


class Command(BaseCommand):
    help = "Recompute every account summary (lists and dashboard figures) from the source tables."

    def handle(self, *args, **options):
        count = account_summaries_refresh_all()
        self.stdout.write(f"Refreshed {count} account summaries.")
