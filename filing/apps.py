from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilingConfig(AppConfig):
    name = "filing"
    verbose_name = _("E-filing")

    def ready(self) -> None:
        """Record the filing rights an approved link carries (``linking.signals``)."""
        from filing.services.rights import on_link_approved
        from linking.signals import link_approved

        link_approved.connect(on_link_approved, dispatch_uid="filing.rights_from_link")
