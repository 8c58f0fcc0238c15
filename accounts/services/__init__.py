"""Use cases of PACER accounts, one module per flow. Every change of account state goes
through a function in this package; views, admin actions, tasks and tests call them.

- ``creation``: account numbers, creating accounts (demo data, commands, tests)
- ``events``: the account history (AccountEvent)
- ``registration``, ``profile``, ``security``: the sign-up, Manage My Account and
  security flows
"""

from accounts.services.creation import (
    AccountNumberExhausted,
    account_type_for,
    create_account,
    ensure_demo_account,
    new_account_number,
    prepare_new_account,
)

__all__ = [
    "AccountNumberExhausted",
    "account_type_for",
    "create_account",
    "ensure_demo_account",
    "new_account_number",
    "prepare_new_account",
]
