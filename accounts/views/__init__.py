"""Views of PACER accounts, one module per area: ``manage`` (Manage My Account and its tabs),
``upgrade`` (the legacy upgrade wizard), ``security`` ("this wasn't me", the MFA prompt)."""
