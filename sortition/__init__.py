"""MPRC sortition engine: fair selection of citizens' panels (LEXIMIN over HiGHS).

Pure Python + highspy; Django is not imported at module import time.
"""

from .leximin import Progress, check, solve
from .lottery import make_lottery
from .model import (
    ENGINE_VERSION,
    Feasibility,
    InfeasibleQuotas,
    Instance,
    Person,
    Quota,
    Result,
    SortitionError,
    read_people_csv,
    read_quotas_csv,
)
from .publication import VerifyReport, commitment, draw, receipt, seal, verify
from .randomness import describe_format, dice_format, format_from_text, public_draw_format

__all__ = [
    "ENGINE_VERSION",
    "Feasibility",
    "InfeasibleQuotas",
    "Instance",
    "Person",
    "Progress",
    "Quota",
    "Result",
    "SortitionError",
    "VerifyReport",
    "check",
    "commitment",
    "describe_format",
    "dice_format",
    "draw",
    "format_from_text",
    "make_lottery",
    "public_draw_format",
    "read_people_csv",
    "read_quotas_csv",
    "receipt",
    "seal",
    "solve",
    "verify",
]
