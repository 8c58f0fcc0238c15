"""Linking: court-issued CM/ECF accounts and the link request workflow."""
