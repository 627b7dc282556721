"""Run the periodic jobs of CELERY_BEAT_SCHEDULE in this process, on their schedule.

This is how periodic work happens without Redis (`make run` starts it beside the web server): tasks
run in-process there anyway, so this loop plays the part `celery beat` plays with a broker. With
REDIS_URL set, run `celery -A dsv beat` and a worker instead.
"""

import logging
import time

from celery.schedules import maybe_schedule
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from dsv.celery import app

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run the periodic jobs in-process (for running without Redis)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run every job once and exit.")
        parser.add_argument("--max-sleep", type=float, default=5.0)

    def handle(self, *args, once: bool = False, max_sleep: float = 5.0, **options):
        if settings.REDIS_URL and not once:
            self.stderr.write("REDIS_URL is set: run `celery -A dsv beat` and a worker instead.")
            return
        # Celery registers a task only when its module is imported; a fresh process has imported none.
        app.loader.import_default_modules()
        entries = {
            name: (entry["task"], maybe_schedule(entry["schedule"], app=app))
            for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        }
        if once:
            for name, (task, _schedule) in entries.items():
                self._run(name, task)
            return
        self.stdout.write(f"Running {len(entries)} periodic jobs in-process: {', '.join(entries)}")
        last_run = {name: timezone.now() for name in entries}
        while True:
            next_check = max_sleep
            for name, (task, schedule) in entries.items():
                due, seconds_to_next = schedule.is_due(last_run[name])
                if due:
                    last_run[name] = timezone.now()
                    self._run(name, task)
                next_check = min(next_check, max(seconds_to_next, 0.5))
            time.sleep(next_check)

    def _run(self, name: str, task: str) -> None:
        try:
            app.tasks[task].apply(throw=True)
        except Exception:
            logger.exception("Periodic job %s failed; it will run again on its next schedule.", name)
