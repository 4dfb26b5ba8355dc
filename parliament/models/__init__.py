from .draws import Category, Draw, DrawEntrant, DrawSeat, DrawStatus, InvitationStatus
from .micro_parliament import (
    MeetingReminder,
    MicroParliamentPage,
    ParliamentMeeting,
    ParliamentMember,
    ParliamentPhase,
    ParliamentPriority,
    Phase,
    Role,
    micro_parliaments_serving,
)

__all__ = [
    "Category",
    "Draw",
    "DrawEntrant",
    "DrawSeat",
    "DrawStatus",
    "InvitationStatus",
    "MeetingReminder",
    "MicroParliamentPage",
    "ParliamentMeeting",
    "ParliamentMember",
    "ParliamentPhase",
    "ParliamentPriority",
    "Phase",
    "Role",
    "micro_parliaments_serving",
]
