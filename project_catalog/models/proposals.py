"""Share back: a commune proposes one of its projects as a template for the network."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TemplateProposal(models.Model):
    class Kind(models.TextChoices):
        NEW_TEMPLATE = "new", _("A new template")
        NEW_VERSION = "version", _("A new version of its template")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        ACCEPTED = "accepted", _("Published")
        DECLINED = "declined", _("Declined")

    commune = models.ForeignKey(
        "home.CommunePage",
        verbose_name=_("commune"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    project = models.ForeignKey(
        "project_catalog.ProjectPage",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="proposals",
    )
    kind = models.CharField(_("proposal"), max_length=10, choices=Kind.choices)
    template = models.ForeignKey(
        "project_catalog.ProjectTemplatePage",
        verbose_name=_("template draft"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    message = models.TextField(
        _("message to the coordinators"),
        blank=True,
        help_text=_("What you would tell a commune that starts the same project."),
    )
    status = models.CharField(
        pgettext_lazy("template proposal", "status"),
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("proposed on"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed on"), null=True, blank=True)
    review_note = models.TextField(_("answer of the coordinators"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("template proposal")
        verbose_name_plural = _("template proposals")

    def __str__(self):
        return f"{self.project.title} ({self.get_kind_display()})"
