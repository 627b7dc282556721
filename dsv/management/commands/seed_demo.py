"""`manage.py seed_demo`: fill an empty database with the demo provider, its accounts and six months of
touchpoints, plus one login per role (password "demo"). `make run` calls it with --if-empty."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from dsv.demo import accounts, builder
from journeys.models import Organization


class Command(BaseCommand):
    help = (
        "Create the demo data: an invented managed IT services provider, a dozen consumer accounts "
        "spread over the seven journey steps, their stakeholders, journeys and six months of touchpoints, "
        "eight months of survey answers, and the demo logins (password 'demo')."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when any organization already exists."
        )
        parser.add_argument(
            "--reset", action="store_true", help="Delete the demo data and demo users first, then seed."
        )

    def handle(self, *args, if_empty: bool = False, reset: bool = False, **options):
        if if_empty and not reset and Organization.objects.exists():
            if options["verbosity"] > 1:
                self.stdout.write("Organizations already exist; leaving the data as it is.")
            return
        started = time.perf_counter()
        with transaction.atomic():  # reset and seed together: a failed seed keeps the old demo
            if reset:
                builder.demo_reset()
            elif builder.demo_data_present():
                raise CommandError("The demo data is already there. Use --reset to build it again.")
            result = builder.demo_seed()
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready in {elapsed:.1f} s: {result.organizations} organizations, "
                f"{result.stakeholders} stakeholders, {result.journeys} journeys "
                f"({result.step_changes} step changes), {result.touchpoints} touchpoints; "
                f"{result.personas} personas, {result.analyses} SWOT and PESTLE analyses, "
                f"{result.decisions} decision matrices, {result.relationships} service relationships, "
                f"{result.assessments} assessments, {result.offerings} service offerings, "
                f"{result.agreements} agreements, {result.plans} onboarding and offboarding plans, "
                f"{result.requests} service requests, {result.survey_responses} survey answers, "
                f"{result.value_reviews} value reviews."
            )
        )
        self.stdout.write(f"Logins (password '{accounts.DEMO_PASSWORD}'):")
        for username, (first, last, role_names, _) in accounts.DEMO_USERS.items():
            self.stdout.write(f"  {username:<11} {first} {last}, {', '.join(role_names)}")
        if result.integrator_token:
            # Shown once: the token is only printed when it is created.
            self.stdout.write(f"API token for 'integrator' (shown once): {result.integrator_token}")
