"""Views of PACER accounts, one module per area: ``manage`` (Manage My Account, its tabs,
history, "this wasn't me"), ``upgrade`` (the wizard), ``registration``, ``mfa`` (the prompt)."""
