# ruff: noqa: E501  (the matrix reads as a table)
"""Authorization matrix: every URL pattern the root URL resolver knows × every persona.

Each pattern (the Manage My Account, linking, filing, courts and core pages, allauth's pages,
and the console under ``settings.ADMIN_URL``) has one row in ``MATRIX``: the URL the test
opens, its path parameters filled with objects that belong to SOMEONE ELSE (another
attorney's link request, e-file registration, agent designation, PAA membership and mail;
court A's objects, which clerk A manages and clerk B does not), and what each persona gets.
``OWN`` adds the cells where the persona's own object is the point, and ``FORGED_BODIES`` the
pages a persona may use, posted with someone else's object in the form. The i18n patterns are
tested in their unprefixed English form; /es/… and /ht/… resolve to the same views.

A URL pattern the resolver knows but ``MATRIX`` does not fails the test by name, so a new
page joins the matrix deliberately. Every cell is opened with GET; every refused cell is also
sent a forged POST; after each refused request no watched table may have had a row written,
and no page may show a marker of someone else's objects to a persona who may not see it.

Outcomes: ``ok`` 200; a number: that status; ``login`` sent to sign in (the site's or the
console's); ``reauth`` asked to confirm it's them; ``self`` sent back to the same page (which
then says why); the other redirects by name in ``REDIRECTS``, else ``to:/path/`` (numbers as
N). A cell ``A/B`` expects A on GET and B on POST (``A/ok``: the POST would be accepted, so it
is not sent); a single refusal is expected on both.

How to read the table:
- Linking needs the password given within the re-authentication window. The personas with two
  factors (clerks, PSC staff, PAA admin, PAA member) have just completed a sign-in step, which
  counts; the others are signed in with no step on record and are asked to confirm it's them.
- Holder pages (/account/link/requests/…, /account/efile/<pk>/, /account/agents/<pk>/, the PAA
  membership pages) serve the holder alone: 404 to everyone else, clerks and PSC staff too
  (they work in the console). POST-only pages answer 405 to a GET and 404 to the POST.
- The PAA's pages (/account/paa/…) exist for a PAA only (404); a PAA's own pages never reach
  another firm's memberships.
- The demo mailbox shows a message to its recipients and to those the console shows all mail
  to (superusers); court staff are staff for the console only.
- Cases are public records: every account with active case search reads court A's dockets
  (search inactive and PAA: 403). Nobody here holds a filing right in court A: filing is 403.
- Console: everyone who is not staff is sent to sign in; clerks see their courts' rows (clerk
  B gets a 404 on court A's rows, like a missing one) and get 403 outside the court staff's
  permissions; PSC staff (superusers) see everything.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import translation
from django.utils.http import int_to_base36

# fmt: off
COLUMNS = ("anon", "search", "legacy", "atty", "shared", "agent", "prose", "clerkA", "clerkB", "psc", "paa", "member")
# fmt: on
PERSONAS = {
    "anon": "anonymous",
    "search": "search-only account (case search inactive)",
    "legacy": "legacy attorney (not upgraded)",
    "atty": "upgraded attorney",
    "shared": "shared account",
    "agent": "filing agent",
    "prose": "pro se filer",
    "clerkA": "clerk of court A (azb)",
    "clerkB": "clerk of court B (nvb)",
    "psc": "PACER Service Center staff",
    "paa": "PAA administrator (of another firm than the owner's)",
    "member": "PAA member (of a third firm)",
}
# A refusal: a POST is sent too, and nothing may change.
REFUSALS = {"login", "403", "404", "405"}
# A POST is sent when the cell expects one of these for it (a POST that would be accepted is
# not sent: this test changes nothing on purpose), except to the sign-out pages (signing out
# is every persona's own business, and would end the session this test runs in).
POST_REFUSALS = {*REFUSALS, "400", "410", "reauth", "upgrade", "manage", "console"}
NO_POST = {"accounts/logout/", "console/logout/"}

MATRIX = {
    # home and health
    #                       anon search legacy atty shared agent prose clerkA clerkB psc paa member
    '':        ('/',         "ok   ok     ok     ok   ok     ok    ok    ok     ok     ok  ok  ok"),
    'healthz': ('/healthz',  "ok   ok     ok     ok   ok     ok    ok    ok     ok     ok  ok  ok"),

    # demo mailbox
    #                                         anon  search legacy atty shared agent prose clerkA clerkB psc paa member
    'mailbox/':          ('/mailbox/',         "login ok     ok     ok   ok     ok    ok    ok     ok     ok  ok  ok"),
    'mailbox/<int:pk>/': ('/mailbox/{mail}/',  "login 404    404    404  404    404   404   404    404    ok  404 404"),

    # allauth (accounts/)
    #                                                                                                                              anon     search   legacy  atty     shared   agent    prose    clerkA   clerkB   psc      paa      member
    'accounts/login/':                                                     ('/accounts/login/',                                     "ok       manage   2fa     2fa      manage   2fa      2fa      manage   manage   manage   manage   manage"),
    'accounts/logout/':                                                    ('/accounts/logout/',                                    "to:/     ok       ok      ok       ok       ok       ok       ok       ok       ok       ok       ok"),
    'accounts/inactive/':                                                  ('/accounts/inactive/',                                  "ok       ok       ok      ok       ok       ok       ok       ok       ok       ok       ok       ok"),
    'accounts/signup/':                                                    ('/accounts/signup/',                                    "register manage   2fa     2fa      manage   2fa      2fa      manage   manage   manage   manage   manage"),
    'accounts/reauthenticate/':                                            ('/accounts/reauthenticate/',                            "login    ok       ok      ok       ok       ok       ok       ok       ok       ok       ok       ok"),
    'accounts/email/':                                                     ('/accounts/email/',                                     "login    ok       upgrade ok       ok       ok       ok       ok       ok       ok       ok       ok"),
    'accounts/confirm-email/':                                             ('/accounts/confirm-email/',                             "ok       ok       ok      ok       ok       ok       ok       ok       ok       ok       ok       ok"),
    'accounts/password/change/':                                           ('/accounts/password/change/',                           "login    ok       upgrade ok       ok       ok       ok       ok       ok       ok       ok       ok"),
    'accounts/password/set/':                                              ('/accounts/password/set/',                              "login    pwchange upgrade pwchange pwchange pwchange pwchange pwchange pwchange pwchange pwchange pwchange"),
    'accounts/password/reset/':                                            ('/accounts/password/reset/',                            "ok       ok       ok      ok       ok       ok       ok       ok       ok       ok       ok       ok"),
    'accounts/login/code/confirm/':                                        ('/accounts/login/code/confirm/',                        "login    manage   2fa     2fa      manage   2fa      2fa      manage   manage   manage   manage   manage"),
    'accounts/^confirm-email/(?P<key>[-:\\w]+)/$':                         ('/accounts/confirm-email/not-a-key/',                   "ok       ok       ok      ok       ok       ok       ok       ok       ok       ok       ok       ok"),
    'accounts/password/reset/key/done/':                                   ('/accounts/password/reset/key/done/',                   "ok       ok       ok      ok       ok       ok       ok       ok       ok       ok       ok       ok"),
    '^accounts/password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$': ('/accounts/password/reset/key/{owner_b36}-not-a-key/',  "ok       ok       ok      ok       ok       ok       ok       ok       ok       ok       ok       ok"),
    'accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$': ('/accounts/password/reset/key/{owner_b36}-not-a-key/',  "ok       ok       ok      ok       ok       ok       ok       ok       ok       ok       ok       ok"),
    'accounts/password/reset/done/':                                       ('/accounts/password/reset/done/',                       "ok       ok       ok      ok       ok       ok       ok       ok       ok       ok       ok       ok"),
    'accounts/2fa/':                                                       ('/accounts/2fa/',                                       "login    ok       upgrade ok       ok       ok       ok       ok       ok       ok       ok       ok"),
    'accounts/2fa/authenticate/':                                          ('/accounts/2fa/authenticate/',                          "login    manage   2fa     2fa      manage   2fa      2fa      manage   manage   manage   manage   manage"),
    'accounts/2fa/reauthenticate/':                                        ('/accounts/2fa/reauthenticate/',                        "login    reauth   reauth  reauth   reauth   reauth   reauth   ok       ok       ok       ok       ok"),
    'accounts/2fa/totp/activate/':                                         ('/accounts/2fa/totp/activate/',                         "login    reauth   upgrade reauth   reauth   reauth   reauth   reauth   reauth   reauth   reauth   reauth"),
    'accounts/2fa/totp/deactivate/':                                       ('/accounts/2fa/totp/deactivate/',                       "login    404      upgrade 404      404      404      404      reauth   reauth   reauth   reauth   reauth"),
    'accounts/2fa/recovery-codes/':                                        ('/accounts/2fa/recovery-codes/',                        "login    404/405  upgrade 404/405  404/405  404/405  404/405  404/405  404/405  404/405  404/405  404/405"),
    'accounts/2fa/recovery-codes/generate/':                               ('/accounts/2fa/recovery-codes/generate/',               "login    reauth   upgrade reauth   reauth   reauth   reauth   reauth   reauth   reauth   reauth   reauth"),
    'accounts/2fa/recovery-codes/download/':                               ('/accounts/2fa/recovery-codes/download/',               "login    404      upgrade 404      404      404      404      404      404      404      404      404"),
    'accounts/2fa/webauthn/':                                              ('/accounts/2fa/webauthn/',                              "login    ok       upgrade ok       ok       ok       ok       ok       ok       ok       ok       ok"),
    'accounts/2fa/webauthn/add/':                                          ('/accounts/2fa/webauthn/add/',                          "login    reauth   upgrade reauth   reauth   reauth   reauth   reauth   reauth   reauth   reauth   reauth"),
    'accounts/2fa/webauthn/reauthenticate/':                               ('/accounts/2fa/webauthn/reauthenticate/',               "login    reauth   reauth  reauth   reauth   reauth   reauth   reauth   reauth   reauth   reauth   reauth"),
    'accounts/2fa/webauthn/keys/<int:pk>/remove/':                         ('/accounts/2fa/webauthn/keys/{authenticator}/remove/',  "login    reauth   upgrade reauth   reauth   reauth   reauth   reauth   reauth   reauth   reauth   reauth"),
    'accounts/2fa/webauthn/keys/<int:pk>/edit/':                           ('/accounts/2fa/webauthn/keys/{authenticator}/edit/',    "login    reauth   upgrade reauth   reauth   reauth   reauth   reauth   reauth   reauth   reauth   reauth"),
    'accounts/2fa/webauthn/login/':                                        ('/accounts/2fa/webauthn/login/',                        "login    manage   2fa     2fa      manage   2fa      2fa      manage   manage   manage   manage   manage"),
    'accounts/sessions/':                                                  ('/accounts/sessions/',                                  "login    ok       ok      ok       ok       ok       ok       ok       ok       ok       ok       ok"),

    # courts/
    #                                                                                                   anon    search  legacy  atty    shared  agent   prose   clerkA  clerkB  psc     paa     member
    'courts/':                                       ('/courts/',                                        "ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok"),
    'courts/nextgen.ics':                            ('/courts/nextgen.ics',                             "ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok"),
    'courts/subscriptions/confirm/<str:token>/':     ('/courts/subscriptions/confirm/not-a-token/',      "ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok"),
    'courts/subscriptions/unsubscribe/<str:token>/': ('/courts/subscriptions/unsubscribe/not-a-token/',  "ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok"),
    'courts/^(?P<court_id>[a-z0-9]+)\\.ics$':        ('/courts/{court_a}.ics',                           "ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok"),
    'courts/<slug:court_id>/':                       ('/courts/{court_a}/',                              "ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok"),
    'courts/<slug:court_id>/subscribe/':             ('/courts/{court_a}/subscribe/',                    "405/400 405/400 405/400 405/400 405/400 405/400 405/400 405/400 405/400 405/400 405/400 405/400"),
    'courts/<slug:court_id>/schedule/':              ('/courts/{court_a}/schedule/',                     "login   404     404     404     404     404     404     ok      404     ok      404     404"),
    'courts/<slug:court_id>/filing-settings/':       ('/courts/{court_a}/filing-settings/',              "login   404     404     404     404     404     404     ok      404     ok      404     404"),

    # Manage My Account, linking, e-filing (account/)
    #                                                                                                       anon  search  legacy  atty    shared  agent   prose   clerkA  clerkB  psc     paa     member
    'account/':                                           ('/account/',                                      "login ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok"),
    'account/profile/':                                   ('/account/profile/',                              "login ok      upgrade ok      ok      ok      ok      ok      ok      ok      ok      ok"),
    'account/maintenance/':                               ('/account/maintenance/',                          "login ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok"),
    'account/payments/':                                  ('/account/payments/',                             "login ok      ok      ok      ok      ok      ok      ok      ok      ok      paa     ok"),
    'account/usage/':                                     ('/account/usage/',                                "login ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok"),
    'account/history/':                                   ('/account/history/',                              "login ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok"),
    'account/not-me/<str:token>/':                        ('/account/not-me/not-a-token/',                   "400   400     400     400     400     400     400     400     400     400     400     400"),
    'account/upgrade/':                                   ('/account/upgrade/',                              "login manage  ok      manage  manage  manage  manage  manage  manage  manage  manage  manage"),
    'account/register/':                                  ('/account/register/',                             "ok    manage  manage  manage  manage  manage  manage  manage  manage  manage  manage  manage"),
    'account/paa/':                                       ('/account/paa/',                                  "login 404     404     404     404     404     404     404     404     404     ok      404"),
    'account/paa/members/add/':                           ('/account/paa/members/add/',                      "login 404     404     404     404     404     404     404     404     404     405/ok  404"),
    'account/paa/members/remove/':                        ('/account/paa/members/remove/',                   "login 404     404     404     404     404     404     404     404     404     ok      404"),
    'account/paa/members/<int:pk>/withdraw/':             ('/account/paa/members/{invitation}/withdraw/',    "login 404     404     404     404     404     404     404     404     404     405/404 404"),
    'account/paa/settings/':                              ('/account/paa/settings/',                         "login 404     404     404     404     404     404     404     404     404     ok      404"),
    'account/paa/statement/':                             ('/account/paa/statement/',                        "login 404/405 404/405 404/405 404/405 404/405 404/405 404/405 404/405 404/405 ok      404/405"),
    'account/paa/statement.csv':                          ('/account/paa/statement.csv',                     "login 404/405 404/405 404/405 404/405 404/405 404/405 404/405 404/405 404/405 ok      404/405"),
    'account/paa/usage.csv':                              ('/account/paa/usage.csv',                         "login 404/405 404/405 404/405 404/405 404/405 404/405 404/405 404/405 404/405 ok      404/405"),
    'account/paa/payments/':                              ('/account/paa/payments/',                         "login 404     404     404     404     404     404     404     404     404     ok      404"),
    'account/paa-membership/':                            ('/account/paa-membership/',                       "login ok      ok      ok      ok      ok      ok      ok      ok      ok      404     ok"),
    'account/paa-membership/<int:pk>/accept/':            ('/account/paa-membership/{invitation}/accept/',   "login 405/404 405/404 405/404 405/404 405/404 405/404 405/404 405/404 405/404 404     405/404"),
    'account/paa-membership/<int:pk>/decline/':           ('/account/paa-membership/{invitation}/decline/',  "login 405/404 405/404 405/404 405/404 405/404 405/404 405/404 405/404 405/404 404     405/404"),
    'account/paa-membership/<int:pk>/leave/':             ('/account/paa-membership/{membership}/leave/',    "login 404     404     404     404     404     404     404     404     404     404     404"),
    'account/two-factor/':                                ('/account/two-factor/',                           "login manage  ok      ok      manage  ok      ok      manage  manage  manage  manage  manage"),
    'account/link/':                                      ('/account/link/',                                 "login ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok"),
    'account/link/reset/<str:token>/':                    ('/account/link/reset/not-a-token/',               "410   410     410     410     410     410     410     410     410     410     410     410"),
    'account/link/<slug:court_id>/':                      ('/account/link/{court_a}/',                       "login reauth/self reauth/self reauth/self reauth/self reauth/self reauth/self ok ok ok to:/account/link/ ok"),
    'account/link/<slug:court_id>/verify/':               ('/account/link/{court_a}/verify/',                "login reauth  reauth  reauth  reauth  reauth  reauth  to:/account/link/ to:/account/link/ to:/account/link/ to:/account/link/ to:/account/link/"),
    'account/link/<slug:court_id>/reset/':                ('/account/link/{court_a}/reset/',                 "login ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok"),
    'account/link/requests/<int:pk>/':                    ('/account/link/requests/{link_request}/',         "login 404     404     404     404     404     404     404     404     404     404     404"),
    'account/link/requests/<int:pk>/cancel/':             ('/account/link/requests/{link_request}/cancel/',  "login 405/404 405/404 405/404 405/404 405/404 405/404 405/404 405/404 405/404 405/404 405/404"),
    'account/courts/':                                    ('/account/courts/',                               "login ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok"),

    # each court's ECF site (ecf/)
    #                                                                                              anon      search  legacy  atty    shared  agent   prose   clerkA  clerkB  psc     paa     member
    'ecf/<slug:court_id>/':                                 ('/ecf/{court_a}/',                     "login/403 ok      ok      ok      ok      ok      ok      ok      ok      ok      403     ok"),
    'ecf/<slug:court_id>/sign-out/':                        ('/ecf/{court_a}/sign-out/',            "405/ecf   405/ecf 405/ecf 405/ecf 405/ecf 405/ecf 405/ecf 405/ecf 405/ecf 405/ecf 405/ecf 405/ecf"),
    'ecf/<slug:court_id>/cgi-bin/<path:legacy_path>':       ('/ecf/{court_a}/cgi-bin/login.pl',     "ok        ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok"),

    # Manage My Account, linking, e-filing (account/)
    #                                                                                                       anon  search  legacy  atty    shared  agent   prose   clerkA  clerkB  psc     paa     member
    'account/efile/':                                     ('/account/efile/',                                "login ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok"),
    'account/efile/new/<slug:audience>/':                 ('/account/efile/new/attorney/',                   "login ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok"),
    'account/efile/new/<slug:audience>/<slug:court_id>/': ('/account/efile/new/attorney/{court_a}/',         "login ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok"),
    'account/efile/<int:pk>/':                            ('/account/efile/{registration}/',                 "login 404/405 404/405 404/405 404/405 404/405 404/405 404/405 404/405 404/405 404/405 404/405"),
    'account/efile/<int:pk>/cancel/':                     ('/account/efile/{registration}/cancel/',          "login 405/404 405/404 405/404 405/404 405/404 405/404 405/404 405/404 405/404 405/404 405/404"),
    'account/agents/':                                    ('/account/agents/',                               "login ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok"),
    'account/agents/<int:pk>/':                           ('/account/agents/{designation}/',                 "login 404     404     404     404     404     404     404     404     404     404     404"),
    'account/agents/<int:pk>/remove/':                    ('/account/agents/{designation}/remove/',          "login 405/404 405/404 405/404 405/404 405/404 405/404 405/404 405/404 405/404 405/404 405/404"),
    'account/agents/<int:pk>/log/':                       ('/account/agents/{designation}/log/',             "login 404     404     404     404     404     404     404     404     404     404     404"),
    'account/paa/readiness/':                             ('/account/paa/readiness/',                        "login 404/405 404/405 404/405 404/405 404/405 404/405 404/405 404/405 404/405 ok      404/405"),
    'account/readiness/':                                 ('/account/readiness/',                            "login ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok"),
    'account/readiness/<slug:court_id>/':                 ('/account/readiness/{court_a}/',                  "login ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok"),
    'account/readiness/<slug:court_id>/sheet/':           ('/account/readiness/{court_a}/sheet/',            "login ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok"),

    # each court's ECF site (ecf/)
    #                                                                                              anon      search  legacy  atty    shared  agent   prose   clerkA  clerkB  psc     paa     member
    'ecf/free-look/<str:token>/':                           ('/ecf/free-look/not-a-token/',         "404       404     404     404     404     404     404     404     404     404     404     404"),
    'ecf/<slug:court_id>/register/':                        ('/ecf/{court_a}/register/',            "login     ok      ok      ok      ok      ok      ok      ok      ok      ok      ok      ok"),
    'ecf/<slug:court_id>/change-user/':                     ('/ecf/{court_a}/change-user/',         "login     ok      ok      ok      ok      ok      ok      ok      ok      ok      403     ok"),
    'ecf/<slug:court_id>/nef-addresses/':                   ('/ecf/{court_a}/nef-addresses/',       "login     ok      ok      ok      ok      ok      ok      ok      ok      ok      403     ok"),
    'ecf/<slug:court_id>/search/':                          ('/ecf/{court_a}/search/',              "login/405 403/405 ok      ok      ok      ok      ok      ok      ok      ok      403     ok"),
    'ecf/<slug:court_id>/cases/<int:pk>/':                  ('/ecf/{court_a}/cases/{case}/',        "login/405 403/405 ok      ok      ok      ok      ok      ok      ok      ok      403/405 ok"),
    'ecf/<slug:court_id>/cases/<int:pk>/doc/<int:number>/': ('/ecf/{court_a}/cases/{case}/doc/1/',  "login     403     ok      ok      ok      ok      ok      ok      ok      ok      403     ok"),
    'ecf/<slug:court_id>/cases/<int:pk>/file/':             ('/ecf/{court_a}/cases/{case}/file/',   "login     403     403     403     403     403     403     403     403     403     403     403"),
    'ecf/<slug:court_id>/file/new-case/':                   ('/ecf/{court_a}/file/new-case/',       "login     403     403     403     403     403     403     403     403     403     403     403"),

    # language switcher
    #                                   anon search legacy atty shared agent prose clerkA clerkB psc  paa  member
    'i18n/setlang/': ('/i18n/setlang/',  "to:/ to:/   to:/   to:/ to:/   to:/  to:/  to:/   to:/   to:/ to:/ to:/"),

    # console (settings.ADMIN_URL)
    #                                                                                                                                 anon    search  legacy  atty    shared  agent   prose   clerkA  clerkB  psc     paa     member
    'console/':                                                                                    ('/console/',                       "login   login   login   login   login   login   login   ok      ok      ok      login   login"),
    'console/login/':                                                                              ('/console/login/',                 "login   403     403     403     403     403     403     console/ok console/ok console/ok 403     403"),
    'console/logout/':                                                                             ('/console/logout/',                "console console console console console console console 405/ok   405/ok   405/ok   console console"),
    'console/password_change/':                                                                    ('/console/password_change/',       "login   login   login   login   login   login   login   ok      ok      ok      login   login"),
    'console/password_change/done/':                                                               ('/console/password_change/done/',  "login   login   login   login   login   login   login   ok      ok      ok      login   login"),
    'console/autocomplete/':                                                                       ('/console/autocomplete/',          "login   login   login   login   login   login   login   403/405 403/405 403/405 login   login"),
    'console/jsi18n/':                                                                             ('/console/jsi18n/',                "login   login   login   login   login   login   login   ok      ok      ok      login   login"),
    'console/r/<path:content_type_id>/<path:object_id>/':                                          ('/console/r/{user_ct}/{owner}/',   "login   login   login   login   login   login   login   404     404     404     login   login"),

    # console (settings.ADMIN_URL): auth
    #                                                                                        anon  search legacy atty  shared agent prose clerkA clerkB psc    paa   member
    'console/auth/group/':                          ('/console/auth/group/',                  "login login  login  login login  login login 403    403    ok     login login"),
    'console/auth/group/add/':                      ('/console/auth/group/add/',              "login login  login  login login  login login 403    403    ok     login login"),
    'console/auth/group/<path:object_id>/history/': ('/console/auth/group/{group}/history/',  "login login  login  login login  login login 403    403    ok     login login"),
    'console/auth/group/<path:object_id>/delete/':  ('/console/auth/group/{group}/delete/',   "login login  login  login login  login login 403    403    ok     login login"),
    'console/auth/group/<path:object_id>/change/':  ('/console/auth/group/{group}/change/',   "login login  login  login login  login login 403    403    ok     login login"),
    'console/auth/group/<path:object_id>/':         ('/console/auth/group/{group}/',          "login login  login  login login  login login change change change login login"),

    # console (settings.ADMIN_URL): account
    #                                                                                                                    anon  search legacy atty  shared agent prose clerkA clerkB psc    paa   member
    'console/account/emailaddress/':                          ('/console/account/emailaddress/',                          "login login  login  login login  login login 403    403    ok     login login"),
    'console/account/emailaddress/add/':                      ('/console/account/emailaddress/add/',                      "login login  login  login login  login login 403    403    ok     login login"),
    'console/account/emailaddress/<path:object_id>/history/': ('/console/account/emailaddress/{email_address}/history/',  "login login  login  login login  login login 403    403    ok     login login"),
    'console/account/emailaddress/<path:object_id>/delete/':  ('/console/account/emailaddress/{email_address}/delete/',   "login login  login  login login  login login 403    403    ok     login login"),
    'console/account/emailaddress/<path:object_id>/change/':  ('/console/account/emailaddress/{email_address}/change/',   "login login  login  login login  login login 403    403    ok     login login"),
    'console/account/emailaddress/<path:object_id>/':         ('/console/account/emailaddress/{email_address}/',          "login login  login  login login  login login change change change login login"),

    # console (settings.ADMIN_URL): mfa
    #                                                                                                              anon  search legacy atty  shared agent prose clerkA clerkB psc    paa   member
    'console/mfa/authenticator/':                          ('/console/mfa/authenticator/',                          "login login  login  login login  login login 403    403    ok     login login"),
    'console/mfa/authenticator/add/':                      ('/console/mfa/authenticator/add/',                      "login login  login  login login  login login 403    403    ok     login login"),
    'console/mfa/authenticator/<path:object_id>/history/': ('/console/mfa/authenticator/{authenticator}/history/',  "login login  login  login login  login login 403    403    ok     login login"),
    'console/mfa/authenticator/<path:object_id>/delete/':  ('/console/mfa/authenticator/{authenticator}/delete/',   "login login  login  login login  login login 403    403    ok     login login"),
    'console/mfa/authenticator/<path:object_id>/change/':  ('/console/mfa/authenticator/{authenticator}/change/',   "login login  login  login login  login login 403    403    ok     login login"),
    'console/mfa/authenticator/<path:object_id>/':         ('/console/mfa/authenticator/{authenticator}/',          "login login  login  login login  login login change change change login login"),

    # console (settings.ADMIN_URL): usersessions
    #                                                                                                                           anon  search legacy atty  shared agent prose clerkA clerkB psc    paa   member
    'console/usersessions/usersession/':                          ('/console/usersessions/usersession/',                         "login login  login  login login  login login 403    403    ok     login login"),
    'console/usersessions/usersession/add/':                      ('/console/usersessions/usersession/add/',                     "login login  login  login login  login login 403    403    ok     login login"),
    'console/usersessions/usersession/<path:object_id>/history/': ('/console/usersessions/usersession/{user_session}/history/',  "login login  login  login login  login login 403    403    ok     login login"),
    'console/usersessions/usersession/<path:object_id>/delete/':  ('/console/usersessions/usersession/{user_session}/delete/',   "login login  login  login login  login login 403    403    ok     login login"),
    'console/usersessions/usersession/<path:object_id>/change/':  ('/console/usersessions/usersession/{user_session}/change/',   "login login  login  login login  login login 403    403    ok     login login"),
    'console/usersessions/usersession/<path:object_id>/':         ('/console/usersessions/usersession/{user_session}/',          "login login  login  login login  login login change change change login login"),

    # console (settings.ADMIN_URL): core
    #                                                                                                             anon  search legacy atty  shared agent prose clerkA clerkB psc    paa   member
    'console/core/heartbeat/':                              ('/console/core/heartbeat/',                           "login login  login  login login  login login 403    403    ok     login login"),
    'console/core/heartbeat/add/':                          ('/console/core/heartbeat/add/',                       "login login  login  login login  login login 403    403    403    login login"),
    'console/core/heartbeat/<path:object_id>/history/':     ('/console/core/heartbeat/{heartbeat}/history/',       "login login  login  login login  login login 403    403    ok     login login"),
    'console/core/heartbeat/<path:object_id>/delete/':      ('/console/core/heartbeat/{heartbeat}/delete/',        "login login  login  login login  login login 403    403    ok     login login"),
    'console/core/heartbeat/<path:object_id>/change/':      ('/console/core/heartbeat/{heartbeat}/change/',        "login login  login  login login  login login 403    403    ok     login login"),
    'console/core/heartbeat/<path:object_id>/':             ('/console/core/heartbeat/{heartbeat}/',               "login login  login  login login  login login change change change login login"),
    'console/core/mailmessage/':                            ('/console/core/mailmessage/',                         "login login  login  login login  login login 403    403    ok     login login"),
    'console/core/mailmessage/add/':                        ('/console/core/mailmessage/add/',                     "login login  login  login login  login login 403    403    403    login login"),
    'console/core/mailmessage/<path:object_id>/history/':   ('/console/core/mailmessage/{mail}/history/',          "login login  login  login login  login login 403    403    ok     login login"),
    'console/core/mailmessage/<path:object_id>/delete/':    ('/console/core/mailmessage/{mail}/delete/',           "login login  login  login login  login login 403    403    ok     login login"),
    'console/core/mailmessage/<path:object_id>/change/':    ('/console/core/mailmessage/{mail}/change/',           "login login  login  login login  login login 403    403    ok     login login"),
    'console/core/mailmessage/<path:object_id>/':           ('/console/core/mailmessage/{mail}/',                  "login login  login  login login  login login change change change login login"),
    'console/core/outboundemail/':                          ('/console/core/outboundemail/',                       "login login  login  login login  login login 403    403    ok     login login"),
    'console/core/outboundemail/add/':                      ('/console/core/outboundemail/add/',                   "login login  login  login login  login login 403    403    403    login login"),
    'console/core/outboundemail/<path:object_id>/history/': ('/console/core/outboundemail/{outbound}/history/',    "login login  login  login login  login login 403    403    ok     login login"),
    'console/core/outboundemail/<path:object_id>/delete/':  ('/console/core/outboundemail/{outbound}/delete/',     "login login  login  login login  login login 403    403    ok     login login"),
    'console/core/outboundemail/<path:object_id>/change/':  ('/console/core/outboundemail/{outbound}/change/',     "login login  login  login login  login login 403    403    ok     login login"),
    'console/core/outboundemail/<path:object_id>/':         ('/console/core/outboundemail/{outbound}/',            "login login  login  login login  login login change change change login login"),

    # console (settings.ADMIN_URL): accounts
    #                                                                                                                     anon  search legacy atty  shared agent prose clerkA clerkB psc    paa   member
    'console/accounts/user/<id>/password/':                     ('/console/accounts/user/{owner}/password/',               "login login  login  login login  login login 403    403    ok     login login"),
    'console/accounts/user/':                                   ('/console/accounts/user/',                                "login login  login  login login  login login 403    403    ok     login login"),
    'console/accounts/user/add/':                               ('/console/accounts/user/add/',                            "login login  login  login login  login login 403    403    403    login login"),
    'console/accounts/user/<path:object_id>/history/':          ('/console/accounts/user/{owner}/history/',                "login login  login  login login  login login 403    403    ok     login login"),
    'console/accounts/user/<path:object_id>/delete/':           ('/console/accounts/user/{owner}/delete/',                 "login login  login  login login  login login 403    403    ok     login login"),
    'console/accounts/user/<path:object_id>/change/':           ('/console/accounts/user/{owner}/change/',                 "login login  login  login login  login login 403    403    ok     login login"),
    'console/accounts/user/<path:object_id>/':                  ('/console/accounts/user/{owner}/',                        "login login  login  login login  login login change change change login login"),
    'console/accounts/accountevent/':                           ('/console/accounts/accountevent/',                        "login login  login  login login  login login 403    403    ok     login login"),
    'console/accounts/accountevent/add/':                       ('/console/accounts/accountevent/add/',                    "login login  login  login login  login login 403    403    403    login login"),
    'console/accounts/accountevent/<path:object_id>/history/':  ('/console/accounts/accountevent/{event}/history/',        "login login  login  login login  login login 403    403    ok     login login"),
    'console/accounts/accountevent/<path:object_id>/delete/':   ('/console/accounts/accountevent/{event}/delete/',         "login login  login  login login  login login 403    403    403    login login"),
    'console/accounts/accountevent/<path:object_id>/change/':   ('/console/accounts/accountevent/{event}/change/',         "login login  login  login login  login login 403    403    ok     login login"),
    'console/accounts/accountevent/<path:object_id>/':          ('/console/accounts/accountevent/{event}/',                "login login  login  login login  login login change change change login login"),
    'console/accounts/paaprofile/':                             ('/console/accounts/paaprofile/',                          "login login  login  login login  login login 403    403    ok     login login"),
    'console/accounts/paaprofile/add/':                         ('/console/accounts/paaprofile/add/',                      "login login  login  login login  login login 403    403    403    login login"),
    'console/accounts/paaprofile/<path:object_id>/history/':    ('/console/accounts/paaprofile/{paa_profile}/history/',    "login login  login  login login  login login 403    403    ok     login login"),
    'console/accounts/paaprofile/<path:object_id>/delete/':     ('/console/accounts/paaprofile/{paa_profile}/delete/',     "login login  login  login login  login login 403    403    403    login login"),
    'console/accounts/paaprofile/<path:object_id>/change/':     ('/console/accounts/paaprofile/{paa_profile}/change/',     "login login  login  login login  login login 403    403    ok     login login"),
    'console/accounts/paaprofile/<path:object_id>/':            ('/console/accounts/paaprofile/{paa_profile}/',            "login login  login  login login  login login change change change login login"),
    'console/accounts/paamembership/':                          ('/console/accounts/paamembership/',                       "login login  login  login login  login login 403    403    ok     login login"),
    'console/accounts/paamembership/add/':                      ('/console/accounts/paamembership/add/',                   "login login  login  login login  login login 403    403    403    login login"),
    'console/accounts/paamembership/<path:object_id>/history/': ('/console/accounts/paamembership/{membership}/history/',  "login login  login  login login  login login 403    403    ok     login login"),
    'console/accounts/paamembership/<path:object_id>/delete/':  ('/console/accounts/paamembership/{membership}/delete/',   "login login  login  login login  login login 403    403    403    login login"),
    'console/accounts/paamembership/<path:object_id>/change/':  ('/console/accounts/paamembership/{membership}/change/',   "login login  login  login login  login login 403    403    ok     login login"),
    'console/accounts/paamembership/<path:object_id>/':         ('/console/accounts/paamembership/{membership}/',          "login login  login  login login  login login change change change login login"),

    # console (settings.ADMIN_URL): courts
    #                                                                                                                 anon  search legacy atty  shared agent prose clerkA clerkB  psc    paa   member
    'console/courts/court/':                                 ('/console/courts/court/',                                "login login  login  login login  login login ok     ok      ok     login login"),
    'console/courts/court/add/':                             ('/console/courts/court/add/',                            "login login  login  login login  login login 403    403     403    login login"),
    'console/courts/court/<path:object_id>/history/':        ('/console/courts/court/{court_a}/history/',              "login login  login  login login  login login ok     404     ok     login login"),
    'console/courts/court/<path:object_id>/delete/':         ('/console/courts/court/{court_a}/delete/',               "login login  login  login login  login login 403    404     403    login login"),
    'console/courts/court/<path:object_id>/change/':         ('/console/courts/court/{court_a}/change/',               "login login  login  login login  login login ok     404         ok     login login"),
    'console/courts/court/<path:object_id>/':                ('/console/courts/court/{court_a}/',                      "login login  login  login login  login login change change  change login login"),
    'console/courts/courtstaff/':                            ('/console/courts/courtstaff/',                           "login login  login  login login  login login ok     ok      ok     login login"),
    'console/courts/courtstaff/add/':                        ('/console/courts/courtstaff/add/',                       "login login  login  login login  login login 403    403     ok     login login"),
    'console/courts/courtstaff/<path:object_id>/history/':   ('/console/courts/courtstaff/{court_staff}/history/',     "login login  login  login login  login login ok     404     ok     login login"),
    'console/courts/courtstaff/<path:object_id>/delete/':    ('/console/courts/courtstaff/{court_staff}/delete/',      "login login  login  login login  login login 403    404     ok     login login"),
    'console/courts/courtstaff/<path:object_id>/change/':    ('/console/courts/courtstaff/{court_staff}/change/',      "login login  login  login login  login login ok     404         ok     login login"),
    'console/courts/courtstaff/<path:object_id>/':           ('/console/courts/courtstaff/{court_staff}/',             "login login  login  login login  login login change change  change login login"),
    'console/courts/subscription/':                          ('/console/courts/subscription/',                         "login login  login  login login  login login ok     ok      ok     login login"),
    'console/courts/subscription/add/':                      ('/console/courts/subscription/add/',                     "login login  login  login login  login login 403    403     403    login login"),
    'console/courts/subscription/<path:object_id>/history/': ('/console/courts/subscription/{subscription}/history/',  "login login  login  login login  login login ok     404     ok     login login"),
    'console/courts/subscription/<path:object_id>/delete/':  ('/console/courts/subscription/{subscription}/delete/',   "login login  login  login login  login login 403    404     ok     login login"),
    'console/courts/subscription/<path:object_id>/change/':  ('/console/courts/subscription/{subscription}/change/',   "login login  login  login login  login login ok     404         ok     login login"),
    'console/courts/subscription/<path:object_id>/':         ('/console/courts/subscription/{subscription}/',          "login login  login  login login  login login change change  change login login"),

    # console (settings.ADMIN_URL): linking
    #                                                                                                                  anon  search legacy atty  shared agent prose clerkA clerkB  psc    paa   member
    'console/linking/linkrequest/dashboard/':                 ('/console/linking/linkrequest/dashboard/',               "login login  login  login login  login login ok     ok      ok     login login"),
    'console/linking/linkrequest/':                           ('/console/linking/linkrequest/',                         "login login  login  login login  login login ok     ok      ok     login login"),
    'console/linking/linkrequest/add/':                       ('/console/linking/linkrequest/add/',                     "login login  login  login login  login login 403    403     403    login login"),
    'console/linking/linkrequest/<path:object_id>/history/':  ('/console/linking/linkrequest/{link_request}/history/',  "login login  login  login login  login login ok     404     ok     login login"),
    'console/linking/linkrequest/<path:object_id>/delete/':   ('/console/linking/linkrequest/{link_request}/delete/',   "login login  login  login login  login login 403    404     403    login login"),
    'console/linking/linkrequest/<path:object_id>/change/':   ('/console/linking/linkrequest/{link_request}/change/',   "login login  login  login login  login login ok     404     ok     login login"),
    'console/linking/linkrequest/<path:object_id>/':          ('/console/linking/linkrequest/{link_request}/',          "login login  login  login login  login login change change  change login login"),
    'console/linking/cmecfaccount/import/':                   ('/console/linking/cmecfaccount/import/',                 "login login  login  login login  login login ok     ok      ok     login login"),
    'console/linking/cmecfaccount/':                          ('/console/linking/cmecfaccount/',                        "login login  login  login login  login login ok     ok      ok     login login"),
    'console/linking/cmecfaccount/add/':                      ('/console/linking/cmecfaccount/add/',                    "login login  login  login login  login login ok     ok      ok     login login"),
    'console/linking/cmecfaccount/<path:object_id>/history/': ('/console/linking/cmecfaccount/{cmecf}/history/',        "login login  login  login login  login login ok     404     ok     login login"),
    'console/linking/cmecfaccount/<path:object_id>/delete/':  ('/console/linking/cmecfaccount/{cmecf}/delete/',         "login login  login  login login  login login 403    404     403    login login"),
    'console/linking/cmecfaccount/<path:object_id>/change/':  ('/console/linking/cmecfaccount/{cmecf}/change/',         "login login  login  login login  login login ok     404     ok     login login"),
    'console/linking/cmecfaccount/<path:object_id>/':         ('/console/linking/cmecfaccount/{cmecf}/',                "login login  login  login login  login login change change  change login login"),

    # console (settings.ADMIN_URL): filing
    #                                                                                                                           anon  search legacy atty  shared agent prose clerkA clerkB psc    paa   member
    'console/filing/efileregistration/statistics/':               ('/console/filing/efileregistration/statistics/',              "login login  login  login login  login login ok     ok     ok     login login"),
    'console/filing/efileregistration/statistics.csv':            ('/console/filing/efileregistration/statistics.csv',           "login login  login  login login  login login ok     ok     ok     login login"),
    'console/filing/efileregistration/':                          ('/console/filing/efileregistration/',                         "login login  login  login login  login login ok     ok     ok     login login"),
    'console/filing/efileregistration/add/':                      ('/console/filing/efileregistration/add/',                     "login login  login  login login  login login 403    403    403    login login"),
    'console/filing/efileregistration/<path:object_id>/history/': ('/console/filing/efileregistration/{registration}/history/',  "login login  login  login login  login login ok     404    ok     login login"),
    'console/filing/efileregistration/<path:object_id>/delete/':  ('/console/filing/efileregistration/{registration}/delete/',   "login login  login  login login  login login 403    404    403    login login"),
    'console/filing/efileregistration/<path:object_id>/change/':  ('/console/filing/efileregistration/{registration}/change/',   "login login  login  login login  login login ok     404    ok     login login"),
    'console/filing/efileregistration/<path:object_id>/':         ('/console/filing/efileregistration/{registration}/',          "login login  login  login login  login login change change change login login"),
    'console/filing/filingright/':                                ('/console/filing/filingright/',                               "login login  login  login login  login login ok     ok     ok     login login"),
    'console/filing/filingright/add/':                            ('/console/filing/filingright/add/',                           "login login  login  login login  login login 403    403    403    login login"),
    'console/filing/filingright/<path:object_id>/history/':       ('/console/filing/filingright/{right}/history/',               "login login  login  login login  login login ok     404    ok     login login"),
    'console/filing/filingright/<path:object_id>/delete/':        ('/console/filing/filingright/{right}/delete/',                "login login  login  login login  login login 403    404    403    login login"),
    'console/filing/filingright/<path:object_id>/change/':        ('/console/filing/filingright/{right}/change/',                "login login  login  login login  login login ok     404    ok     login login"),
    'console/filing/filingright/<path:object_id>/':               ('/console/filing/filingright/{right}/',                       "login login  login  login login  login login change change change login login"),

    # console (settings.ADMIN_URL): core
    #                                                                                                             anon  search legacy atty  shared agent prose clerkA clerkB psc    paa   member
    'console/core/clockchange/clock/':                      ('/console/core/clockchange/clock/',                   "login login  login  login login  login login 403    403    ok     login login"),
    'console/core/clockchange/scenarios/':                  ('/console/core/clockchange/scenarios/',               "login login  login  login login  login login 403    403    ok     login login"),
    'console/core/clockchange/':                            ('/console/core/clockchange/',                         "login login  login  login login  login login 403    403    ok     login login"),
    'console/core/clockchange/add/':                        ('/console/core/clockchange/add/',                     "login login  login  login login  login login 403    403    ok     login login"),
    'console/core/clockchange/<path:object_id>/history/':   ('/console/core/clockchange/{clock_change}/history/',  "login login  login  login login  login login 403    403    ok     login login"),
    'console/core/clockchange/<path:object_id>/delete/':    ('/console/core/clockchange/{clock_change}/delete/',   "login login  login  login login  login login 403    403    403    login login"),
    'console/core/clockchange/<path:object_id>/change/':    ('/console/core/clockchange/{clock_change}/change/',   "login login  login  login login  login login 403    403    ok     login login"),
    'console/core/clockchange/<path:object_id>/':           ('/console/core/clockchange/{clock_change}/',          "login login  login  login login  login login change change change login login"),

    # console (settings.ADMIN_URL)
    #                                                                                                                                 anon    search  legacy  atty    shared  agent   prose   clerkA  clerkB  psc     paa     member
    'console/^(?P<app_label>auth|account|mfa|usersessions|core|accounts|courts|linking|filing)/$': ('/console/linking/',               "login   login   login   login   login   login   login   ok      ok      ok      login   login"),
    'console/(?P<url>.*)$':                                                                        ('/console/no-such-page/',          "login   login   login   login   login   login   login   404     404     404     login   login"),
}  # fmt: skip

# The persona's own objects, where owning is the point: the page opens (so the 404s above are
# about whose object it is), and a POST by the owner is accepted (sent: it is theirs to change).
OWN = {
    **{("mailbox/<int:pk>/", column): ("/mailbox/{own_mail}/", "ok") for column in COLUMNS[1:]},
    ("account/link/requests/<int:pk>/", "atty"): (
        "/account/link/requests/{own_link_request}/",
        "ok",
    ),
    ("account/link/requests/<int:pk>/cancel/", "atty"): (
        "/account/link/requests/{own_link_request}/cancel/",
        "405/to:/account/link/requests/N/",
    ),
    ("account/efile/<int:pk>/", "atty"): ("/account/efile/{own_registration}/", "ok"),
    ("account/efile/<int:pk>/cancel/", "atty"): (
        "/account/efile/{own_registration}/cancel/",
        "405/to:/account/efile/N/",
    ),
    ("account/agents/<int:pk>/", "atty"): ("/account/agents/{own_designation}/", "ok"),
    ("account/agents/<int:pk>/log/", "atty"): ("/account/agents/{own_designation}/log/", "ok"),
    ("account/agents/<int:pk>/remove/", "atty"): (
        "/account/agents/{own_designation}/remove/",
        "405/to:/account/agents/",
    ),
    ("account/paa/members/<int:pk>/withdraw/", "paa"): (
        "/account/paa/members/{own_membership}/withdraw/",
        "405/paa",
    ),
    ("account/paa-membership/<int:pk>/leave/", "member"): (
        "/account/paa-membership/{own_membership}/leave/",
        "ok/to:/account/paa-membership/",
    ),
    ("account/paa-membership/<int:pk>/accept/", "member"): (
        "/account/paa-membership/{own_invitation}/accept/",
        "405/to:/account/paa-membership/",
    ),
}


def _walk(patterns, prefix: str = ""):
    """The route of every URL pattern (named or not), resolving includes recursively."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def resolver_routes() -> list[str]:
    return list(_walk(get_resolver().url_patterns))


