from django import forms
from django.utils.translation import gettext_lazy as _


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=320,
        help_text=_("We send a link to confirm. No account needed; every message can unsubscribe."),
    )


class ScheduleChangeForm(forms.Form):
    new_date = forms.DateField(
        label=_("New go-live date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty to withdraw the announced date."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown in the court's schedule history and in the email to subscribers."),
    )
