"""Agree's tests check what background work leaves behind (scorecards computed after a commit, a
breach e-mailed once), so they run Celery tasks in this process, as the app does without REDIS_URL;
with Redis the task would only reach the broker."""

import pytest

from dsv.celery import app

IN_PROCESS = {"task_always_eager": True, "task_eager_propagates": True}


@pytest.fixture(autouse=True)
def tasks_in_process():
    before = {key: app.conf.get(key) for key in IN_PROCESS}
    app.conf.update(IN_PROCESS)
    yield
    app.conf.update(before)
