"""allauth's sign-up form for PACER accounts (``ACCOUNT_FORMS["signup"]``): step 2 of the
registration wizard. Step 1 (``/account/register/``) chose the account kind, which arrives
in the query string and travels on as a hidden field; the kind decides which of the kind
fields (bar admission, filer role, shared flag, a PAA's firm name) the form asks for. A PACER
Administrative Account's holder is its administrator, and its postal address the firm's
billing address.

allauth's adapter saves the account (``save_user`` → ``registration.complete_signup``); this
form only collects and checks what the person typed.
"""

from __future__ import annotations

from urllib.parse import urlencode

from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.models import EmailAddress
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from django import forms
from django.contrib import messages
from django.contrib.auth.hashers import make_password
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.forms.contact import check_phone, postal_code_error
from accounts.forms.registration import kind_choices
from accounts.models import User
from accounts.services.registration import KIND_FIELDS, SIGNUP_KINDS

# Bar admissions are by state, the District of Columbia or a territory.
US_STATES = (
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut",
    "Delaware", "District of Columbia", "Florida", "Georgia", "Hawaii", "Idaho", "Illinois",
    "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana", "Maine", "Maryland",
    "Massachusetts", "Michigan", "Minnesota", "Mississippi", "Missouri", "Montana",
    "Nebraska", "Nevada", "New Hampshire", "New Jersey", "New Mexico", "New York",
    "North Carolina", "North Dakota", "Ohio", "Oklahoma", "Oregon", "Pennsylvania",
    "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah", "Vermont",
    "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming", "American Samoa",
    "Guam", "Northern Mariana Islands", "Puerto Rico", "U.S. Virgin Islands",
)  # fmt: skip


