"""Page types of the network: its home, the communes, their pages and news."""

from django.contrib.auth.models import Group
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Collection, Page
from wagtail.search import index

from mprc_cms.modules import communes_by_module, get_modules, index_pages_by_commune
from mprc_cms.pagination import paginate

from .blocks import BaseStreamBlock
from .blocks.rich_text import RESTRICTED_FEATURES
from .validators import validate_insee_code, validate_postcode

NEWS_PER_PAGE = 10
LATEST_NEWS_COUNT = 6


def latest_news(parent=None, count=LATEST_NEWS_COUNT):
    """The latest published news below ``parent`` (or across the network), each with its
    commune attached as ``news.commune`` — a fixed number of queries, however many
    communes and news items there are."""
    news = NewsPage.objects.live().public().select_related("image")
    if parent is not None:
        news = news.descendant_of(parent)
    news = list(
        news.order_by("-date", "-first_published_at").prefetch_related("image__renditions")[:count]
    )
    attach_communes(news)
    return news


def attach_communes(pages):
    """Set ``page.commune`` on each page from one query over the communes."""
    if not pages:
        return pages
    communes = {c.path: c for c in CommunePage.objects.live().only("title", "url_path", "path")}
    steplen = Page.steplen
    for page in pages:
        page.commune = None
        for depth in range(len(page.path) // steplen, 0, -1):
            commune = communes.get(page.path[: depth * steplen])
            if commune is not None:
                page.commune = commune
                break
    return pages


def image_field():
    """The optional main picture of a page."""
    return models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


class SiteSectionMixin:
    """What every public page needs for its header: its commune and its menu."""

    @cached_property
    def commune(self):
        if isinstance(self.specific_deferred, CommunePage):
            return self.specific_deferred
        return CommunePage.objects.ancestor_of(self).live().first()

    @cached_property
    def network_home(self):
        return NetworkHomePage.objects.ancestor_of(self, inclusive=True).first()

    def menu_items(self):
        parent = self.commune or self.network_home
        if parent is None:
            return Page.objects.none()
        return parent.get_children().live().public().in_menu().only("title", "url_path", "path")


class NetworkHomePage(SiteSectionMixin, Page):
    """The network's home: its communes, the latest news, who runs which module."""

    intro = RichTextField(_("introduction"), features=RESTRICTED_FEATURES, blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("network home page")
        verbose_name_plural = _("network home pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        communes = list(
            CommunePage.objects.child_of(self)
            .live()
            .public()
            .select_related("image")
            .order_by("title")
            .prefetch_related("image__renditions")
        )
        modules = get_modules()
        running = communes_by_module(communes, modules)
        pages = index_pages_by_commune(communes, modules, live_only=True)
        for commune in communes:
            commune.running_modules = [m for m in modules if m.key in pages[commune.pk]]
        context.update(
            communes=communes,
            latest_news=latest_news(),
            module_overview=[(m, running.get(m.key, [])) for m in modules],
            modules=modules,
        )
        return context


class CommunePage(SiteSectionMixin, Page):
    """A commune of the network; everything the commune publishes sits below it."""

    insee_code = models.CharField(
        _("INSEE code"),
        max_length=5,
        unique=True,
        validators=[validate_insee_code],
        help_text=_("The commune's official code (code officiel géographique), e.g. 71270."),
    )
    postcode = models.CharField(_("postcode"), max_length=5, validators=[validate_postcode])
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    epci = models.CharField(
        _("intercommunality"),
        max_length=200,
        blank=True,
        help_text=_("The communauté de communes (EPCI) the commune belongs to."),
    )
    intro = models.TextField(_("introduction"), blank=True, max_length=600)
    image = image_field()
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)
    address = models.TextField(_("town hall address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    opening_hours = models.TextField(_("opening hours"), blank=True)
    hamlets = models.TextField(
        _("hamlets and parts of the commune"),
        blank=True,
        help_text=_(
            "One per line (e.g. Le Bourg, Les Granges, La Croix-Blanche). Residents choose "
            "among them in the commune's forms; leave empty if the commune has none."
        ),
    )

    # Set up by home.onboarding when the commune is created.
    editors_group = models.ForeignKey(
        Group, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    collection = models.ForeignKey(
        Collection,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("insee_code"),
                FieldPanel("postcode"),
                FieldPanel("population"),
                FieldPanel("epci"),
            ],
            heading=_("Identity"),
        ),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
        FieldPanel("hamlets"),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldPanel("phone"),
                FieldPanel("email"),
                FieldPanel("opening_hours"),
            ],
            heading=_("Town hall"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.AutocompleteField("insee_code"),
        index.FilterField("insee_code"),
    ]

    parent_page_types = ["home.NetworkHomePage"]

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self):
        return self.title

    def hamlet_list(self):
        """The commune's hamlets, in the order staff wrote them, without blanks or repeats."""
        names = []
        for line in self.hamlets.splitlines():
            name = " ".join(line.split())
            if name and name.casefold() not in {n.casefold() for n in names}:
                names.append(name)
        return names

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        modules = get_modules()
        pages = index_pages_by_commune([self], modules, live_only=True)[self.pk]
        context.update(
            latest_news=latest_news(self),
            module_pages=[(m, pages[m.key]) for m in modules if m.key in pages],
            news_index=NewsIndexPage.objects.child_of(self).live().first(),
        )
        return context


class StandardPage(SiteSectionMixin, Page):
    """A page of content: the town hall, the micro-parliament, practical information…"""

    intro = models.TextField(_("introduction"), blank=True, max_length=600)
    image = image_field()
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["home.NetworkHomePage", "home.CommunePage", "home.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")


class NewsIndexPage(SiteSectionMixin, Page):
    intro = models.TextField(_("introduction"), blank=True, max_length=600)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["home.NetworkHomePage", "home.CommunePage"]
    subpage_types = ["home.NewsPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("news index page")
        verbose_name_plural = _("news index pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        news = (
            NewsPage.objects.child_of(self)
            .live()
            .public()
            .select_related("image")
            .order_by("-date", "-first_published_at")
        )
        news_page = paginate(request, news, NEWS_PER_PAGE)
        news_page.object_list = list(news_page.object_list.prefetch_related("image__renditions"))
        context.update(news_page=news_page)
        return context


class NewsPage(SiteSectionMixin, Page):
    date = models.DateField(_("date"), default=timezone.localdate)
    intro = models.TextField(
        _("summary"), max_length=400, help_text=_("One or two sentences shown in news lists.")
    )
    image = image_field()
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["home.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")
        ordering = ["-date"]


class PageSearchText(models.Model):
    """A page's searchable content folded (no accents, lower case: « Église » → eglise),
    for the site search and the word search of the public lists: plain ``contains``
    filters then match the same on SQLite and PostgreSQL. Written whenever a page is
    saved (``home/search.py``), from its title, search description and SearchFields."""

    page = models.OneToOneField(
        Page, primary_key=True, on_delete=models.CASCADE, related_name="folded"
    )
    search_title = models.TextField(blank=True)
    # The title and every searchable text of the page.
    search_text = models.TextField(blank=True)
    # Plain text (not folded) shown under the page in the results.
    summary = models.TextField(blank=True)

    def __str__(self):
        return self.search_title
