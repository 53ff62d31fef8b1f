"""The grassroots ledger: visits and pairings, concerns and disputes with their steps, reception
days, practice activities. 办实事 items are tracked items (tasks.Task, origin 办实事)."""

from .activities import PracticeActivity, PracticeEvent
from .concerns import (
    Concern,
    ConcernAction,
    ConcernCategory,
    ConcernKind,
    ConcernSource,
    ConcernStep,
    ReceptionDay,
    Satisfaction,
)
from .promises import PromiseFollowUp
from .visits import Pairing, PairingTargetKind, PlaceKind, Visit, VisitKind, VisitPhoto

__all__ = [
    "Concern",
    "ConcernAction",
    "ConcernCategory",
    "ConcernKind",
    "ConcernSource",
    "ConcernStep",
    "Pairing",
    "PairingTargetKind",
    "PlaceKind",
    "PracticeActivity",
    "PracticeEvent",
    "PromiseFollowUp",
    "ReceptionDay",
    "Satisfaction",
    "Visit",
    "VisitKind",
    "VisitPhoto",
]
