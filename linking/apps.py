from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkingConfig(AppConfig):
    name = "linking"
    verbose_name = _("CM/ECF linking")

    def ready(self) -> None:
        """A password reset withdraws the account's open link requests (PROOF scenario 16)."""
        from allauth.account import signals as allauth_signals

        allauth_signals.password_reset.connect(
            _cancel_open_requests_on_password_reset,
            dispatch_uid="linking.cancel_on_password_reset",
        )


def _cancel_open_requests_on_password_reset(sender, request, user, **kwargs) -> None:
    from cso_portal import clock
    from linking import services

    services.cancel_open_requests_after_password_reset(user=user, now=clock.now())
