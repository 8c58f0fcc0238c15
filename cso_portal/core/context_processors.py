from django.conf import settings


def portal(request):
    """Values every page's layout needs."""
    return {
        "demo_mode": settings.CSO_DEMO_MODE,
        "mailbox_enabled": settings.DEBUG or settings.CSO_DEMO_MODE,
    }
