"""`manage.py bench_seed --scale small|large`: seed the benchmark data set (BENCH.md) with bulk inserts."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from dsv.bench import seed


class Command(BaseCommand):
    help = (
        "Seed the benchmark data set: small is 200 organizations, 2,000 stakeholders and 20,000 "
        "touchpoints; large is 5,000 / 50,000 / 1,000,000 (tiny, for tests, is 40 / 200 / 1,000). "
        "Refuses a database that already holds organizations unless --force, which first deletes every "
        "row of the journey spine tables."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=sorted(seed.SCALES),
            default="small",
            help="small (default) or large, as in BENCH.md; tiny is for the test suite.",
        )
        parser.add_argument(
            "--force", action="store_true", help="Wipe the spine tables (all organizations and more) first."
        )

    def handle(self, *args, scale: str, force: bool, **options):
        log = self.stdout.write if options["verbosity"] > 0 else (lambda message: None)
        try:
            seed.ensure_schema(log, allow_foreign=force)
        except seed.ForeignData as error:
            raise CommandError(str(error)) from None
        if seed.database_state() != "empty":
            if not force:
                raise CommandError(
                    "The database already holds organizations. Use --force to wipe the spine tables first "
                    "(or point DATABASE_URL at a database of its own)."
                )
            log("wiping the spine tables")
            seed.wipe_spine()
        log(f"seeding scale {scale} on {connection.vendor}")
        report = seed.seed(seed.SCALES[scale], log=log)
        counts = ", ".join(f"{value:,} {key}" for key, value in report.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Seeded {scale} in {report.seconds:.1f} s: {counts}."))
