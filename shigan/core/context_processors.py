from shigan.orgs.access import person_of, role_of


def viewer(request):
    """Who is looking: person, role, and what the navigation may offer him."""
    # Absent when a request is refused before authentication runs (a bad Host header → 400).
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    role = role_of(user)
    return {
        "viewer_person": person_of(user),
        "viewer_role": role,
        "viewer_is_coordinator": role == "coordinator",
        "viewer_is_reporter": role == "reporter",
    }
