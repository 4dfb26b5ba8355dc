"""What other modules may use of the micro-parliament: its public face (as
``participation.api`` is the volunteer list's and ``project_catalog.api`` the catalogue's).

A module that builds on the micro-parliament (``requires=("parliament",)``, e.g. the call
for needs, whose needs become its priorities) imports these names from here and nothing
else of the package (an import contract in pyproject.toml checks it): its page, its
priorities (each may link to the project page it became), and which micro-parliaments
serve which communes. Add a name here when another module needs it, rather than importing
it from where it lives.
"""

from .models import MicroParliamentPage, ParliamentPriority, micro_parliaments_serving

__all__ = [
    "MicroParliamentPage",
    "ParliamentPriority",
    "micro_parliaments_serving",
]
