"""The upgrade wizard: a legacy account becomes an upgraded one (seeds 000-004).

Five steps, kept server-side in the session until the last one calls
:func:`accounts.services.profile.upgrade_account`:

1. person: confirm (or correct) name, phone and postal address;
2. username: a new one when the legacy username is shorter than today's minimum (else
   skipped);
3. password: a new one that meets today's rules (only its hash is kept between steps);
4. email: re-verify the account's address with a six-digit code sent to it (only a keyed
   digest of the code is kept);
5. terms: accept them; the account is upgraded.

A completed step can be revisited (``?step=``); changing it reopens the steps after it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts import tokens
from accounts.forms.manage import ProfileForm
from accounts.forms.upgrade import EmailCodeForm, NewPasswordForm, TermsForm, UsernameForm
from accounts.models import User
from accounts.services import profile
from cso_portal import clock
from cso_portal.core import ratelimit

STATE_KEY = "cso_upgrade"
STEPS = {
    "person": (gettext_lazy("Your details"), gettext_lazy("Confirm your name and address")),
    "username": (gettext_lazy("Username"), gettext_lazy("Choose a new username")),
    "password": (gettext_lazy("Password"), gettext_lazy("Set a new password")),
    "email": (gettext_lazy("Email"), gettext_lazy("Verify your email address")),
    "terms": (gettext_lazy("Terms"), gettext_lazy("Accept the terms")),
}
# A code works for this many tries, and this many codes may be sent per upgrade.
MAX_CODE_ATTEMPTS = 5
MAX_CODE_SENDS = 5


def _primary_email(user: User) -> str:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.get_primary_email(user) or user.email


class Wizard:
    """The wizard's state in the session: completed steps and what they collected."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.user: User = request.user
        data = request.session.get(STATE_KEY)
        if not isinstance(data, dict) or data.get("uid") != self.user.pk:
            data = {"uid": self.user.pk, "done": []}
        self.data = data

    def save(self) -> None:
        self.request.session[STATE_KEY] = self.data

    def clear(self) -> None:
        self.request.session.pop(STATE_KEY, None)

    @property
    def steps(self) -> list[str]:
        """The steps this account goes through (no username step for a long enough one)."""
        needs_username = len(self.user.username) < settings.ACCOUNT_USERNAME_MIN_LENGTH
        return [step for step in STEPS if step != "username" or needs_username]

    @property
    def done(self) -> list[str]:
        return [step for step in self.data["done"] if step in self.steps]

    def current(self) -> str:
        return next((step for step in self.steps if step not in self.done), self.steps[-1])

    def resolve(self, asked: str | None) -> str:
        """The step asked for if it is reachable (all before it done), else the current one."""
        if asked in self.steps:
            before = self.steps[: self.steps.index(asked)]
            if all(step in self.done for step in before):
                return asked
        return self.current()

    def complete(self, step: str, **values) -> HttpResponse:
        """Mark ``step`` done with what it collected, reopen the steps after it, and go on."""
        position = self.steps.index(step)
        self.data["done"] = [s for s in self.done if self.steps.index(s) < position] + [step]
        self.data.update(values)
        self.save()
        return redirect(reverse("accounts:upgrade"))

    def reopen(self, step: str) -> HttpResponse:
        position = self.steps.index(step)
        self.data["done"] = [s for s in self.done if self.steps.index(s) < position]
        self.save()
        return redirect(f"{reverse('accounts:upgrade')}?step={step}")

    @property
    def username(self) -> str:
        if "username" in self.steps:
            return self.data.get("username") or self.user.username
        return self.user.username

    @property
    def person(self) -> dict:
        return self.data.get("person") or {}

    def remember_next(self, url: str | None) -> None:
        if url and url_has_allowed_host_and_scheme(
            url, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            self.data["next"] = url
            self.save()

    def render(self, step: str, context: dict) -> HttpResponse:
        number = self.steps.index(step) + 1
        indicator = [
            {
                "label": STEPS[name][0],
                "status": "current"
                if name == step
                else ("complete" if name in self.done else "upcoming"),
            }
            for name in self.steps
        ]
        previous = self.steps[number - 2] if number > 1 else None
        return render(
            self.request,
            "accounts/upgrade/wizard.html",
            {
                "step": step,
                "step_heading": STEPS[step][1],
                "step_number": number,
                "step_count": len(self.steps),
                "indicator": indicator,
                "previous_step": previous,
                **context,
            },
        )


@login_required
@require_http_methods(["GET", "POST"])
def upgrade(request: HttpRequest) -> HttpResponse:
    """The upgrade wizard (one URL; the step comes from the session, or ``?step=`` for a
    step already reachable)."""
    if request.user.is_upgraded:
        request.session.pop(STATE_KEY, None)
        messages.info(request, _("Your PACER account is already upgraded."))
        return redirect("accounts:manage")
    wizard = Wizard(request)
    if request.method == "GET":
        wizard.remember_next(request.GET.get("next"))
        step = wizard.resolve(request.GET.get("step"))
    else:
        step = wizard.resolve(request.POST.get("step"))
    return STEP_VIEWS[step](request, wizard)


def _person(request: HttpRequest, wizard: Wizard) -> HttpResponse:
    form = ProfileForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        initial=wizard.person,
    )
    if request.method == "POST" and form.is_valid():
        return wizard.complete("person", person=form.cleaned_data)
    return wizard.render("person", {"form": form})


