"""What the micro-parliament holds about a person of the volunteer list, added to their
personal page and download (hooks of ``participation.api``): the draws they entered, with
their receipt once a draw is published, and their seat."""

from django.utils.translation import gettext_lazy

import sortition


def draw_receipt(entry):
    """For a published draw: its commitment and the person's receipt (pseudonym, answers
    and salt), with which ``verify --receipt`` checks their own entry in the public file."""
    draw = entry.draw
    if not draw.audit or not draw.published_at:
        return {}
    try:
        receipt = sortition.receipt(draw.audit, entry.pseudonym)
    except sortition.SortitionError:
        return {}
    return {"commitment": draw.commitment, "receipt": receipt}


def personal_data(volunteer):
    return {
        "draws": [
            {
                "draw": entry.draw.title,
                "pseudonym": entry.pseudonym,
                "drawn": entry.pseudonym in entry.draw.selected,
                "invitation": entry.get_invitation_display(),
                **draw_receipt(entry),
            }
            for entry in volunteer.draw_entries.select_related("draw")
        ],
        "micro_parliament": _membership(volunteer),
    }


def _membership(volunteer):
    member = getattr(volunteer, "membership", None)
    if member is None:
        return None
    return {
        "micro_parliament": member.micro_parliament.title,
        "role": member.get_role_display(),
        "public_name": member.name,
        "name_shown_publicly": member.show_name,
        "joined_on": member.joined_on.isoformat(),
    }


def labels():
    return {
        "draws": gettext_lazy("Draw"),
        "draw": gettext_lazy("Draw"),
        "pseudonym": gettext_lazy("Pseudonym"),
        "drawn": gettext_lazy("Drawn"),
        "invitation": gettext_lazy("Invitation"),
        "commitment": gettext_lazy("Commitment of the draw"),
        "receipt": gettext_lazy("Receipt"),
        "id": gettext_lazy("Pseudonym"),
        "features": gettext_lazy("Answers"),
        "salt": gettext_lazy("Salt"),
        "micro_parliament": gettext_lazy("Micro-parliament"),
        "role": gettext_lazy("Role"),
        "public_name": gettext_lazy("Public name"),
        "name_shown_publicly": gettext_lazy("Name shown publicly"),
        "joined_on": gettext_lazy("Joined on"),
    }
