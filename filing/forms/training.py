"""The staff training pages' forms: the clock (preview / set a date) and a scenario action."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from courts.services import GO_LIVE_EARLIEST, GO_LIVE_LATEST
from filing.training.scenarios import all_scenarios


class ClockForm(forms.Form):
    """A new date for the training clock (previewed by GET, applied by POST)."""

    date = forms.DateField(
        label=_("New date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The day the portal should consider today (YYYY-MM-DD)."),
        error_messages={
            "required": _("Give the new date."),
            "invalid": _("Enter a date as YYYY-MM-DD, e.g. 2021-06-28."),
        },
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        required=False,
        help_text=_("Shown in the clock's history, e.g. “azb go-live rehearsal”."),
    )

    def clean_date(self) -> dt.date:
        day = self.cleaned_data["date"]
        if not (GO_LIVE_EARLIEST <= day <= GO_LIVE_LATEST):
            raise forms.ValidationError(
                _("Choose a date between %(first)s and %(last)s.")
                % {"first": GO_LIVE_EARLIEST.isoformat(), "last": GO_LIVE_LATEST.isoformat()}
            )
        return day


class ScenarioActionForm(forms.Form):
    """Load or reset one scenario (the buttons of the scenarios page)."""

    ACTIONS = (("load", _("Load")), ("reset", _("Reset")))

    scenario = forms.ChoiceField(
        choices=(),
        error_messages={"invalid_choice": _("There is no such scenario.")},
    )
    action = forms.ChoiceField(
        choices=ACTIONS, error_messages={"invalid_choice": _("Choose Load or Reset.")}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scenario"].choices = [
            (name, scenario.title) for name, scenario in all_scenarios().items()
        ]
