"""Forms of PACER accounts, one module per area (e.g. ``signup``: allauth's sign-up form
through ACCOUNT_FORMS; ``registration``: step 1 of the wizard and the console's rejection
reason)."""
