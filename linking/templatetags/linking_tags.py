"""Template tags of linking's emails: links built when the email is rendered, so the outbox
holds ids only (ADR 0002)."""

from __future__ import annotations

from django import template
from django.urls import reverse

from linking.models import CmecfResetToken
from linking.services.reset import reset_link_token

register = template.Library()


@register.simple_tag
def cmecf_reset_path(token_id: int) -> str:
    """The path of the set-password page for reset row ``token_id`` (signed now, valid 1 h)."""
    return reverse("linking:reset_confirm", args=[reset_link_token(int(token_id))])


@register.simple_tag
def cmecf_reset(token_id: int) -> CmecfResetToken | None:
    """The reset row (with its login and court) for the email's wording, or None."""
    return (
        CmecfResetToken.objects.select_related("cmecf_account__court")
        .filter(pk=int(token_id))
        .first()
    )
