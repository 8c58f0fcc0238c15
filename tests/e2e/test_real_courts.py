"""The real catalog in the browser: the full list and Arkansas's page pass axe."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.e2e.conftest import run_axe, screenshot
from tests.e2e.test_smoke import _describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("url", "name", "expected"),
    [
        ("/courts/", "real_courts", "208 courts match"),
        ("/courts/areb/", "real_court_areb", "29 Mar 2021"),
    ],
)
def test_real_court_pages_pass_axe(page, url, name, expected):
    call_command("load_courts", verbosity=0)
    response = page.goto(url)
    assert response.status == 200
    assert page.get_by_text(expected).first.is_visible()
    screenshot(page, name)
    violations = run_axe(page)
    assert violations == [], _describe(violations)
