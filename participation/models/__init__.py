from ..choices import ConsentMethod, Gender, SocialCategory, Source, Status
from .consent import ConsentRecord, ConsentText
from .pages import VolunteerSignupPage
from .volunteers import DETAIL_FIELDS, Pool, Volunteer

__all__ = [
    "DETAIL_FIELDS",
    "ConsentMethod",
    "ConsentRecord",
    "ConsentText",
    "Gender",
    "Pool",
    "SocialCategory",
    "Source",
    "Status",
    "Volunteer",
    "VolunteerSignupPage",
]
