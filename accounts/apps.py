from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("PACER accounts")

    def ready(self) -> None:
        """Connect the receivers of allauth's signals (see ``accounts.signals``)."""
        from allauth.account import signals as allauth_signals
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from accounts import signals

        allauth_signals.password_reset.connect(
            signals.on_password_reset, dispatch_uid="accounts.unlock_on_password_reset"
        )
        allauth_signals.email_changed.connect(
            signals.on_email_changed, dispatch_uid="accounts.notice_on_email_changed"
        )
        allauth_signals.email_added.connect(
            signals.on_email_added, dispatch_uid="accounts.notice_on_email_added"
        )
        allauth_signals.authentication_step_completed.connect(
            signals.on_authentication_step_completed,
            dispatch_uid="accounts.new_session_id_on_reauthentication",
        )
        user_logged_in.connect(signals.on_user_logged_in, dispatch_uid="accounts.start_idle_clock")
        user_logged_out.connect(signals.on_user_logged_out, dispatch_uid="accounts.history_logout")
        user_login_failed.connect(
            signals.on_user_login_failed, dispatch_uid="accounts.history_login_failed"
        )
