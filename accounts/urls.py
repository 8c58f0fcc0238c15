"""Manage My Account (/account/…). Sign-up, sign-in, email, password, MFA and sessions are
allauth's (/accounts/…), themed and hooked through its seams."""

from django.urls import path

from accounts.views import manage, mfa, registration, upgrade

app_name = "accounts"

urlpatterns = [
    # Manage My Account: the Settings tab and the others.
    path("", manage.overview, name="manage"),
    path("profile/", manage.edit_profile, name="edit_profile"),
    path("maintenance/", manage.maintenance, name="maintenance"),
    path("payments/", manage.payments, name="payments"),
    path("usage/", manage.usage, name="usage"),
    path("history/", manage.history, name="history"),
    path("not-me/<str:token>/", manage.not_me, name="not_me"),
    # The legacy → upgraded wizard.
    path("upgrade/", upgrade.upgrade, name="upgrade"),
    # Registration by account kind (step 1; allauth's sign-up form is step 2).
    path("register/", registration.choose_kind, name="register"),
    # Two-factor enrolment prompt after sign-in (phased enforcement for filers).
    path("two-factor/", mfa.mfa_prompt, name="mfa_prompt"),
]
