"""The word for the whole of a level (全区, 全县, 全市…), read from the name of its 党委政府 unit:
the cockpit's cards, the indicator page's key-project heading and other pages that state a
figure over a user's whole level say it alike."""

from .scope import person_of

# The last of these characters in the name, its organ suffix (党委政府, 人民政府…) left out:
# 示范县党委政府 → 全县, 甲市 → 全市, 示范区党委政府 → 全区.
LEVEL_CHARS = "省市州盟县旗区"
ORGAN_SUFFIXES = ("党委政府", "人民政府", "党委", "政府", "委员会")
DISTRICT_WIDE = "全区"  # an operator's account (no person, no level)


def level_wide_word(name: str) -> str:
    """全县 / 全市 / 全区… for a level's 党委政府 unit named `name`; 本级 when the name says no kind."""
    for suffix in ORGAN_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    kinds = [c for c in name if c in LEVEL_CHARS]
    return f"全{kinds[-1]}" if kinds else "本级"


def level_wide(user) -> str:
    """The tag of what counts the whole of the user's level (level_wide_word of his district's
    unit); DISTRICT_WIDE for an account without a person. No query (orgs.scope.person_of joins
    the district)."""
    person = person_of(user)
    if person is None or person.unit.district is None:
        return DISTRICT_WIDE
    return level_wide_word(person.unit.district.name)
