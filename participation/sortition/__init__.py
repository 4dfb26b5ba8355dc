"""MPRC sortition engine: fair selection of citizens' panels (LEXIMIN over HiGHS).

Pure Python + highspy; Django is not imported at module import time.
"""

from .leximin import check, solve
from .lottery import VerifyReport, commitment, draw, make_lottery, verify
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

__all__ = [
    "ENGINE_VERSION",
    "Feasibility",
    "InfeasibleQuotas",
    "Instance",
    "Person",
    "Quota",
    "Result",
    "SortitionError",
    "VerifyReport",
    "check",
    "commitment",
    "draw",
    "make_lottery",
    "read_people_csv",
    "read_quotas_csv",
    "solve",
    "verify",
]