def test_every_url_pattern_has_a_row_and_every_row_a_cell_per_persona():
    """A new page fails here, by name, until its row says what each persona gets."""
    routes = resolver_routes()
    missing = [route for route in routes if route not in MATRIX]
    assert not missing, f"URL patterns missing from MATRIX (add a row each): {missing}"
    gone = [route for route in MATRIX if route not in routes]
    assert not gone, f"MATRIX rows for URL patterns that no longer exist: {gone}"
    bad = {
        route: cells
        for route, (_url, cells) in MATRIX.items()
        if len(cells.split()) != len(COLUMNS)
    }
    assert not bad, f"rows without exactly one cell per persona: {bad}"
    for (route, persona), (_url, _cell) in OWN.items():
        assert route in MATRIX, route
        assert persona in COLUMNS, persona


# Patterns that an earlier one answers for (the row's URL reaches the one named here): their
# rows expect what that one answers.
SHADOWED = {
    # allauth's reset-link page, answered by the project's rate-limited wrapper of the same view.
    r"accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": r"^accounts/password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
}


def test_each_row_opens_its_own_pattern_and_i18n_prefixes_reach_the_same_view():
    """Each row's URL resolves to the row's pattern (no typo tests another page), and the
    /es/ and /ht/ forms of a translated page resolve to the same view."""
    values = dict.fromkeys(_placeholders(), "1")
    values.update(court_a="azb", court_b="nvb", owner_b36="1")
    for route, (template, _cells) in MATRIX.items():
        url = template.format(**values)
        match = resolve(url)
        # (Django's route of a match drops the "^" of regex patterns.)
        assert match.route.replace("^", "") == SHADOWED.get(route, route).replace("^", ""), url
        if not url.startswith(("/console/", "/i18n/")):
            for language in ("es", "ht"):
                with translation.override(language):
                    assert resolve(f"/{language}{url}").func == match.func, (language, url)


