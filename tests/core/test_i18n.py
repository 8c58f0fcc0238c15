"""Languages: the Spanish and Haitian Creole catalogs cover every user-facing page, /es/… and
/ht/… pages render translated (English stays unprefixed), and an email is delivered in the
language it was queued in."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import trans_real

from cso_portal.core import services
from cso_portal.core.models import OutboundEmail
from tests.factories import UserFactory

LANGS = ("es", "ht")
LOCALE = Path(settings.BASE_DIR) / "locale"
# The pages the issue asks for in every language: public pages, sign-in and sign-up, Manage
# My Account, linking, readiness, and the emails.
TEMPLATE_DIRS = (
    "core",
    "courts",
    "account",
    "accounts",
    "allauth",
    "mfa",
    "linking",
    "components",
    "filing/readiness",
    "filing/email",
)
TRANSLATE_TAG = re.compile(r"""\{%\s*(?:translate|trans)\s+("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')""")


def _parse_po(path: Path) -> list[dict]:
    """The entries of a .po file as written by makemessages: flags, msgid(s), msgstr(s)."""
    entries: list[dict] = []
    entry: dict | None = None
    field: str | None = None
    for line in [*path.read_text(encoding="utf-8").split("\n"), ""]:
        if not line.strip():
            if entry is not None:
                entries.append(entry)
            entry, field = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "refs": [], "obsolete": False, "strings": {}}
        if line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#:"):
            entry["refs"] += line[2:].split()
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry["strings"][field] += ast.literal_eval(line)
        else:
            field, _sep, value = line.partition(" ")
            entry["strings"][field] = ast.literal_eval(value)
    return entries


@pytest.fixture(scope="module", params=LANGS)
def catalog(request):
    """(language, the .po entries without the header)."""
    entries = _parse_po(LOCALE / request.param / "LC_MESSAGES" / "django.po")
    return request.param, entries


def test_the_catalogs_are_complete_with_no_fuzzy_entry(catalog):
    language, entries = catalog
    header = entries[0]["strings"]["msgstr"]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header
    assert f"Language: {language}" in header
    assert not any("fuzzy" in entry["flags"] for entry in entries)
    assert not any(entry["obsolete"] for entry in entries)
    untranslated = [
        entry["strings"]["msgid"]
        for entry in entries[1:]
        if any(not value for key, value in entry["strings"].items() if key.startswith("msgstr"))
    ]
    assert untranslated == []
    assert len(entries) > 1000


def test_placeholders_survive_translation(catalog):
    _language, entries = catalog
    placeholder = re.compile(r"%\(\w+\)[sd]")
    for entry in entries[1:]:
        strings = entry["strings"]
        wanted = set(placeholder.findall(strings["msgid"] + strings.get("msgid_plural", "")))
        for key, value in strings.items():
            if key.startswith("msgstr"):
                got = set(placeholder.findall(value))
                # A singular form may leave out the count ("one page"); nothing may be added.
                assert got <= wanted, (strings["msgid"], value)
                if "msgid_plural" not in strings:
                    assert got == wanted, (strings["msgid"], value)


def test_every_translate_tag_of_the_pages_is_in_the_catalogs():
    """The .po files are in sync with the templates (makemessages would add nothing)."""
    msgids = {entry["strings"]["msgid"] for entry in _parse_po(LOCALE / "es/LC_MESSAGES/django.po")}
    literals: set[str] = set()
    for folder in TEMPLATE_DIRS:
        for path in (Path(settings.BASE_DIR) / "templates" / folder).rglob("*.*"):
            literals |= {ast.literal_eval(m) for m in TRANSLATE_TAG.findall(path.read_text())}
    assert len(literals) > 300
    assert sorted(literals - msgids) == []