def _username(request: HttpRequest, wizard: Wizard) -> HttpResponse:
    form = UsernameForm(
        request.POST if request.method == "POST" else None,
        initial={"username": wizard.data.get("username", "")},
    )
    if request.method == "POST" and form.is_valid():
        return wizard.complete("username", username=form.cleaned_data["username"])
    return wizard.render("username", {"form": form, "old_username": request.user.username})


def _password(request: HttpRequest, wizard: Wizard) -> HttpResponse:
    form = NewPasswordForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        username=wizard.username,
        profile=wizard.person,
    )
    if request.method == "POST" and form.is_valid():
        # Only the hash is kept until the last step; the password itself goes nowhere.
        password_hash = make_password(form.cleaned_data["password1"])
        return wizard.complete("password", password_hash=password_hash)
    return wizard.render("password", {"form": form})


def _email(request: HttpRequest, wizard: Wizard) -> HttpResponse:
    email = _primary_email(request.user)
    code = wizard.data.get("code") if wizard.data.get("code", {}).get("email") == email else None
    # Any post that is not "send a code" is a try of the code (Enter in the field included).
    sending = request.POST.get("action") == "send"
    form = EmailCodeForm(request.POST if request.method == "POST" and not sending else None)
    if request.method == "POST" and sending:
        # Counted on the shared cache (atomic), not in the session: a new sign-in or parallel
        # requests must not lift the cap.
        allowed = ratelimit.hit(
            "upgrade-code-send", str(request.user.pk), limit=MAX_CODE_SENDS, window_seconds=3600
        )
        if not allowed:
            messages.error(
                request, _("We sent you the most codes we can for one upgrade. Start again later.")
            )
            return redirect(f"{reverse('accounts:upgrade')}?step=email")
        digest = profile.send_upgrade_email_code(user=request.user, email=email, request=request)
        expires = int(clock.real_now().timestamp()) + profile.EMAIL_CODE_VALID_MINUTES * 60
        wizard.data.update(code={"email": email, "digest": digest, "expires": expires})
        wizard.save()
        messages.success(request, _("We sent a code to %(email)s.") % {"email": email})
        return redirect(f"{reverse('accounts:upgrade')}?step=email")
    if request.method == "POST" and form.is_valid():
        error = _check_code(wizard, code, email, form.cleaned_data["code"])
        if error is None:
            wizard.data.pop("code", None)
            return wizard.complete("email", email_verified=email)
        form.add_error("code", error)
    return wizard.render("email", {"form": form, "email": email, "code_sent": code is not None})


def _check_code(wizard: Wizard, code: dict | None, email: str, typed: str) -> str | None:
    """None when ``typed`` is the code last sent to ``email``, else what to say."""
    if code is None:
        return _("Send yourself a code first.")
    if int(clock.real_now().timestamp()) > code["expires"]:
        return _("That code has expired. Send a new one.")
    # Tries are counted per code on the shared cache with an atomic increment: parallel
    # guesses cannot get past the limit (a session counter could be raced).
    within_limit = ratelimit.hit(
        "upgrade-code-try",
        f"{wizard.user.pk}:{code['digest']}",
        limit=MAX_CODE_ATTEMPTS,
        window_seconds=profile.EMAIL_CODE_VALID_MINUTES * 60,
    )
    if not within_limit:
        return _("Too many tries with this code. Send a new one.")
    if not tokens.email_code_matches(
        digest=code["digest"], user_id=wizard.user.pk, email=email, code=typed
    ):
        return _("That code is not right. Check the email and try again.")
    return None


def _terms(request: HttpRequest, wizard: Wizard) -> HttpResponse:
    form = TermsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if wizard.data.get("email_verified") != _primary_email(request.user):
            messages.error(request, _("Your email address changed. Verify it again."))
            return wizard.reopen("email")
        try:
            user = profile.upgrade_account(
                user=request.user,
                username=wizard.username,
                password_hash=wizard.data["password_hash"],
                profile_changes=wizard.person,
                request=request,
                now=clock.now(),
            )
        except profile.UsernameTaken:
            messages.error(request, _("That username was taken meanwhile. Choose another."))
            return wizard.reopen("username")
        except profile.AlreadyUpgraded:
            wizard.clear()
            return redirect("accounts:manage")
        next_url = wizard.data.get("next")
        wizard.clear()
        # The password changed: keep this session signed in (the others end).
        update_session_auth_hash(request, user)
        messages.success(
            request,
            _("Your PACER account is upgraded. We sent a confirmation to your email address."),
        )
        return redirect(next_url or "accounts:manage")
    return wizard.render("terms", {"form": form, "username": wizard.username})


STEP_VIEWS = {
    "person": _person,
    "username": _username,
    "password": _password,
    "email": _email,
    "terms": _terms,
}
