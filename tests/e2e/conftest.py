"""Browser tests: Playwright for Python driving the system's Chromium, headless, against pytest-django's
live server (a transactional database). Nothing is downloaded: the Python package brings its own driver
and the browser is the one installed on the machine (/usr/bin/chromium, or DSV_CHROMIUM).

Without that browser the tests are skipped, unless DSV_E2E_REQUIRED=1 (CI): then they fail.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

# Playwright's sync API runs an event loop in the test's thread; the test still reads the database
# through Django's synchronous ORM, which is safe here (one thread, no concurrent coroutine).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("DSV_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


def _unavailable(reason: str):
    if os.environ.get("DSV_E2E_REQUIRED") == "1":
        pytest.fail(f"{reason} (DSV_E2E_REQUIRED=1)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        _unavailable(f"No Chromium at {CHROMIUM}: set DSV_CHROMIUM or install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def page_as(browser, live_server):
    """A browser page logged in as the given user (their session cookie set), that may reach the live
    server only: any request elsewhere (the internet) is refused, so the page must work without it."""
    contexts = []

    def open_page(user):
        client = Client()
        client.force_login(user)
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 1000})
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        context.set_default_timeout(5_000)
        contexts.append(context)
        page = context.new_page()
        page.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
            ),
        )
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot():
    """Save the page as var/screenshots/console-<name>.png (kept for people reviewing a run)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(page, name: str) -> None:
        page.screenshot(path=str(SCREENSHOTS / f"console-{name}.png"), full_page=True)

    return save
