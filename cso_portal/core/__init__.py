"""Project-wide plumbing every app may use: health, heartbeats, kept mail, base pages."""