def _placeholders() -> set[str]:
    found = set()
    for template, _cells in [*MATRIX.values(), *OWN.values()]:
        found.update(re.findall(r"\{(\w+)\}", template))
    return found


# The world: objects of someone else, built once per persona test --------------------------


def _world(frozen_clock) -> dict:
    """Courts A and B; an owner attorney with a link request, an e-file registration, a filing
    right, an agent designation, a PAA membership and mail, all in court A; a case with a
    document; and one row of every model the console lists."""
    from allauth.mfa.models import Authenticator
    from allauth.usersessions.models import UserSession
    from django.contrib.auth.models import Group

    from accounts.models import AccountEvent, PaaMembership
    from courts.models import CourtStaff, Subscription
    from courts.services.staff import add_court_staff
    from cso_portal.core.models import ClockChange, Heartbeat, MailMessage, OutboundEmail
    from tests.conftest import PINNED_NOW
    from tests.courts.factories import CourtFactory
    from tests.factories import PaaFactory, PaaMembershipFactory, UserFactory
    from tests.filing.factories import (
        CaseFactory,
        DocketEntryFactory,
        EfileRegistrationFactory,
        FilingAgentFactory,
        FilingRightFactory,
        document_for,
    )
    from tests.linking.factories import LinkRequestFactory

    court_a = CourtFactory(id="azb", nextgen=True, bankruptcy=True)
    court_b = CourtFactory(id="nvb", nextgen=True, bankruptcy=True)
    owner = UserFactory(attorney=True, with_totp=True, username="owner1")
    link_request = LinkRequestFactory(pacer_account=owner, court=court_a, pending_review=True)
    registration = EfileRegistrationFactory(pacer_account=owner, court=court_a)
    right = FilingRightFactory(holder=owner, court=court_a)
    designation = FilingAgentFactory(
        principal=owner, court=court_a, agent=UserFactory(filing_agent=True, username="agent1")
    )
    case = CaseFactory(court=court_a, last_entry_number=1)
    document_for(DocketEntryFactory(case=case, number=1))
    firm = PaaFactory(username="firm1", firm="Matrix Firm of Others LLP")
    membership = PaaMembershipFactory(paa=firm, member=owner)
    invitation = PaaMembershipFactory(
        paa=firm, member=UserFactory(attorney=True, username="invitee1"), requested=True
    )
    mail = MailMessage.objects.create(
        from_email="no-reply@cso-portal.test", subject="Your link request (matrix)", body="Secret.",
        sent_at=PINNED_NOW,
    )  # fmt: skip
    mail.recipients.create(address=owner.email)
    clerk_of_a = UserFactory(username="staffa")
    court_staff = add_court_staff(
        court=court_a, user=clerk_of_a, role=CourtStaff.Role.CLERK, now=PINNED_NOW
    )
    subscription = Subscription.objects.create(
        court=court_a, email="watcher@example.test", created_at=PINNED_NOW
    )
    event = AccountEvent.objects.create(
        user=owner, kind=AccountEvent.Kind.SIGNED_IN, created_at=PINNED_NOW
    )
    heartbeat = Heartbeat.objects.create(requested_at=PINNED_NOW, enqueued_at=PINNED_NOW)
    outbound = OutboundEmail.objects.create(
        dedupe_key="matrix-1", template="linking/approved", to=owner.email,
        created_at=PINNED_NOW, enqueued_at=PINNED_NOW,
    )  # fmt: skip
    clock_change = ClockChange.objects.create(changed_at=PINNED_NOW, reason="Matrix")
    user_session = UserSession.objects.create(
        user=owner, ip="192.0.2.1", session_key="matrix-session-1", user_agent="test"
    )
    assert membership.status == PaaMembership.Status.ACTIVE
    # What each of these objects shows, and who may see it: clerk A and PACER Service Center
    # staff see court A's requests, logins and staff; only PSC staff see firms and all mail.
    court_a_staff = ("clerkA", "psc")
    markers = {
        owner.email: court_a_staff,
        link_request.cmecf_account.login: court_a_staff,
        subscription.email: court_a_staff,
        clerk_of_a.email: court_a_staff,
        mail.subject: ("psc",),
        firm.paa_profile.firm_name: ("psc",),
        invitation.member.email: ("psc",),
    }
    return {
        "markers": markers,
        "court_a": court_a.pk,
        "court_b": court_b.pk,
        "owner": owner.pk,
        "owner_b36": int_to_base36(owner.pk),
        "link_request": link_request.pk,
        "cmecf": link_request.cmecf_account_id,
        "registration": registration.pk,
        "right": right.pk,
        "designation": designation.pk,
        "case": case.pk,
        "membership": membership.pk,
        "invitation": invitation.pk,
        "paa_profile": firm.paa_profile.pk,
        "mail": mail.pk,
        "court_staff": court_staff.pk,
        "subscription": subscription.pk,
        "event": event.pk,
        "heartbeat": heartbeat.pk,
        "outbound": outbound.pk,
        "clock_change": clock_change.pk,
        "user_session": user_session.pk,
        "group": Group.objects.get(name="Court staff").pk,
        "email_address": owner.emailaddress_set.get().pk,
        "authenticator": Authenticator.objects.get(user=owner).pk,
        "user_ct": ContentType.objects.get_for_model(owner).pk,
    }


