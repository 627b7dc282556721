"""`manage.py bench --scale small|large`: the project's benchmark (BENCH.md). Seeds when needed,
measures in-process, writes var/bench.json and prints the table with the budget checks."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from dsv.bench import measure, report, seed


class Command(BaseCommand):
    help = (
        "Benchmark the key pages and the touchpoint API against the floor page and a bare insert, at "
        "scale small or large, on the database the environment selects; writes var/bench.json. "
        "Settings load before any command runs, so the environment must allow them to (SECRET_KEY, or "
        "DEBUG=1): `make bench` sets what it needs. Requests are measured with DEBUG off whatever the "
        "environment says. Use a database of its own (DATABASE_URL): the bench wipes and reseeds bench "
        "data freely, and refuses to touch a database holding other organizations unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=sorted(seed.SCALES),
            default="small",
            help="small (default) or large, as in BENCH.md; tiny is for the test suite.",
        )
        parser.add_argument("--requests", type=int, default=30, help="Timed requests per page (default 30).")
        parser.add_argument(
            "--api-requests", type=int, default=200, help="POSTs for each throughput figure (default 200)."
        )
        parser.add_argument(
            "--skip-seed", action="store_true", help="Measure whatever bench data is there; never seed."
        )
        parser.add_argument(
            "--force", action="store_true", help="Wipe a database that holds non-bench organizations."
        )
        parser.add_argument(
            "--output", default=str(Path(settings.BASE_DIR) / "var" / "bench.json"), help="Where to write."
        )
        parser.add_argument(
            "--report-only", action="store_true", help="Exit 0 even when a binding budget is missed."
        )

    def handle(self, *args, **options):
        verbose = options["verbosity"] > 0
        log = self.stdout.write if verbose else (lambda message: None)
        scale = seed.SCALES[options["scale"]]
        try:
            seed.ensure_schema(log, allow_foreign=options["force"])
        except seed.ForeignData as error:
            raise CommandError(str(error)) from None
        seed_seconds = self._seed(scale, options, log)

        log(f"measuring ({options['requests']} requests per page, {options['api_requests']} per API figure)")
        results = measure.Bench(
            requests=options["requests"], api_requests=options["api_requests"], log=log
        ).run()
        data = report.build_report(
            scale=scale.name,
            database=connection.vendor,
            seed_seconds=seed_seconds,
            counts=seed.bench_counts(),
            results=results,
        )

        output = Path(options["output"])
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(data, indent=2) + "\n")
        # A copy per scale, so the next run at the other scale can compare query counts.
        (output.parent / f"bench-{scale.name}.json").write_text(json.dumps(data, indent=2) + "\n")
        other = {"small": "large", "large": "small"}.get(scale.name)
        other_path = output.parent / f"bench-{other}.json"
        other_data = json.loads(other_path.read_text()) if other and other_path.exists() else None
        if other_data and other_data.get("database") != data["database"]:
            other_data = None

        checks = report.check_budgets(data, other_scale=other_data)
        self.stdout.write("")
        self.stdout.write(report.render(data, checks, results.skipped))
        self.stdout.write(f"\nWrote {output}")
        missed = [check for check in checks if check.binding and not check.ok]
        if missed and not options["report_only"]:
            raise CommandError(
                f"{len(missed)} budget(s) missed: {', '.join(check.label for check in missed)}"
            )

    def _seed(self, scale: seed.Scale, options, log) -> float | None:
        """Seed unless the data of this scale is already there. Returns the seeding time, or None."""
        state = seed.database_state()
        if options["skip_seed"]:
            if state != "bench":
                raise CommandError("There is no bench data to measure; run without --skip-seed.")
            if not seed.holds_scale(scale):
                log(f"warning: the bench data here does not have the {scale.name} scale's counts")
            return None
        if seed.holds_scale(scale):
            log(f"bench data of scale {scale.name} already there; not seeding")
            return None
        if state != "empty":
            log("wiping the spine tables")
            seed.wipe_spine()
        log(f"seeding scale {scale.name} on {connection.vendor}")
        return seed.seed(scale, log=log).seconds
