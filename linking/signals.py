"""Signals linking sends for the apps that build on it (they import linking, never the other
way round: DESIGN.md's arrows run filing → linking)."""

from django.dispatch import Signal

# Sent inside the approving transaction, after the CM/ECF login was linked, with
# ``link_request`` (approved, locked) and ``now``. A receiver's failure rolls the approval
# back: filing records the filing rights the link carries (seed 000).
link_approved = Signal()
