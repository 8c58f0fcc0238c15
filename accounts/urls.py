from django.urls import path

from accounts.views import manage, security

app_name = "accounts"

urlpatterns = [
    path("", manage.overview, name="manage"),
    path("two-factor/", security.mfa_prompt, name="mfa_prompt"),
]
