from .draws import Category, Draw, DrawEntrant, DrawSeat, DrawStatus, InvitationStatus
from .micro_parliament import (
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
    "MicroParliamentPage",
    "ParliamentMeeting",
    "ParliamentMember",
    "ParliamentPhase",
    "ParliamentPriority",
    "Phase",
    "Role",
    "micro_parliaments_serving",
]
