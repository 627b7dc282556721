"""Realize's jobs are called through Celery in some tests (`.delay()`): run them in this process, as
the app does without Redis, also when the suite runs with REDIS_URL set (CI's second run), where a
task would otherwise wait in the broker for a worker."""

import pytest

from dsv.celery import app

IN_PROCESS = {"task_always_eager": True, "task_eager_propagates": True}


@pytest.fixture(autouse=True)
def tasks_in_process():
    before = {key: app.conf.get(key) for key in IN_PROCESS}
    app.conf.update(IN_PROCESS)
    yield
    app.conf.update(before)
