from shigan.orgs.access import person_of, role_of


def viewer(request):
    """Who is looking: person, role, and what the navigation may offer him."""
    user = request.user
    if not user.is_authenticated:
        return {}
    role = role_of(user)
    return {
        "viewer_person": person_of(user),
        "viewer_role": role,
        "viewer_is_coordinator": role == "coordinator",
        "viewer_is_reporter": role == "reporter",
    }
