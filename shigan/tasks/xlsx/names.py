"""Units and people named in a task list, looked up in the register once per file. A name that
is not registered is refused with the closest registered one suggested (difflib), never guessed."""

import re
from dataclasses import dataclass

from shigan.core.xlsx.layout import norm
from shigan.core.xlsx.names import suggestion as _suggestion
from shigan.orgs.models import Person, Unit

# 、，, ；; / and line breaks and spaces (a name never holds one) separate several units.
SEPARATORS = re.compile(r"[、，,；;/／\s]+")
LIST_SEPARATORS = re.compile(r"[、，,；;/／\n]+")
PARENTHESISED = re.compile(r"[（(]([^（）()]*)[）)]")


class UnknownName(Exception):
    """A name not in the register; the message is the Chinese problem text."""


def split_names(text: str) -> list[str]:
    return [part for part in SEPARATORS.split(text.strip()) if part]


@dataclass
class Register:
    """Units by name and short name; people by name (several may share one)."""

    units: dict[str, Unit]
    unit_names: dict[str, str]
    people: dict[str, list[Person]]

    def split_units(self, text: str) -> list[str]:
        """The unit names of a cell listing several; a registered name holding a separator
        ("示范区党委、政府") stays whole."""
        protected = text
        joined = [n for n in self.unit_names.values() if SEPARATORS.search(n)]
        for i, name in enumerate(sorted(set(joined), key=len, reverse=True)):
            protected = protected.replace(name, f"\x00{i}\x00")
        names = dict(enumerate(sorted(set(joined), key=len, reverse=True)))
        parts = split_names(protected)
        return [re.sub(r"\x00(\d+)\x00", lambda m: names[int(m.group(1))], p) for p in parts]

    def unit(self, name: str) -> Unit:
        unit = self.units.get(norm(name))
        if unit is None:
            hint = _suggestion(name, self.unit_names) or "（请先在“组织架构导入”中登记该单位）"
            raise UnknownName(f"不是系统中已登记的单位{hint}")
        return unit

    def leader(self, text: str) -> Person:
        """The person a 责任领导 cell names: "王志强", "王志强（副区长）" or "副区长王志强"."""
        names = [n for n in LIST_SEPARATORS.split(PARENTHESISED.sub("", text)) if n.strip()]
        if len(names) > 1:
            raise UnknownName("只能填写一位责任领导（每项任务一位，其他领导可写入目标任务）")
        people = self._people(text)
        if len(people) == 1:
            return people[0]
        if len(people) > 1:
            posts = "、".join(f"{p.name}（{p.post or p.unit.name}）" for p in people)
            raise UnknownName(f"系统中有{len(people)}位同名人员，请写明职务，如{posts}")
        if norm(text) in self.units:
            raise UnknownName("是单位名称，不是人员：责任领导请填写领导姓名")
        choices = {k: p[0].name for k, p in self.people.items()}
        hint = _suggestion(text, choices) or "（请先在“组织架构导入”中登记该人员）"
        raise UnknownName(f"不是系统中登记的人员{hint}")

    def _people(self, text: str) -> list[Person]:
        key = norm(PARENTHESISED.sub("", text))
        people = self.people.get(key, [])
        if len(people) > 1 and (qualifier := PARENTHESISED.search(text)):
            wanted = norm(qualifier.group(1))
            people = [p for p in people if wanted and wanted in norm(p.post) + norm(p.unit.name)]
        if not people:
            # "副区长王志强": a registered name of two or more characters inside the text.
            inside = [ps for k, ps in self.people.items() if len(k) > 1 and k in key]
            people = inside[0] if len(inside) == 1 else []
        return people


def load_register(*, district_id: int) -> Register:
    """The units and people of one district (orgs.Unit.district): names are unique within a
    district, not across the database, so another district's 水务站 is never matched."""
    units: dict[str, Unit] = {}
    unit_names: dict[str, str] = {}
    for unit in Unit.objects.filter(district_id=district_id).order_by("sort_order", "id"):
        for name in filter(None, (unit.name, unit.short_name)):
            units.setdefault(norm(name), unit)
            unit_names.setdefault(norm(name), unit.name)
    people: dict[str, list[Person]] = {}
    district_people = Person.objects.filter(unit__district_id=district_id)
    for person in district_people.select_related("unit").order_by("sort_order", "id"):
        people.setdefault(norm(person.name), []).append(person)
    return Register(units=units, unit_names=unit_names, people=people)