@pytest.mark.parametrize("language", LANGS)
def test_the_compiled_catalogs_match_the_po_files(language):
    """The checked-in .mo files are compiled from the current .po files."""
    directory = LOCALE / language / "LC_MESSAGES"
    with (directory / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    for entry in _parse_po(directory / "django.po")[1:]:
        strings = entry["strings"]
        key = strings["msgid"]
        if "msgctxt" in strings:
            key = f"{strings['msgctxt']}\x04{key}"
        if "msgid_plural" in strings:
            assert compiled[(key, 0)] == strings["msgstr[0]"]
            assert compiled[(key, 1)] == strings["msgstr[1]"]
        else:
            assert compiled[key] == strings["msgstr"]
    # Django loads them (LOCALE_PATHS): a page string comes out translated.
    page_string = "Find a court"  # (a variable: makemessages must not collect test strings)
    assert trans_real.translation(language).gettext(page_string) != page_string


def test_haitian_creole_is_a_known_language_and_django_falls_back_to_english():
    info = translation.get_language_info("ht")
    assert info["name_local"] == "Kreyòl ayisyen"
    assert not info["bidi"]
    with translation.override("ht"):
        # A string only Django ships (no Creole catalog): English, no error.
        django_only, ours = "Enter a valid email address.", "Find a court"
        assert translation.gettext(django_only) == django_only
        assert translation.gettext(ours) == "Chèche yon tribinal"


# The pages ------------------------------------------------------------------------------
SPANISH = {
    "/es/": ["Ensaye Central Sign-On y NextGen CM/ECF", "Iniciar sesión"],
    "/es/courts/": ["Buscar un tribunal", "Tribunales"],
    "/es/accounts/login/": ["Iniciar sesión", "Idioma"],
    "/es/accounts/signup/?kind=attorney_filer": ["Regístrese para obtener una cuenta PACER"],
}
CREOLE = {
    "/ht/": ["Repete Central Sign-On ak NextGen CM/ECF", "Konekte"],
    "/ht/courts/": ["Chèche yon tribinal", "Tribinal yo"],
    "/ht/accounts/login/": ["Konekte", "Lang"],
    "/ht/accounts/signup/?kind=attorney_filer": ["Enskri pou yon kont PACER"],
}
SIGNED_IN = {
    "es": {
        "/es/account/": ["Administrar mi cuenta", "Mantenimiento"],
        "/es/account/link/": ["Vincule una cuenta CM/ECF a su cuenta PACER"],
    },
    "ht": {
        "/ht/account/": ["Jere Kont Mwen", "Antretyen"],
        "/ht/account/link/": ["Konekte yon kont CM/ECF ak kont PACER ou"],
    },
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "url", "expected"),
    [("es", url, texts) for url, texts in SPANISH.items()]
    + [("ht", url, texts) for url, texts in CREOLE.items()],
)
def test_public_pages_render_in_the_language_of_their_prefix(client, language, url, expected):
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    for text in expected:
        assert text in page


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGS)
def test_manage_my_account_and_linking_render_translated(client, language):
    client.force_login(UserFactory(attorney=True, with_totp=True))
    for url, expected in SIGNED_IN[language].items():
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert f'<html lang="{language}">' in page
        for text in expected:
            assert text in page, (url, text)
        # Links stay in the language: the navigation points under the same prefix.
        assert f'href="/{language}/account/' in page


@pytest.mark.django_db
def test_english_stays_unprefixed(client):
    page = client.get("/courts/").content.decode()
    assert '<html lang="en">' in page
    assert "Find a court" in page
    assert 'href="/courts/' in page


@pytest.mark.django_db
def test_the_language_switcher_moves_to_the_same_page_in_the_chosen_language(client):
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/courts/"})
    assert response.status_code == 302
    assert response["Location"] == "/es/courts/"
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/es/courts/"})
    assert response["Location"] == "/courts/"


# Emails ---------------------------------------------------------------------------------
def _queue_release_notice(user) -> OutboundEmail:
    return services.queue_email(
        dedupe_key=f"i18n-test:{user.pk}",
        to=user.email,
        template="accounts/email/registration_released",
        context={"first_name": "Avery", "username": user.username, "account_number": "1234567"},
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "subject", "greeting", "link"),
    [
        ("es", "Se aprobó el registro de su cuenta PACER", "Hola, Avery:", "/es/accounts/login/"),
        ("ht", "Enskripsyon kont PACER ou apwouve", "Bonjou Avery,", "/ht/accounts/login/"),
        ("en", "Your PACER account registration is approved", "Hello Avery,", "/accounts/login/"),
    ],
)
def test_an_email_is_delivered_in_the_language_it_was_queued_in(
    django_capture_on_commit_callbacks, language, subject, greeting, link
):
    user = UserFactory()
    with translation.override(language), transaction.atomic():
        email = _queue_release_notice(user)
    assert email.language == language
    # Delivery happens elsewhere (a worker), in whatever language is active there.
    with translation.override("en" if language != "en" else "es"):
        assert services.deliver_email(email_id=email.pk, now=email.created_at)
    message = mail.outbox[-1]
    assert subject in message.subject
    assert greeting in message.body
    assert f"{settings.CSO_SITE_URL}{link}" in message.body


@pytest.mark.django_db
def test_an_email_queued_before_languages_were_recorded_goes_out_in_english():
    user = UserFactory()
    email = _queue_release_notice(user)
    OutboundEmail.objects.filter(pk=email.pk).update(language="")
    email.refresh_from_db()
    with translation.override("es"):
        message = services.render_email(email)
    assert "Your PACER account registration is approved" in message.subject


@pytest.mark.django_db
def test_emails_follow_the_language_the_holder_chose_whoever_sends_them(client):
    """The switcher records a signed-in holder's choice; an email triggered by someone
    reading in English (a clerk's decision, the system) goes out in the holder's language."""
    user = UserFactory()
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "es", "next": "/account/"})
    user.refresh_from_db()
    assert user.preferred_language == "es"

    with translation.override("en"):  # the clerk's console, in English
        email = _queue_release_notice(user)
        assert services.deliver_email(email_id=email.pk, now=email.created_at)
    assert "Se aprobó el registro de su cuenta PACER" in mail.outbox[-1].subject

    client.post("/i18n/setlang/", {"language": "en", "next": "/es/account/"})
    OutboundEmail.objects.filter(pk=email.pk).update(status=OutboundEmail.Status.PENDING)
    with translation.override("es"):
        assert services.deliver_email(email_id=email.pk, now=email.created_at)
    assert "Your PACER account registration is approved" in mail.outbox[-1].subject


@pytest.mark.django_db
def test_an_unknown_language_is_not_recorded(client):
    user = UserFactory()
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "xx", "next": "/account/"})
    user.refresh_from_db()
    assert user.preferred_language == ""