def _persona(column: str, world: dict):
    """The signed-in account of ``column`` (None: anonymous), and its own objects' ids."""
    from courts.models import Court, CourtStaff
    from courts.services.staff import add_court_staff
    from cso_portal.core.models import MailMessage
    from tests.conftest import PINNED_NOW
    from tests.factories import PaaFactory, PaaMembershipFactory, UserFactory
    from tests.filing.factories import EfileRegistrationFactory, FilingAgentFactory
    from tests.linking.factories import LinkRequestFactory

    own: dict = {}
    name = f"me{column.lower()}"
    if column == "anon":
        return None, own
    if column == "paa":
        user = PaaFactory(username=name, with_totp=True)
        own["own_membership"] = PaaMembershipFactory(paa=user, requested=True).pk
    elif column in ("clerkA", "clerkB"):
        user = UserFactory(username=name, with_totp=True)
        court = Court.objects.get(pk=world["court_a" if column == "clerkA" else "court_b"])
        add_court_staff(court=court, user=user, role=CourtStaff.Role.CLERK, now=PINNED_NOW)
    else:
        traits = {
            "search": {"inactive": True},
            "legacy": {"attorney": True, "legacy": True},
            "atty": {"attorney": True},
            "shared": {"shared": True},
            "agent": {"filing_agent": True},
            "prose": {"pro_se": True},
            "psc": {"psc_staff": True, "with_totp": True},
            "member": {"attorney": True, "with_totp": True},
        }[column]
        user = UserFactory(username=name, **traits)
    if column == "member":
        own["own_membership"] = PaaMembershipFactory(member=user).pk
        own["own_invitation"] = PaaMembershipFactory(member=user, requested=True).pk
    if column == "atty":
        court_a = Court.objects.get(pk=world["court_a"])
        own["own_link_request"] = LinkRequestFactory(pacer_account=user, court=court_a).pk
        own["own_registration"] = EfileRegistrationFactory(pacer_account=user, court=court_a).pk
        own["own_designation"] = FilingAgentFactory(principal=user, court=court_a).pk
    mail = MailMessage.objects.create(
        from_email="no-reply@cso-portal.test", subject="Yours", body="Hello.", sent_at=PINNED_NOW
    )
    mail.recipients.create(address=user.email)
    own["own_mail"] = mail.pk
    return user, own


