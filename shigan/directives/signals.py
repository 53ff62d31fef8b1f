"""What the directives app tells the apps above it, without importing them (the layers forbid
it): a hand-down arrived at a district, or was withdrawn from it. Sent inside the service's
transaction, so a receiver's writes (reminders: the district coordinators' inbox messages) are
all-or-nothing with the hand-down's. Receivers are connected in their app's ready()."""

from django.dispatch import Signal

# Sent with handdown= (a HandDown, its upper_task and unit loaded), event= (one of EVENTS) and
# by= (the user who acted).
handdown_event = Signal()

HANDED_DOWN = "handed_down"
WITHDRAWN = "withdrawn"
EVENTS = (HANDED_DOWN, WITHDRAWN)
