"""Models of the courts app (they arrive with its issue)."""
