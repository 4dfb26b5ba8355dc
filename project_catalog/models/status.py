from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectStatus(models.TextChoices):
    """Where a project stands on the MPRC path, or off it."""

    IDEA = "idea", _("Idea")
    DIAGNOSTIC = "diagnostic", _("Diagnostic")
    COCONSTRUCTION = "coconstruction", _("Co-construction")
    ACTION = "action", _("In action")
    COMPLETED = "completed", _("Completed")
    PAUSED = "paused", _("Paused")
    ABANDONED = "abandoned", _("Abandoned")


# The MPRC path, in order; a project may also be paused or abandoned on the way.
PATH = [
    ProjectStatus.IDEA,
    ProjectStatus.DIAGNOSTIC,
    ProjectStatus.COCONSTRUCTION,
    ProjectStatus.ACTION,
    ProjectStatus.COMPLETED,
]
