from ..choices import ConsentMethod, Gender, SocialCategory, Source, Status
from .consent import ConsentRecord, ConsentText
from .draws import Category, Draw, DrawEntrant, DrawSeat, DrawStatus, InvitationStatus
from .pages import VolunteerSignupPage
from .parliament import (
    MicroParliamentPage,
    ParliamentMeeting,
    ParliamentMember,
    ParliamentPhase,
    ParliamentPriority,
    Phase,
    Role,
    micro_parliaments_serving,
)
from .volunteers import DETAIL_FIELDS, Pool, Volunteer

__all__ = [
    "DETAIL_FIELDS",
    "Category",
    "ConsentMethod",
    "ConsentRecord",
    "ConsentText",
    "Draw",
    "DrawEntrant",
    "DrawSeat",
    "DrawStatus",
    "Gender",
    "InvitationStatus",
    "MicroParliamentPage",
    "ParliamentMeeting",
    "ParliamentMember",
    "ParliamentPhase",
    "ParliamentPriority",
    "Phase",
    "Pool",
    "Role",
    "SocialCategory",
    "Source",
    "Status",
    "Volunteer",
    "VolunteerSignupPage",
    "micro_parliaments_serving",
]
