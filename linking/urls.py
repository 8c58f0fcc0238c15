"""The holder's link pages (/account/link/…, /account/courts/) and each court's simulated ECF
site (/ecf/<court id>/…). Mounted at the root by cso_portal/urls.py."""

from django.urls import path

from linking.views import courts, ecf, link, reset

app_name = "linking"

urlpatterns = [
    # Linking a court-issued CM/ECF account to the PACER account.
    path("account/link/", link.start, name="start"),
    # The emailed CM/ECF password reset link (before <court_id>/…: "reset" is no court).
    path("account/link/reset/<str:token>/", reset.confirm_reset, name="reset_confirm"),
    path("account/link/<slug:court_id>/", link.credentials, name="credentials"),
    path("account/link/<slug:court_id>/verify/", link.verify, name="verify"),
    path("account/link/<slug:court_id>/reset/", reset.request_reset, name="reset"),
    path("account/link/requests/<int:pk>/", link.request_status, name="request"),
    path("account/link/requests/<int:pk>/cancel/", link.cancel, name="cancel"),
    # My courts: link state, dates and history per court.
    path("account/courts/", courts.my_courts, name="my_courts"),
    # Each court's simulated ECF site, and its old bookmarked CurrentGen URLs.
    path("ecf/<slug:court_id>/", ecf.home, name="ecf_home"),
    path("ecf/<slug:court_id>/sign-out/", ecf.legacy_sign_out, name="ecf_sign_out"),
    path("ecf/<slug:court_id>/cgi-bin/<path:legacy_path>", ecf.legacy_login, name="ecf_legacy"),
]
