"""Who may set the district up: units, people, accounts, oversight and the leading group.

The scope every app's access module builds on is in orgs.scope.
"""

from .scope import is_coordinator


def can_manage_setup(user) -> bool:
    """基础设置 (the units, people and accounts, the campaign and its plan): active coordinators."""
    return getattr(user, "is_active", False) and is_coordinator(user)
