"""What the volunteer list offers other modules (its public face, as ``project_catalog.api``
is the catalogue's): the people of each commune's lists, their choices, the personal link
that a volunteer receives, and the demo's made-up residents. A module that needs the
volunteer list (``requires=("participation",)``, e.g. the micro-parliament and its draws)
imports these names from here and nothing else of the package (an import contract in
pyproject.toml checks it).

Hooks the volunteer list calls (``wagtail.hooks``):

- ``PERSONAL_DATA_HOOK``: functions ``(volunteer) -> dict`` whose entries join what the
  volunteer's personal page shows and exports about them («my data»), with
  ``(key, label)`` pairs in ``PERSONAL_DATA_LABELS_HOOK`` functions ``() -> dict`` naming
  the keys.

A signal the volunteer list sends: ``volunteers_erased`` (``sender=Volunteer``,
``volunteer_ids``: at most 500 primary keys, sent again for the next ones) for every
deletion of people, whatever deletes them, before their rows go and in the same
transaction. A module that keeps something about people erases it there, in one query,
rather than with a ``pre_delete``/``post_delete`` receiver on ``Volunteer``, which runs
once per person (10,000 for a list).
"""

from .choices import AGE_BANDS, Gender, SocialCategory, Source, Status, age_band
from .demo import People as demo_people
from .erasure import volunteers_erased
from .models import Pool, Volunteer, VolunteerSignupPage
from .tokens import make_token, read_token

PERSONAL_DATA_HOOK = "participation_personal_data"
PERSONAL_DATA_LABELS_HOOK = "participation_personal_data_labels"


def demo_communes():
    """INSEE codes of the demo communes that have volunteer lists, in order."""
    from .demo_content import COMMUNES

    return list(COMMUNES)


__all__ = [
    "AGE_BANDS",
    "PERSONAL_DATA_HOOK",
    "PERSONAL_DATA_LABELS_HOOK",
    "Gender",
    "Pool",
    "SocialCategory",
    "Source",
    "Status",
    "Volunteer",
    "VolunteerSignupPage",
    "age_band",
    "demo_communes",
    "demo_people",
    "make_token",
    "read_token",
    "volunteers_erased",
]