# Outcomes and the unchanged-rows check ------------------------------------------------------


# Where a redirect goes, by name (anything else reads ``to:/path/``).
REDIRECTS = {
    "/accounts/login/|/console/login/": "login",
    "/accounts/reauthenticate/|/accounts/2fa/reauthenticate/": "reauth",
    "/account/upgrade/": "upgrade",
    "/account/": "manage",
    "/account/two-factor/": "2fa",  # filers are asked to set up two-factor first
    "/account/register/": "register",
    "/account/paa/.*": "paa",  # the PAA's own page of the same kind
    "/accounts/password/change/": "pwchange",  # an account with a password changes it
    "/console/": "console",  # the console's home ("doesn't exist" redirect of other courts' rows)
    r"/console/\w+/\w+/[^/]+/change/": "change",  # the console's old object URL
    "/ecf/[a-z0-9]+/": "ecf",  # the court's ECF home
}


def _outcome(response) -> str:
    if response.status_code == 200:
        return "ok"
    if response.status_code not in (301, 302, 303):
        return str(response.status_code)
    path = urlsplit(response["Location"]).path
    if path == response.request["PATH_INFO"]:
        return "self"
    for pattern, alias in REDIRECTS.items():
        if re.fullmatch(pattern, path):
            return alias
    return "to:" + re.sub(r"/\d+(?=/)", "/N", path)


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _expected(cell: str) -> tuple[str, str | None]:
    """(GET outcome, POST outcome) of a cell; the POST outcome is None when no POST is sent:
    a single outcome that is no refusal, or an ``A/ok`` (a POST the page would accept)."""
    if "/" in cell and not cell.startswith("to:"):
        get, post = cell.split("/", 1)
        return get, (None if post == "ok" else post)
    return cell, cell if cell in POST_REFUSALS else None


