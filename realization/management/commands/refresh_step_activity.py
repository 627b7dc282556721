from django.core.management.base import BaseCommand

from realization.models import JourneyStepStay, RequestStanding
from realization.services import step_activity_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the live journey map's read models: the monthly step activity from every touchpoint, "
        "the requests' standing and the journeys' stays in their steps."
    )

    def handle(self, *args, **options):
        rows = step_activity_rebuild()
        standing, stays = RequestStanding.objects.count(), JourneyStepStay.objects.count()
        self.stdout.write(
            f"Rebuilt {rows} rows of monthly step activity, {standing} requests' standing and {stays} stays."
        )
