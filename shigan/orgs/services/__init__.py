"""Every audited write of the organisation: accounts (accounts.py) and the organisation workbook's
import (org_import.py). The account functions stay importable from here."""

from .accounts import (
    InitialPassword,
    account_active_set,
    account_create,
    account_password_reset,
    accounts_create_all,
    coordinator_create,
    login_name_problem,
    password_change_record,
    password_problems,
    person_assign,
)

__all__ = [
    "InitialPassword",
    "account_active_set",
    "account_create",
    "account_password_reset",
    "accounts_create_all",
    "coordinator_create",
    "login_name_problem",
    "password_change_record",
    "password_problems",
    "person_assign",
]
