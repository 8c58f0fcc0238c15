"""Models of the linking app (they arrive with its issue)."""
