"""Exceptions shared by core services and tasks (a module of its own: no import cycle)."""


class EmailNotSent(Exception):
    """Delivery failed this time; the outbox row is pending again (or dead after the last try)."""
