"""Consent: the exact text each person agreed to, when, and how."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from ..choices import ConsentMethod


class ConsentText(models.Model):
    """One version of a commune's consent text, kept as shown to residents."""

    commune = models.ForeignKey(
        "home.CommunePage", verbose_name=_("commune"), on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("text"))
    digest = models.CharField(_("SHA-256 of the text"), max_length=64)
    created_at = models.DateTimeField(_("first shown on"), default=timezone.now)

    # On no public page (see Pool).
    shown_on_public_pages = False

    class Meta:
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "digest"], name="participation_consent_text_unique"
            )
        ]

    def __str__(self):
        return _("Version %(digest)s of %(date)s") % {
            "digest": self.digest[:8],
            "date": formats.date_format(timezone.localtime(self.created_at), "SHORT_DATE_FORMAT"),
        }

    @staticmethod
    def digest_of(text):
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @classmethod
    def for_text(cls, commune, text):
        """The stored version of ``text`` for the commune, created the first time it is used."""
        version, _created = cls.objects.get_or_create(
            commune=commune, digest=cls.digest_of(text), defaults={"text": text}
        )
        return version


class ConsentRecord(models.Model):
    """A person's consent to be on the volunteer list: which text, when, how."""

    volunteer = models.ForeignKey(
        "participation.Volunteer",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="consents",
    )
    consent_text = models.ForeignKey(
        ConsentText, verbose_name=_("text agreed to"), on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField(_("how"), max_length=20, choices=ConsentMethod.choices)
    given_at = models.DateTimeField(_("given on"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Personal data, on no public page (see Pool): erased with its person without a
    # signal per record.
    shown_on_public_pages = False

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["given_at"]

    def __str__(self):
        return self.describe()

    def describe(self):
        given = formats.date_format(timezone.localtime(self.given_at), "SHORT_DATETIME_FORMAT")
        # The text's version by its date, as people tell versions apart (its fingerprint
        # is in the personal data file).
        version = formats.date_format(
            timezone.localtime(self.consent_text.created_at), "SHORT_DATE_FORMAT"
        )
        text = _("%(method)s, %(date)s, text of %(version)s") % {
            "method": self.get_method_display(),
            "date": given,
            "version": version,
        }
        if self.confirmed_at:
            confirmed = formats.date_format(
                timezone.localtime(self.confirmed_at), "SHORT_DATETIME_FORMAT"
            )
            text = _("%(text)s, confirmed %(date)s") % {"text": text, "date": confirmed}
        if self.recorded_by_id:
            recorder = self.recorded_by
            name = recorder.get_full_name() or recorder.get_username()
            text = _("%(text)s, recorded by %(name)s") % {"text": text, "name": name}
        return text
