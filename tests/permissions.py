"""The harness shared by the per-subject permission tables (tests/*/test_*_permissions.py).

A GET table maps each page to a row of answers aligned with PERSONAS; a POST table maps each form to a
dict persona → answer for the personas who may not write there. An answer is a status code, or LOGIN
for "sent to the login page and back". The `client_as` fixture lives in tests/conftest.py.
"""

import pytest
from django.urls import reverse

LOGIN = "login"
PERSONAS = ("anonymous", "owner", "teammate", "outsider", "desk", "analyst", "integrator", "administrator")


def assert_answer(response, expected, url):
    """The response is `expected`: a status code, or LOGIN (a redirect to log in, then back to `url`)."""
    if expected == LOGIN:
        assert response.status_code == 302
        next_page = url.replace("?", "%3F").replace("=", "%3D")
        assert response["Location"] == f"{reverse('login')}?next={next_page}"
    else:
        assert response.status_code == expected


def get_cases(get_table):
    """(page, persona, expected) for every page × persona of a table whose rows align with PERSONAS."""
    return [
        pytest.param(page, persona, expected, id=f"{page}-{persona}")
        for page, row in get_table.items()
        for persona, expected in zip(PERSONAS, row, strict=True)
    ]


def post_cases(post_table):
    """(page, persona, expected) for every page and persona of a table whose rows map persona → answer."""
    return [
        pytest.param(page, persona, expected, id=f"{page}-{persona}")
        for page, row in post_table.items()
        for persona, expected in row.items()
    ]
