"""Models of the filing app (they arrive with its issue)."""
