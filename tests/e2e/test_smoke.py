"""Browser smoke test: the pages a newcomer sees first render with USWDS and pass axe."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import run_axe, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
    )


@pytest.mark.parametrize(
    ("url", "name"),
    [("/", "home"), ("/accounts/login/", "login"), ("/accounts/signup/", "signup")],
)
def test_page_renders_with_uswds_and_has_no_axe_violations(page, url, name):
    response = page.goto(url)
    assert response.status == 200

    # USWDS CSS is loaded and applied (the skip link is visually hidden until focused).
    assert page.locator("link[href*='uswds/css/uswds.min.css']").count() == 1
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Source Sans Pro Web" in font
    banner = page.get_by_text("not affiliated with the U.S. Courts or PACER")
    assert banner.is_visible()
    shot = screenshot(page, name)
    assert shot.stat().st_size > 10_000

    violations = run_axe(page)
    assert violations == [], _describe(violations)


def test_skip_link_moves_focus_to_main_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.is_visible()
    skip.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
