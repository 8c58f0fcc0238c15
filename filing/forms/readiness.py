"""The filters of the firm readiness page (a GET form)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from courts.models import Court


class CourtChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Court) -> str:
        return f"{obj.name} ({obj.pk})"


class ReadinessFilterForm(forms.Form):
    """Readiness for one court (with its go-live countdown), and "not ready only"."""

    court = CourtChoiceField(
        label=_("Court"),
        queryset=Court.objects.order_by("name", "id"),
        required=False,
        empty_label=_("All courts"),
        help_text=_("Readiness for this court, with its NextGen go-live date."),
        error_messages={"invalid_choice": _("There is no such court. Choose one from the list.")},
    )
    not_ready = forms.BooleanField(label=_("Not ready only"), required=False)


class CheckCourtForm(forms.Form):
    """The personal readiness checker's "check another court" (a GET form)."""

    court = CourtChoiceField(
        label=_("Check another court"),
        queryset=Court.objects.order_by("name", "id"),
        empty_label=_("Choose a court"),
        help_text=_("Your steps for a court where you have no login or request yet."),
        error_messages={
            "required": _("Choose a court."),
            "invalid_choice": _("There is no such court. Choose one from the list."),
        },
    )
