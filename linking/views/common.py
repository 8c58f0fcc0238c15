"""What the link pages and the ECF site share: the refusal messages a view shows for an
exception of the credential service."""

from __future__ import annotations

from django.shortcuts import render
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courts.models import Court
from cso_portal import clock
from linking.errors import CmecfLoginLocked, TooManyAttempts

# One message for an unknown login, a wrong password and an unusable login alike.
BAD_CREDENTIALS = gettext_lazy(
    "The CM/ECF login or password is not correct. Check them and try again; after several "
    "wrong passwords the login is locked for a while."
)


def help_desk_phones(court: Court) -> str:
    """The court's help desk numbers from the catalog, "(602) 682-4000, …", or ""."""
    phones = [
        str(item.get("phone")).strip()
        for item in court.help_desk or []
        if isinstance(item, dict) and item.get("phone")
    ]
    return ", ".join(phones)


def locked_message(court: Court, error: CmecfLoginLocked) -> str:
    """ "This CM/ECF login is locked until HH:MM; contact the court's help desk (phone)"."""
    until = date_filter(timezone.localtime(error.until), "H:i")
    phones = help_desk_phones(court)
    if phones:
        return _(
            "This CM/ECF login is locked until %(until)s; contact the court's help desk "
            "(%(phones)s)."
        ) % {"until": until, "phones": phones}
    return _("This CM/ECF login is locked until %(until)s; contact the court's help desk.") % {
        "until": until
    }


def too_many_attempts(request, error: TooManyAttempts):
    """The 429 page for the credential service's per-account and per-IP limits."""
    response = render(
        request,
        "linking/too_many_attempts.html",
        {"retry_minutes": max(1, error.retry_after_seconds // 60)},
        status=429,
    )
    response["Retry-After"] = str(error.retry_after_seconds)
    return response


def recently_authenticated(request) -> bool:
    """The holder typed their password (signing in or confirming it's them) within
    ``ACCOUNT_REAUTHENTICATION_TIMEOUT``. allauth's own check counts re-authentications only,
    which made an attorney type the password a third time right after signing in — a third
    ~150 ms hash per attorney on a go-live morning, when hashing sets capacity (PROOF)."""
    from allauth.account import app_settings
    from allauth.account.authentication import get_authentication_records

    if not request.user.is_authenticated:
        return False
    records = get_authentication_records(request, request.user)
    if not records:
        return False
    # allauth stamps its records with the real Unix time, not the training clock.
    age = clock.real_now().timestamp() - records[-1]["at"]
    return age < app_settings.REAUTHENTICATION_TIMEOUT


def recently_authenticated_required(view):
    """allauth's ``reauthentication_required``, with a sign-in within the timeout counting as
    recent (``recently_authenticated``)."""
    from functools import wraps

    from allauth.account.decorators import reauthentication_required

    guarded = reauthentication_required(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if recently_authenticated(request):
            return view(request, *args, **kwargs)
        return guarded(request, *args, **kwargs)

    return wrapper


def reauthenticated_without_stashing(view):
    """allauth's ``reauthentication_required``, with two differences: a sign-in within the
    timeout counts as recent (``recently_authenticated``), and a POST needing it is dropped,
    not stashed: allauth keeps a stashed POST in the session to replay it after
    re-authentication, and here that POST holds a court-issued password. The holder confirms
    it's them and types the CM/ECF login again."""
    from functools import wraps

    from allauth.account.decorators import reauthentication_required
    from django.contrib import messages
    from django.shortcuts import redirect

    guarded = reauthentication_required(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if recently_authenticated(request):
            return view(request, *args, **kwargs)
        if request.method == "POST":
            messages.info(request, _("Confirm it's you, then enter the CM/ECF login again."))
            return redirect(request.path)
        return guarded(request, *args, **kwargs)

    return wrapper
