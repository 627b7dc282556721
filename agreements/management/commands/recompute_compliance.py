from django.core.management.base import BaseCommand, CommandError

from agreements.services.compliance import MONTHS_BACK, compliance_recompute


class Command(BaseCommand):
    help = (
        "Recompute service level compliance (target scores, scorecards, breaches) from the measurements: "
        "of every active or expired agreement, or of the agreements named."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--agreement",
            type=int,
            nargs="+",
            action="extend",
            dest="agreements",
            metavar="ID",
            help="Only these agreements (one or more ids; the option may be repeated).",
        )
        parser.add_argument(
            "--months-back",
            type=int,
            default=MONTHS_BACK,
            metavar="N",
            help=f"How many months back to score (default {MONTHS_BACK}).",
        )

    def handle(self, *args, **options):
        if options["months_back"] < 0:
            raise CommandError("--months-back cannot be negative.")
        summary = compliance_recompute(
            agreement_ids=options["agreements"], months_back=options["months_back"]
        )
        self.stdout.write(
            "Recomputed {targets} targets in {seconds} s: {scores_written} scores written, "
            "{scores_deleted} deleted; {scorecards_written} scorecards written, {scorecards_deleted} "
            "deleted; {breaches_raised} breaches raised, {breaches_reraised} raised again, "
            "{breaches_cleared} cleared.".format(**summary)
        )
