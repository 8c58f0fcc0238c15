"""The prompt to set up two-factor authentication after sign-in (filers, phased).

The adapter sends filers who must enrol here after sign-in, and counts that sign-in
(``accounts.services.mfa.count_sign_in_without_mfa``). Three sign-ins may pass without it
(``rules.MFA_PROMPT_SKIPS_ALLOWED``); from the fourth the page offers no skip and says that
linking and filing wait until they enrol. "Skip" only moves on: the sign-in already counted.
Everyone else is sent straight on.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from accounts import rules
from cso_portal import clock

# Set once a skip was used in this session: a second POST (double click, back button)
# goes on without using another one.
SKIPPED_SESSION_KEY = "accounts.mfa_prompt_skipped"


@login_required
@require_http_methods(["GET", "POST"])
def mfa_prompt(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = clock.today()
    if not rules.mfa_prompt_due(user, today):
        return redirect(settings.LOGIN_REDIRECT_URL)
    if request.method == "POST":
        return _skip(request)
    # Including the current sign-in, which has already been counted.
    skips_left = max(rules.MFA_PROMPT_SKIPS_ALLOWED - user.mfa_prompt_skips + 1, 0)
    return render(
        request,
        "accounts/mfa/prompt.html",
        {
            "enforcement_date": settings.CSO_MFA_FILER_ENFORCEMENT_DATE,
            "can_skip": rules.mfa_skip_allowed(user),
            "skips_left": skips_left,
            "skips_allowed": rules.MFA_PROMPT_SKIPS_ALLOWED,
            "refusal": rules.refusal_to_link_or_file(user, today),
        },
    )


def _skip(request: HttpRequest) -> HttpResponse:
    if request.session.get(SKIPPED_SESSION_KEY):
        return redirect(settings.LOGIN_REDIRECT_URL)
    user = request.user
    if not rules.mfa_skip_allowed(user):
        messages.error(
            request,
            _("You have used every skip. Set up two-factor authentication to link or e-file."),
        )
        return redirect("accounts:mfa_prompt")
    request.session[SKIPPED_SESSION_KEY] = True
    left = max(rules.MFA_PROMPT_SKIPS_ALLOWED - user.mfa_prompt_skips, 0)
    messages.warning(
        request,
        ngettext(
            "Two-factor authentication skipped. You can skip it %(left)d more time.",
            "Two-factor authentication skipped. You can skip it %(left)d more times.",
            left,
        )
        % {"left": left}
        if left
        else _(
            "Two-factor authentication skipped for the last time. From your next sign-in, "
            "linking and filing wait until you set it up."
        ),
    )
    return redirect(settings.LOGIN_REDIRECT_URL)