# Tables whose rows change on any request (sessions, the sign-in bookkeeping) are not watched.
UNWATCHED = {"django_session", "usersessions_usersession"}


def _watched_tables() -> list[str]:
    from django.apps import apps

    tables = {model._meta.db_table for model in apps.get_models(include_auto_created=True)}
    return sorted(tables - UNWATCHED)


def _fingerprint(tables: list[str]) -> dict[str, int]:
    """How many rows this transaction (the test's) has inserted, updated or deleted in each
    watched table so far: PostgreSQL counts them as they happen, an update that rewrites a row
    with the same values included."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables"
        )
        writes = dict(cursor.fetchall())
    return {table: writes.get(table, 0) for table in tables}


def _changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return [table for table, digest in after.items() if before[table] != digest]


# What a forged POST carries: a decision, a privilege, a role, and the console's bulk approve
# on the owner's link request (as if the persona had ticked it) with its confirmation.
FORGED = {
    "status": "approved",
    "is_staff": "on",
    "role": "clerk",
    "action": "approve_requests",
    "post": "yes",
}


@pytest.mark.django_db
@pytest.mark.parametrize("column", COLUMNS)
def test_each_persona_gets_exactly_what_the_matrix_says(client, frozen_clock, column):
    """GET every row (and POST every refused one) as ``column``: the outcomes are the
    matrix's, and no refused request changes a row of any watched table."""
    world = _world(frozen_clock)
    user, own_ids = _persona(column, world)
    if user is not None:
        client.force_login(user)
    index = COLUMNS.index(column)
    cells = [
        (route, template, row.split()[index], False) for route, (template, row) in MATRIX.items()
    ]
    cells += [
        (route, template, cell, True)
        for (route, persona), (template, cell) in OWN.items()
        if persona == column
    ]
    values = {**world, **own_ids}
    tables = _watched_tables()
    wrong = []
    before = _fingerprint(tables)
    for route, template, cell, own in cells:
        url = template.format(**values)
        label = f"{route}{' (own)' if own else ''} ({url})"
        expected_get, expected_post = _expected(cell)
        response = client.get(url)
        seen = _outcome(response)
        body = _body(response)
        for marker, allowed in world["markers"].items():
            if column not in allowed and marker in body:
                wrong.append(f"GET {label}: shows someone else's {marker!r}")
        if seen != expected_get:
            wrong.append(f"GET {label}: expected {expected_get}, got {seen}")
        # Someone else's object: a refusal, and a POST is refused too. One's own: the POST
        # is the owner's action, and it takes effect.
        if route in NO_POST:
            pass
        elif expected_post is not None:
            seen = _outcome(client.post(url, {**FORGED, "_selected_action": world["link_request"]}))
            if seen != expected_post:
                wrong.append(f"POST {label}: expected {expected_post}, got {seen}")
        after = _fingerprint(tables)
        if own and expected_post and not _changed(before, after):
            wrong.append(f"POST {label}: the owner's action changed nothing")
        if (
            not own
            and (expected_get in POST_REFUSALS or expected_post is not None)
            and _changed(before, after)
        ):
            wrong.append(f"{label}: refused, yet rows changed in {_changed(before, after)}")
        before = after
    assert not wrong, "\n".join([f"{PERSONAS[column]}:", *wrong])


