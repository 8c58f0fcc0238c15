import datetime as dt

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from courts.models import Court, CourtCounty, CourtQuerySet


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=320,
        help_text=_("We send a link to confirm. No account needed; every message can unsubscribe."),
    )


class ScheduleChangeForm(forms.Form):
    """A clerk's change of the court's go-live date."""

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

    def clean_new_date(self):
        from courts.services import GO_LIVE_EARLIEST, GO_LIVE_LATEST

        day = self.cleaned_data["new_date"]
        if day is not None and not (GO_LIVE_EARLIEST <= day <= GO_LIVE_LATEST):
            raise forms.ValidationError(
                _("Enter a date between %(first)s and %(last)s.")
                % {"first": GO_LIVE_EARLIEST.year, "last": GO_LIVE_LATEST.year}
            )
        return day


class FilingSettingsForm(forms.Form):
    """A clerk's e-filing prerequisites for the court."""

    required_local_form = forms.RegexField(
        label=_("Local form new attorneys must complete first"),
        regex=r"^[A-Za-z0-9][A-Za-z0-9 .\-/]{0,31}$",
        max_length=32,
        required=False,
        help_text=_(
            "The form's name, e.g. LF-95. E-file registration requests of attorneys then ask "
            "for the date it was completed. Leave empty for none."
        ),
        error_messages={
            "invalid": _("Use letters, digits, spaces, dots, dashes or slashes, e.g. LF-95.")
        },
    )
    filer_may_propose_login = forms.BooleanField(
        label=_("Filers may propose a CM/ECF login when they register on the court's site"),
        required=False,
        help_text=_("CurrentGen only: the court still assigns one if the proposed login is taken."),
    )


# "Is my court on NextGen?" ---------------------------------------------------------------------

# The feed's circuit codes, in the order people think of them, with readable labels.
CIRCUIT_CHOICES = [
    ("01", _("1st Circuit")),
    ("02", _("2nd Circuit")),
    ("03", _("3rd Circuit")),
    ("04", _("4th Circuit")),
    ("05", _("5th Circuit")),
    ("06", _("6th Circuit")),
    ("07", _("7th Circuit")),
    ("08", _("8th Circuit")),
    ("09", _("9th Circuit")),
    ("10", _("10th Circuit")),
    ("11", _("11th Circuit")),
    ("DC", _("D.C. Circuit")),
    ("FC", _("Federal Circuit")),
]
CIRCUIT_LABELS = dict(CIRCUIT_CHOICES)

# Words people add to a county's name that the feed leaves out ("Pulaski County").
_COUNTY_SUFFIXES = (" county", " parish", " borough", " census area", " municipality")


def state_choices() -> list[tuple[str, str]]:
    """Every state a court or a county it serves is in, A–Z (one query)."""
    court_states = Court.objects.exclude(state="").order_by().values_list("state", flat=True)
    county_states = CourtCounty.objects.exclude(state="").order_by().values_list("state", flat=True)
    states = sorted(set(court_states.union(county_states)), key=str.casefold)
    return [(state, state) for state in states]


def normalize_county(value: str) -> str:
    """A county as typed ("  pulaski County ") the way the feed names it ("pulaski")."""
    county = " ".join(value.split())
    for suffix in _COUNTY_SUFFIXES:
        if county.lower().endswith(suffix) and len(county) > len(suffix):
            return county[: -len(suffix)]
    return county


class CourtFilterForm(forms.Form):
    """The GET filters of the public court list. Every field is optional; a field with bad
    input gets an error and is left out of the search, the others still apply."""

    q = forms.CharField(
        label=_("Court name or id"),
        required=False,
        max_length=100,
        help_text=_("For example “Arkansas”, “Eighth Circuit” or “areb”."),
    )
    type = forms.ChoiceField(label=_("Court type"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    county = forms.CharField(
        label=_("County"),
        required=False,
        max_length=100,
        help_text=_("Finds the courts serving a county. Choose its state too."),
    )
    circuit = forms.ChoiceField(
        label=_("Circuit"),
        required=False,
        choices=[("", _("Any circuit")), *CIRCUIT_CHOICES],
    )
    status = forms.ChoiceField(label=_("Status today"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", _("Any type")), *Court.CourtType.choices]
        self.fields["state"].choices = [("", _("Any state")), *state_choices()]
        self.fields["status"].choices = [
            ("", _("NextGen or CurrentGen")),
            *Court.Generation.choices,
        ]

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())

    def clean_county(self) -> str:
        return normalize_county(self.cleaned_data["county"])

    def filter_courts(self, courts: CourtQuerySet, day: dt.date) -> CourtQuerySet:
        """``courts`` narrowed by every filter that was given and valid; status is on ``day``.

        Works on an invalid form too: the fields that did validate still apply.
        """
        data = {}
        if self.is_bound:
            self.is_valid()  # validates once; cleaned_data keeps the fields that passed
            data = self.cleaned_data
        if query := data.get("q"):
            courts = courts.filter(
                Q(name__icontains=query)
                | Q(official_name__icontains=query)
                | Q(id__iexact=query)
                | Q(feed_code__iexact=query)
            )
        if court_type := data.get("type"):
            courts = courts.filter(court_type=court_type)
        if circuit := data.get("circuit"):
            courts = courts.filter(circuit=circuit)
        state = data.get("state")
        if state:
            serves_state = CourtCounty.objects.filter(court=OuterRef("pk"), state=state)
            courts = courts.filter(Q(state=state) | Exists(serves_state))
        if county := data.get("county"):
            serves_county = CourtCounty.objects.filter(court=OuterRef("pk"), name__iexact=county)
            if state:
                serves_county = serves_county.filter(state=state)
            courts = courts.filter(Exists(serves_county))
        if status := data.get("status"):
            courts = courts.with_status_on(status, day)
        return courts
