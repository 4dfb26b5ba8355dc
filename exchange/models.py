"""The service-exchange board: its page in each commune, the posts, reports, relayed
contacts and the weekly digest's subscribers.

Posts hold plain text only: they are escaped on output and no link in them is ever made
clickable. A post's personal data (first name, e-mail, phone) lives in its row alone and
goes with it: posts are erased a while after they leave the board (``listings.daily``).
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from home.blocks.rich_text import RESTRICTED_FEATURES
from home.models import SiteSectionMixin
from mprc_cms.channels import Channel
from mprc_cms.text import fold

DEFAULT_LISTING_DAYS = 30
DIGEST_INTERVAL = timedelta(days=7)


class ServiceCategory(models.Model):
    """A kind of help (gardening, childcare…), shared by every commune's board.

    The usual ones are created by a migration; network coordinators add more in the admin.
    """

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(
        _("slug"), max_length=80, unique=True, help_text=_("The category's name in web addresses.")
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")

    def __str__(self):
        return self.name


def default_intro():
    return "<p>{}</p>".format(
        gettext(
            "Neighbours help each other here: offer a hand with the garden, a lift to the "
            "market, an hour of computer help — or ask for one. Answer a post with the form "
            "on its page: your message is passed on, and no e-mail address is ever shown."
        )
    )


def default_rules():
    return "<ul>{}</ul>".format(
        "".join(
            f"<li>{rule}</li>"
            for rule in (
                gettext("Exchanges between neighbours are free, or at cost price."),
                gettext("No advertising, no sales, no professional services."),
                gettext(
                    "Be courteous; the town hall removes any post that does not respect these "
                    "rules."
                ),
                gettext("Never send money or your bank details to someone you do not know."),
            )
        )
    )


class ServiceExchangePage(RoutablePageMixin, SiteSectionMixin, Page):
    """“Service exchange”: the commune's board, its forms and each poster's private pages."""

    intro = RichTextField(
        _("introduction"), features=RESTRICTED_FEATURES, blank=True, default=default_intro
    )
    rules = RichTextField(
        _("rules of the board"),
        features=RESTRICTED_FEATURES,
        blank=True,
        default=default_rules,
        help_text=_("Shown on the board and above the form to post."),
    )
    requires_approval = models.BooleanField(
        _("new posts wait for approval"),
        default=True,
        help_text=_(
            "When ticked, a confirmed post appears only once the town hall has approved it "
            "(and again after each change). Otherwise it appears at once, and staff "
            "moderate afterwards."
        ),
    )
    listing_days = models.PositiveSmallIntegerField(
        _("days a post stays on the board"),
        default=DEFAULT_LISTING_DAYS,
        validators=[MinValueValidator(7), MaxValueValidator(90)],
        help_text=_(
            "From its publication or renewal. A few days before the end, the poster is invited "
            "by e-mail to renew it."
        ),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("rules")]
    settings_panels_board = [
        MultiFieldPanel(
            [FieldPanel("requires_approval"), FieldPanel("listing_days")],
            heading=_("Moderation and duration"),
        )
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(settings_panels_board, heading=_("Moderation")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    parent_page_types = ["home.CommunePage"]
    subpage_types = []
    max_count_per_parent = 1
    template = "exchange/board.html"

    class Meta:
        verbose_name = _("service exchange board")
        verbose_name_plural = _("service exchange boards")

    def hamlets(self):
        commune = self.commune
        return commune.hamlet_list() if commune is not None else []

    def subpage_url(self, request, name, *args):
        """The path of one of the page's routes, e.g. ``("manage", token)``."""
        return self.get_url(request) + self.reverse_subpage(name, args=args)

    # Routes: the views live in exchange/views.py.

    @path("")
    def board(self, request):
        from .views import board

        return board(request, self)

    @path("annonce/<int:pk>/")
    def listing(self, request, pk):
        from .views import listing_detail

        return listing_detail(request, self, pk)

    @path("annonce/<int:pk>/signaler/")
    def report(self, request, pk):
        from .views import report

        return report(request, self, pk)

    @path("publier/")
    def post(self, request):
        from .views import post

        return post(request, self)

    @path("publier/envoye/")
    def posted(self, request):
        from .views import posted

        return posted(request, self)

    @path("confirmer/<str:token>/")
    def confirm(self, request, token):
        from .views import confirm

        return confirm(request, self, token)

    @path("gerer/<str:token>/")
    def manage(self, request, token):
        from .views import manage

        return manage(request, self, token)

    @path("gerer/<str:token>/supprimer/")
    def delete_post(self, request, token):
        from .views import delete_post

        return delete_post(request, self, token)

    @path("mes-annonces/")
    def link_request(self, request):
        from .views import link_request

        return link_request(request, self)

    @path("lettre/")
    def digest(self, request):
        from .views import digest_subscribe

        return digest_subscribe(request, self)

    @path("lettre/confirmer/<str:token>/")
    def digest_confirm(self, request, token):
        from .views import digest_confirm

        return digest_confirm(request, self, token)


class Kind(models.TextChoices):
    OFFER = "offer", pgettext_lazy("service post", "Offer")
    REQUEST = "request", pgettext_lazy("service post", "Request")


class ListingStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Waiting for the e-mail confirmation")
    PENDING = "pending", _("Waiting for approval")
    PUBLISHED = "published", pgettext_lazy("service post", "Published")
    REJECTED = "rejected", pgettext_lazy("service post", "Rejected")
    HIDDEN = "hidden", pgettext_lazy("service post", "Hidden")
    DONE = "done", pgettext_lazy("service post", "Done")


