"""Receivers of allauth's signals (connected in ``AccountsConfig.ready``).

allauth runs the password, email and session flows; these receivers add what the portal needs
around them, each by one service call:

- ``password_reset``: a successful reset unlocks a locked account and drops address changes
  still waiting for confirmation;
- ``email_changed``: record the change once and tell the new address too (allauth tells the
  old one);
- ``email_added``: record it and tell the primary address;
- ``authentication_step_completed``: a re-authentication gets a new session id;
- ``user_logged_in``: start the idle-timeout clock of the new session.
"""

from __future__ import annotations

from cso_portal import clock


def on_password_reset(sender, request, user, **kwargs) -> None:
    from accounts.services import security

    security.unlock_after_password_reset(user=user, request=request, now=clock.now())
    security.drop_pending_email_changes(user=user)


def on_email_changed(sender, request, user, from_email_address, to_email_address, **kwargs):
    from accounts.services import security

    security.record_email_change(
        user=user,
        from_email=from_email_address.email if from_email_address else None,
        to_email=to_email_address.email,
        request=request,
        now=clock.now(),
    )


def on_email_added(sender, request, user, email_address, **kwargs) -> None:
    from accounts.services import security

    security.record_email_added(
        user=user, email=email_address.email, request=request, now=clock.now()
    )


def on_authentication_step_completed(sender, request, user, method, **kwargs) -> None:
    """A re-authentication (password or second factor) gets a new session id, as a sign-in
    does: an id observed before it is worth nothing after it."""
    if kwargs.get("reauthenticated") and request is not None and hasattr(request, "session"):
        request.session.cycle_key()


def on_user_logged_in(sender, request, user, **kwargs) -> None:
    from accounts.middleware import start_idle_clock

    if request is not None and hasattr(request, "session"):
        start_idle_clock(request)


def on_user_logged_out(sender, request, user, **kwargs) -> None:
    """A sign-out goes into the account's history."""
    if user is None:
        return
    from accounts.services import events

    events.record_event(
        user=user, kind=events.AccountEvent.Kind.SIGNED_OUT, now=clock.now(), request=request
    )


def on_user_login_failed(sender, credentials, request=None, **kwargs) -> None:
    """A wrong password for an existing account goes into that account's history (the
    holder sees attempts on their account). Nothing is recorded for unknown names, and
    never the password: Django hands the credentials with the password already masked."""
    from accounts.models import User
    from accounts.services import events

    login = (credentials.get("username") or credentials.get("email") or "").strip()
    if not login:
        return
    user = (
        User.objects.filter(username__iexact=login).first()
        or User.objects.filter(emailaddress__email__iexact=login, emailaddress__verified=True)
        .distinct()
        .first()
    )
    if user is not None:
        events.record_event(
            user=user,
            kind=events.AccountEvent.Kind.SIGN_IN_FAILED,
            now=clock.now(),
            request=request,
        )
