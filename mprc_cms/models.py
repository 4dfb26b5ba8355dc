import uuid

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RateLimitHit(models.Model):
    """One use of a rate-limited public action (see mprc_cms.ratelimit).

    ``key`` is a keyed hash of what is limited (an IP address, an e-mail address), never
    the value itself; hits older than their window are deleted as new ones arrive.
    """

    # No public page shows these rows (mprc_cms.page_cache).
    shown_on_public_pages = False

    scope = models.CharField(_("scope"), max_length=60)
    key = models.CharField(_("key"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("rate-limit hit")
        verbose_name_plural = _("rate-limit hits")
        indexes = [models.Index(fields=["scope", "key", "created_at"])]

    def __str__(self):
        return f"{self.scope} {self.created_at:%Y-%m-%d %H:%M}"


class FollowFrequency(models.TextChoices):
    WEEKLY = "weekly", _("One e-mail a week at most")
    EACH = "each", _("At each new development")


class Follower(models.Model):
    """A resident who follows a page by e-mail (``mprc_cms.following``): confirmed by the
    link of the e-mail sent when they asked (double opt-in), erased when they stop or when
    they never confirmed within a week."""

    # No public page shows these rows (mprc_cms.page_cache).
    shown_on_public_pages = False

    email = models.EmailField(_("e-mail"))
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    frequency = models.CharField(
        _("frequency"),
        max_length=10,
        choices=FollowFrequency.choices,
        default=FollowFrequency.WEEKLY,
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("last sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.UniqueConstraint(
                "page", Lower("email"), name="mprc_cms_follower_unique_page_email"
            )
        ]

    def __str__(self):
        return f"{self.page_id} {self.get_frequency_display()}"


class FollowUpdate(models.Model):
    """What happened on a followed page (``mprc_cms.following.announce``): what the next
    e-mails to its followers list. Erased after 60 days."""

    # No public page shows these rows (mprc_cms.page_cache).
    shown_on_public_pages = False

    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    title = models.CharField(_("title"), max_length=255)
    text = models.TextField(_("text"), blank=True)
    url = models.URLField(_("address"), blank=True, max_length=500)

    class Meta:
        verbose_name = _("update of a followed page")
        verbose_name_plural = _("updates of followed pages")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.title
