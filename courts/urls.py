from django.urls import path, re_path

from courts.views import catalog, schedule, subscriptions

app_name = "courts"

urlpatterns = [
    path("", catalog.court_list, name="list"),
    path("nextgen.ics", catalog.calendar_all, name="calendar"),
    path(
        "subscriptions/confirm/<str:token>/",
        subscriptions.confirm,
        name="subscription_confirm",
    ),
    path(
        "subscriptions/unsubscribe/<str:token>/",
        subscriptions.unsubscribe,
        name="subscription_unsubscribe",
    ),
    re_path(r"^(?P<court_id>[a-z0-9]+)\.ics$", catalog.calendar_court, name="court_calendar"),
    path("<slug:court_id>/", catalog.court_detail, name="detail"),
    path("<slug:court_id>/subscribe/", subscriptions.subscribe, name="subscribe"),
    path("<slug:court_id>/schedule/", schedule.change_schedule, name="change_schedule"),
    path("<slug:court_id>/filing-settings/", schedule.filing_settings, name="filing_settings"),
]