class ListingQuerySet(models.QuerySet):
    def on_board(self, today=None):
        """Posts residents see: published and not expired."""
        today = today or timezone.localdate()
        return self.filter(status=ListingStatus.PUBLISHED, expires_on__gte=today)

    def with_open_reports(self):
        return self.annotate(
            open_reports=models.Count("reports", filter=models.Q(reports__resolved_at=None))
        )


class ServiceListing(models.Model):
    """An offer of or a request for help, posted by a resident without an account."""

    commune = models.ForeignKey(
        "home.CommunePage", verbose_name=_("commune"), on_delete=models.CASCADE, related_name="+"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    category = models.ForeignKey(
        ServiceCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), max_length=2000)
    hamlet = models.CharField(_("hamlet"), max_length=100, blank=True)
    availability = models.CharField(_("availability"), max_length=200, blank=True)
    first_name = models.CharField(_("first name"), max_length=60)
    # Empty for a post staff typed for a resident without e-mail.
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    show_phone = models.BooleanField(_("phone shown on the post"), default=False)
    # How the post reached the town hall: online, or typed by staff for a resident (and
    # by whom).
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    status = models.CharField(
        pgettext_lazy("service post", "status"),
        max_length=12,
        choices=ListingStatus.choices,
        default=ListingStatus.UNCONFIRMED,
        db_index=True,
    )
    moderation_note = models.TextField(_("reason given to the poster"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("posted at"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    expires_on = models.DateField(_("on the board until"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("renewal reminder sent at"), null=True, blank=True)
    closed_at = models.DateTimeField(
        _("left the board at"),
        null=True,
        blank=True,
        help_text=_("When the post was rejected, hidden or marked as done."),
    )

    # The title, and the title with the description and hamlet, folded (lower case, no
    # accents) for the board's and the site's search: « marche » finds « Marché » on every
    # database.
    search_title = models.TextField(editable=False, blank=True, default="")
    search_text = models.TextField(editable=False, blank=True)

    objects = ListingQuerySet.as_manager()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["commune", "status", "expires_on"], name="exchange_listing_board"),
            models.Index(fields=["commune", "published_at"], name="exchange_listing_published"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.set_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_title", "search_text"}
        super().save(*args, **kwargs)

    def set_search_text(self):
        """Set what ``save()`` derives (call it before ``bulk_create``)."""
        self.search_title = fold(self.title)
        self.search_text = fold(" ".join((self.title, self.description, self.hamlet)))
        return self

    @property
    def is_expired(self):
        return self.expires_on is not None and self.expires_on < timezone.localdate()

    @property
    def is_on_board(self):
        return self.status == ListingStatus.PUBLISHED and not self.is_expired

    def get_state_display(self):
        """The status as staff read it: a published post past its date is «Expired»."""
        if self.status == ListingStatus.PUBLISHED and self.is_expired:
            return pgettext("service post", "Expired")
        return self.get_status_display()

    @property
    def shown_phone(self):
        return self.phone if self.show_phone else ""


class ReportReason(models.TextChoices):
    SCAM = "scam", _("Scam or attempt to obtain money")
    COMMERCIAL = "commercial", _("Advertising or professional service")
    OFFENSIVE = "offensive", _("Offensive or discriminatory content")
    PERSONAL_DATA = "personal_data", _("Someone else's personal information")
    OUTDATED = "outdated", _("No longer relevant")
    OTHER = "other", _("Other reason")


class ListingReport(models.Model):
    """A resident's report of a post; the reporter is not recorded."""

    # No public page shows these rows (mprc_cms.page_cache): an anonymous form's
    # record purges nothing.
    shown_on_public_pages = False

    listing = models.ForeignKey(
        ServiceListing, verbose_name=_("post"), on_delete=models.CASCADE, related_name="reports"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices)
    comment = models.TextField(_("resident's comment"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("dealt with at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dealt with by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = pgettext_lazy("of a post", "report")
        verbose_name_plural = pgettext_lazy("of a post", "reports")
        ordering = ["-created_at"]

    def __str__(self):
        return self.get_reason_display()


class ContactRelay(models.Model):
    """That a message was passed on to a poster, and when: never the message itself, nor
    who sent it (the body lives only in the e-mail queue, purged once sent)."""

    # No public page shows these rows (mprc_cms.page_cache): an anonymous form's
    # record purges nothing.
    shown_on_public_pages = False

    listing = models.ForeignKey(ServiceListing, on_delete=models.CASCADE, related_name="contacts")
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("relayed message")
        verbose_name_plural = _("relayed messages")

    def __str__(self):
        return f"{self.listing_id} {self.sent_at:%Y-%m-%d %H:%M}"


class DigestSubscription(models.Model):
    """A resident who asked for the weekly e-mail of the board's new posts."""

    # No public page shows these rows (mprc_cms.page_cache): an anonymous form's
    # record purges nothing.
    shown_on_public_pages = False

    commune = models.ForeignKey(
        "home.CommunePage", verbose_name=_("commune"), on_delete=models.CASCADE, related_name="+"
    )
    email = models.EmailField(_("e-mail"))
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("last digest sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("digest subscription")
        verbose_name_plural = _("digest subscriptions")
        constraints = [
            models.UniqueConstraint("commune", Lower("email"), name="exchange_digest_unique_email")
        ]

    def __str__(self):
        return self.email

    def digest_window_start(self, now):
        """Posts published since then go into the next digest: since the last one, or
        over the last week for the first."""
        return self.last_sent_at or now - DIGEST_INTERVAL

    def digest_due(self, now):
        """A week has passed since the last digest (with an hour's slack for the cron)."""
        return self.last_sent_at is None or now - self.last_sent_at >= DIGEST_INTERVAL - (
            timedelta(hours=1)
        )