@pytest.mark.django_db
def test_the_unchanged_rows_check_sees_a_changed_row(frozen_clock):
    """The check that refused requests change nothing would notice a changed status."""
    from linking.models import LinkRequest

    world = _world(frozen_clock)
    tables = _watched_tables()
    before = _fingerprint(tables)
    assert _changed(before, _fingerprint(tables)) == []
    LinkRequest.objects.filter(pk=world["link_request"]).update(status=LinkRequest.Status.APPROVED)
    assert _changed(before, _fingerprint(tables)) == [LinkRequest._meta.db_table]


# Pages a persona may use, posted with someone else's object in the BODY (the URL is theirs):
# the page answers (a form error, or the console's "nothing selected" list) and nothing changes.
FORGED_BODIES = {
    # Another firm's member, in "Remove PACER Account(s) from My PAA".
    ("/account/paa/members/remove/", "paa"): lambda w: {
        "memberships": [w["membership"]],
        "remark": "Gone.",
    },
    # Court A's request, ticked in court B's queue and approved (and rejected).
    ("/console/linking/linkrequest/", "clerkB"): lambda w: {
        "action": "approve_requests",
        "_selected_action": [w["link_request"]],
        "post": "yes",
    },
    ("/console/linking/linkrequest/", "clerkB "): lambda w: {
        "action": "reject_requests",
        "_selected_action": [w["link_request"]],
        "reason": "No.",
        "post": "yes",
    },
    # Court A's e-file registration, ticked in court B's list and approved.
    ("/console/filing/efileregistration/", "clerkB"): lambda w: {
        "action": "approve_registrations",
        "_selected_action": [w["registration"]],
        "post": "yes",
    },
    # A CM/ECF login issued in court A by court B's clerk.
    ("/console/linking/cmecfaccount/add/", "clerkB"): lambda w: {
        "court": w["court_a"],
        "login": "forged1",
        "initial_password": "Forged password 2026!",
        "holder_name": "Forged",
        "email_of_record": "forged@example.test",
        "role": "attorney",
    },
}


@pytest.mark.django_db
@pytest.mark.parametrize("key", list(FORGED_BODIES), ids=lambda key: f"{key[1].strip()} {key[0]}")
def test_someone_elses_object_in_a_post_body_changes_nothing(client, frozen_clock, key):
    url, column = key
    world = _world(frozen_clock)
    user, _own = _persona(column.strip(), world)
    client.force_login(user)
    tables = _watched_tables()
    before = _fingerprint(tables)
    response = client.post(url, FORGED_BODIES[key](world))
    assert response.status_code in (200, 302, 403, 404), response.status_code
    assert _changed(before, _fingerprint(tables)) == []
