"""Forms of the filing-agent pages (seed 003) and of Change User on a court's ECF site."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

# A transaction log covers at most this many days at once (a bounded page).
MAX_LOG_DAYS = 366
MAX_USERNAME_LENGTH = 150
MYSELF = "self"


class DesignateAgentForm(forms.Form):
    """An attorney or trustee designates a filing agent by PACER username in one of the
    courts where they hold an attorney or trustee right (``courts``: those courts)."""

    court = forms.ChoiceField(
        label=_("Court"),
        help_text=_("The courts where you file as an attorney or trustee."),
    )
    agent_username = forms.CharField(
        label=_("The agent's PACER username"),
        max_length=MAX_USERNAME_LENGTH,
        help_text=_(
            "The agent's own upgraded PACER account, registered in that court as a filing "
            "agent (Non-Attorney E-File Registration)."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    may_pay_fees = forms.BooleanField(
        label=_("May pay fees online"),
        required=False,
        help_text=_("The agent may pay filing fees by card when filing for you."),
    )

    def __init__(self, *args, courts=(), username: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.courts = {court.pk: court for court in courts}
        self.fields["court"].choices = [
            (court.pk, f"{court.name} ({court.pk})") for court in self.courts.values()
        ]
        self._own_username = username

    def clean_agent_username(self) -> str:
        username = self.cleaned_data["agent_username"].strip()
        if self._own_username and username.lower() == self._own_username.lower():
            raise forms.ValidationError(
                _(
                    "That is your own PACER username. A filing agent files for you with their "
                    "own PACER account."
                )
            )
        return username

    def chosen_court(self):
        return self.courts[self.cleaned_data["court"]]


class AgentPermissionsForm(forms.Form):
    """What an active designation allows."""

    may_pay_fees = forms.BooleanField(
        label=_("May pay fees online"),
        required=False,
        help_text=_("The agent may pay filing fees by card when filing for you."),
    )


class DateRangeForm(forms.Form):
    """The date range of an agent's transaction log (inclusive)."""

    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if start > end:
                raise forms.ValidationError(_("The start date is after the end date."))
            if (end - start) > dt.timedelta(days=MAX_LOG_DAYS):
                raise forms.ValidationError(
                    _("Choose a range of at most %(days)s days.") % {"days": MAX_LOG_DAYS}
                )
        return cleaned


class ChangeUserForm(forms.Form):
    """Change User: whom a filing agent files as in this court (``principals``: the
    attorneys with an active designation of this agent in the court)."""

    NOT_DESIGNATED = _(
        "Choose yourself or an attorney who has designated you as their filing agent in this "
        "court. A removed designation no longer appears here."
    )

    file_as = forms.ChoiceField(
        label=_("File as"),
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": NOT_DESIGNATED},
    )

    def __init__(self, *args, principals=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file_as"].choices = [
            (MYSELF, _("Myself")),
            *[
                (str(p.pk), f"{p.full_name} ({p.username})" if p.full_name else p.username)
                for p in principals
            ],
        ]

    def principal_id(self) -> int | None:
        value = self.cleaned_data["file_as"]
        return None if value == MYSELF else int(value)
