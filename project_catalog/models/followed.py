"""Libraries of other networks that this network follows through their public API: their
new templates and versions arrive as proposals (rows of the template file exchange) that a
coordinator accepts or declines (project_catalog/library_follow.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FollowedLibrary(models.Model):
    name = models.CharField(_("network"), max_length=150)
    url = models.URLField(
        _("site address"),
        max_length=300,
        unique=True,
        help_text=_("The address of the other network's site, e.g. https://reseau.example.org/"),
    )
    created_at = models.DateTimeField(_("followed since"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("followed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_sync_at = models.DateTimeField(_("last synchronisation"), null=True, blank=True)
    last_sync_ok = models.BooleanField(_("last synchronisation succeeded"), null=True)
    last_sync_message = models.TextField(_("outcome of the last synchronisation"), blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("followed library")
        verbose_name_plural = _("followed libraries")

    def __str__(self):
        return self.name


class LibraryProposal(models.Model):
    """A template, or a new version of one, offered by a followed library."""

    class Kind(models.TextChoices):
        NEW_TEMPLATE = "new", _("A new template")
        UPDATE = "update", _("A template of the library, changed")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        # A newer version of the same template arrived before this one was reviewed.
        SUPERSEDED = "superseded", _("Replaced by a newer version")

    library = models.ForeignKey(
        FollowedLibrary,
        verbose_name=_("followed library"),
        on_delete=models.CASCADE,
        related_name="proposals",
    )
    remote_id = models.PositiveIntegerField(_("id in the other network"))
    remote_url = models.URLField(_("address in the other network"), max_length=500)
    version = models.PositiveSmallIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=255)
    kind = models.CharField(_("proposal"), max_length=10, choices=Kind.choices)
    # The template as a row of the template file (column → value): accepting it imports
    # that row as a file would (ProjectTemplateResource).
    row = models.JSONField(_("content"), editable=False)
    status = models.CharField(
        pgettext_lazy("template proposal", "status"),
        max_length=12,
        choices=Status.choices,
        default=Status.PENDING,
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
    template = models.ForeignKey(
        "project_catalog.ProjectTemplatePage",
        verbose_name=_("template of the library"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["library", "remote_id", "version"], name="unique_library_proposal"
            )
        ]
        verbose_name = _("proposal of a followed library")
        verbose_name_plural = _("proposals of followed libraries")

    def __str__(self):
        return f"{self.title} — v{self.version}"
