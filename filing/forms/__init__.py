"""Forms of the filing app, one module per flow (registration, agents, ecf)."""
