"""What importing an organisation workbook would do, record by record (plan.py builds it): each
unit and person of the file with its existing record and the changes in words, the oversight and
leading-group seats, and the district's records the file does not name (removals)."""

from dataclasses import dataclass, field

from ..models import LeadingGroup, LeadingGroupMember, Oversight, Person, Unit
from .reader import PersonRow, Problem, SeatRow, UnitRow


@dataclass(eq=False)
class UnitChange:
    """A unit of the file (`row`) or of the district only (`row` None); `unit` is the existing
    record (None: to be created; set once saved)."""

    row: UnitRow | None
    unit: Unit | None
    parent: "UnitChange | None" = None
    changes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.row.name if self.row else self.unit.name

    @property
    def created(self) -> bool:
        return self.row is not None and self.unit is None


@dataclass(eq=False)
class PersonChange:
    row: PersonRow | None
    person: Person | None
    unit: UnitChange | None = None
    changes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.row.name if self.row else self.person.name

    @property
    def label(self) -> str:
        return f"{self.name}（{self.unit.name if self.unit else self.person.unit.name}）"


@dataclass(eq=False)
class OversightChange:
    leader: PersonChange
    unit: UnitChange
    existing: Oversight | None


@dataclass(eq=False)
class SeatChange:
    row: SeatRow
    member: PersonChange
    group: LeadingGroup | None
    seat: LeadingGroupMember | None
    changes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Removal:
    """A record of the district the file does not name. `key` is what the confirmation ticks;
    `blocked` says why it cannot go; `action` what ticking it does (删除 / 停用账号)."""

    key: str
    kind: str
    label: str
    action: str = "删除"
    blocked: str = ""


@dataclass
class OrgPlan:
    district: Unit
    units: list[UnitChange] = field(default_factory=list)
    people: list[PersonChange] = field(default_factory=list)
    oversight: list[OversightChange] = field(default_factory=list)
    seats: list[SeatChange] = field(default_factory=list)
    new_groups: list[str] = field(default_factory=list)
    removals: list[Removal] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    hidden: list[tuple[str, int]] = field(default_factory=list)
    objects: dict[str, object] = field(default_factory=dict)  # removal key -> record

    def _split(self, items):
        return (
            [c for c in items if c.row is not None and (c.unit if isinstance(c, UnitChange)
                                                        else c.person) is None],
            [c for c in items if c.row is not None and c.changes and not _is_new(c)],
            sum(1 for c in items if c.row is not None and not c.changes and not _is_new(c)),
        )  # fmt: skip

    @property
    def unit_counts(self):
        return self._split(self.units)

    @property
    def person_counts(self):
        return self._split(self.people)

    @property
    def oversight_created(self) -> list[OversightChange]:
        return [o for o in self.oversight if o.existing is None]

    @property
    def seats_created(self) -> list[SeatChange]:
        return [s for s in self.seats if s.seat is None]

    @property
    def seats_updated(self) -> list[SeatChange]:
        return [s for s in self.seats if s.seat is not None and s.changes]

    @property
    def changes_anything(self) -> bool:
        units_new, units_changed, _ = self.unit_counts
        people_new, people_changed, _ = self.person_counts
        return bool(units_new or units_changed or people_new or people_changed
                    or self.oversight_created or self.seats_created or self.seats_updated)  # fmt: skip

    @property
    def removable(self) -> list[Removal]:
        return [r for r in self.removals if not r.blocked]


def _is_new(change) -> bool:
    return (change.unit if isinstance(change, UnitChange) else change.person) is None
