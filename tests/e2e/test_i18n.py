"""Languages in the browser: the Spanish and Creole pages render translated, pass axe, and the
header's language switcher moves between them."""

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
    ("url", "name", "heading"),
    [
        ("/es/", "i18n-es-home", "Ensaye Central Sign-On y NextGen CM/ECF"),
        ("/es/accounts/login/", "i18n-es-login", "Iniciar sesión"),
        ("/ht/", "i18n-ht-home", "Repete Central Sign-On ak NextGen CM/ECF"),
        ("/ht/accounts/login/", "i18n-ht-login", "Konekte"),
    ],
)
def test_translated_pages_render_and_have_no_axe_violations(page, url, name, heading):
    response = page.goto(url)
    assert response.status == 200
    language = url.split("/")[1]
    assert page.evaluate("document.documentElement.lang") == language
    assert page.get_by_role("heading", level=1).first.inner_text().startswith(heading)
    shot = screenshot(page, name)
    assert shot.stat().st_size > 10_000
    violations = run_axe(page)
    assert violations == [], _describe(violations)


def test_the_language_switcher_changes_the_language_of_the_same_page(page):
    page.goto("/courts/")
    page.get_by_label("Language", exact=True).select_option("es")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_url("**/es/courts/")
    assert page.evaluate("document.documentElement.lang") == "es"
    heading = page.get_by_role("heading", level=1).first.inner_text()
    assert heading == "¿Mi tribunal está en NextGen?"

    page.get_by_label("Idioma", exact=True).select_option("en")
    page.get_by_role("button", name="Cambiar idioma").click()
    page.wait_for_url("**/courts/")
    assert page.url.endswith("/courts/")
    assert "/es/" not in page.url
    assert page.evaluate("document.documentElement.lang") == "en"
