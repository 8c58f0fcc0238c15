from django.conf import settings

from cso_portal import clock


def portal(request):
    """Values every page's layout needs."""
    simulated = clock.simulated_date()
    return {
        "demo_mode": settings.CSO_DEMO_MODE,
        "mailbox_enabled": settings.DEBUG or settings.CSO_DEMO_MODE,
        # Shown plainly on every page while the training clock differs from the real date.
        "simulated_today": simulated if simulated and simulated != clock.real_today() else None,
        "real_today": clock.real_today(),
    }