class SignupForm(AllauthSignupForm):
    """Who the registrant is and how to reach them, then the sign-in details."""

    kind = forms.ChoiceField(
        choices=kind_choices,
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose the kind of account first (step 1 of registration)."),
            "invalid_choice": _("Choose the kind of account first (step 1 of registration)."),
        },
    )
    firm_name = forms.CharField(
        label=_("Firm name"),
        max_length=200,
        help_text=_("The firm whose individual PACER accounts this PAA bills."),
        error_messages={"required": _("Give the firm's name.")},
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=32,
        help_text=_("With the area code, for example (602) 555-0143."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    address_line1 = forms.CharField(
        label=_("Street address"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    address_line2 = forms.CharField(
        label=_("Street address line 2"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}),
    )
    city = forms.CharField(
        label=_("City"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    region = forms.CharField(
        label=_("State, province or region"),
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "address-level1"}),
    )
    postal_code = forms.CharField(
        label=_("ZIP or postal code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    country = forms.CharField(
        label=_("Country"),
        max_length=64,
        initial="United States",
        widget=forms.TextInput(attrs={"autocomplete": "country-name"}),
    )
    bar_number = forms.CharField(
        label=_("Bar number"),
        max_length=32,
        help_text=_("As issued by the bar of the state below."),
    )
    bar_state = forms.ChoiceField(
        label=_("Bar state"),
        choices=[("", _("- Select -")), *((state, state) for state in US_STATES)],
        error_messages={"required": _("Choose the state whose bar admitted you.")},
    )
    filer_role = forms.ChoiceField(
        label=_("Your role"),
        choices=[("", _("- Select -")), *User.FilerRole.choices],
        help_text=_("The capacity in which you will file."),
        error_messages={"required": _("Choose the capacity in which you will file.")},
    )
    is_shared = forms.BooleanField(
        label=_("This is a shared firm account (search only)"),
        required=False,
        help_text=_(
            "One login for a firm's research. It can search, but can never link a CM/ECF "
            "account or e-file; every filer needs an individual account."
        ),
    )

    field_order = (
        "kind",
        "firm_name",
        "first_name",
        "last_name",
        "email",
        "phone",
        "address_line1",
        "address_line2",
        "city",
        "region",
        "postal_code",
        "country",
        "bar_number",
        "bar_state",
        "filer_role",
        "is_shared",
        "username",
        "password1",
        "password2",
    )
    # The page groups the fields under these legends (fields the kind doesn't ask for are
    # left out, and so is a group left empty).
    SECTIONS = (
        (_("Your name"), ("first_name", "last_name")),
        (_("How to reach you"), ("email", "phone")),
        (_("Postal address"), ("address_line1", "address_line2", "city", "region",
                               "postal_code", "country")),
        (_("Bar admission"), ("bar_number", "bar_state")),
        (_("Filer role"), ("filer_role",)),
        (_("Shared firm account"), ("is_shared",)),
        (_("Sign-in details"), ("username", "password1", "password2")),
    )  # fmt: skip
    # A PACER Administrative Account: the firm, its administrator (the account holder) and
    # the billing address.
    PAA_SECTIONS = (
        (_("Firm"), ("firm_name",)),
        (_("Administrator's name"), ("first_name", "last_name")),
        (_("How to reach the administrator"), ("email", "phone")),
        (_("Billing address"), ("address_line1", "address_line2", "city", "region",
                                "postal_code", "country")),
        (_("Sign-in details"), ("username", "password1", "password2")),
    )  # fmt: skip

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.chosen_kind = self._requested_kind()
        if self.chosen_kind is None and not self.is_bound:
            self._send_to_step_one()
        self.fields["kind"].initial = self.chosen_kind
        for kind, names in KIND_FIELDS.items():
            if kind != self.chosen_kind:
                for name in names:
                    self.fields.pop(name, None)
        self.fields["email"].label = _("Email address")
        self.fields["email"].help_text = _(
            "We send a link to this address; the account can do nothing until you open it."
        )
        self.fields["username"].help_text = _(
            "At least 8 characters: letters, digits and @ . + - _ only."
        )
        self.fields["password2"].label = _("Confirm password")
        self.order_fields(self.field_order)

    # The account kind -------------------------------------------------------------------

    def _requested_kind(self) -> str | None:
        """The kind chosen on step 1: the posted hidden field, else the query string."""
        if self.is_bound:
            value = self.data.get(self.add_prefix("kind"))
        else:
            request = context.request
            value = self.initial.get("kind") or (request.GET.get("kind") if request else None)
        return value if value in SIGNUP_KINDS else None

    def _send_to_step_one(self) -> None:
        """Opening the sign-up page without a kind goes to step 1. allauth's middleware turns
        ImmediateHttpResponse into the response, so allauth's view stays as it is."""
        request = context.request
        match = getattr(request, "resolver_match", None)
        if request is None or request.method != "GET" or match is None:
            return
        if match.url_name != "account_signup":
            return
        url = reverse("accounts:register")
        if request.GET.get("next"):
            url += "?" + urlencode({"next": request.GET["next"]})
        raise ImmediateHttpResponse(HttpResponseRedirect(url))

    @property
    def kind_label(self) -> str:
        return User.AccountKind(self.chosen_kind).label if self.chosen_kind else ""

    @property
    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        """(legend, bound fields) for each group of fields this kind asks for."""
        grouped = []
        placed = {"kind"}
        sections = self.PAA_SECTIONS if self.chosen_kind == User.AccountKind.PAA else self.SECTIONS
        for legend, names in sections:
            fields = [self[name] for name in names if name in self.fields]
            placed.update(names)
            if fields:
                grouped.append((legend, fields))
        rest = [field for field in self.visible_fields() if field.name not in placed]
        if rest:
            grouped.append(("", rest))
        return grouped

    # Cleaning ---------------------------------------------------------------------------

    def _clean_text(self, name: str) -> str:
        """Runs of white space become one space (a name typed twice compares equal)."""
        return " ".join(self.cleaned_data[name].split())

    def clean_first_name(self) -> str:
        return self._clean_text("first_name")

    def clean_last_name(self) -> str:
        return self._clean_text("last_name")

    def clean_address_line1(self) -> str:
        return self._clean_text("address_line1")

    def clean_city(self) -> str:
        return self._clean_text("city")

    def clean_phone(self) -> str:
        return check_phone(self._clean_text("phone"))

    def clean_bar_number(self) -> str:
        return self._clean_text("bar_number")

    def clean_firm_name(self) -> str:
        return self._clean_text("firm_name")

    def clean(self) -> dict:
        cleaned = super().clean()
        error = postal_code_error(cleaned.get("postal_code", ""), cleaned.get("country", ""))
        if error is not None:
            self.add_error("postal_code", error)
        return cleaned

    def try_save(self, request):
        """An address already in use gets the page a new sign-up gets (allauth mails its
        holder instead of creating an account); the typed password is hashed all the same,
        as a new account's is, so the time of the answer does not tell (PROOF scenario 7)."""
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1") or "")
        return super().try_save(request)

    def save(self, request):
        """allauth saves the account. A registration put on hold is told so by the page
        allauth's pre_login shows; it is still sent the verification link (allauth sends it
        only when sign-in goes on), so the address is verified while staff review it."""
        user = super().save(request)
        if user.registration_status == User.RegistrationStatus.ON_HOLD:
            address = EmailAddress.objects.get_primary(user)
            if address is not None and not address.verified:
                address.send_confirmation(request, signup=True)
                messages.info(
                    request,
                    _("We sent a link to %(email)s: open it to verify your email address.")
                    % {"email": address.email},
                )
        return user
