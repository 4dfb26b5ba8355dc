"""Page types of the network: its home, the communes, their pages and news."""

import copy
from dataclasses import dataclass

from django import forms
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Collection, Page, PagePermissionTester, Site
from wagtail.search import index

from mprc_cms import page_cache
from mprc_cms.feeds import FEED_PATH, FEED_ROUTE
from mprc_cms.modules import (
    communes_by_module,
    get_public_modules,
    index_pages_by_commune,
    without_removed_pages,
)
from mprc_cms.pagination import paginate_lazily
from mprc_cms.text import fold

from .blocks import BaseStreamBlock
from .blocks.rich_text import RESTRICTED_FEATURES
from .communes import COMMUNES_SLUG, HOME_CARDS, by_name, mark_running_modules
from .validators import (
    validate_email_sender_name,
    validate_insee_code,
    validate_postcode,
)

NEWS_PER_PAGE = 10
LATEST_NEWS_COUNT = 6


def latest_news(parent=None, count=LATEST_NEWS_COUNT):
    """The latest published news below ``parent`` (or across the network), each with its
    commune attached as ``news.commune`` — a fixed number of queries, however many
    communes and news items there are."""
    news = NewsPage.objects.live().public().select_related("image").defer_streamfields()
    if parent is not None:
        news = news.descendant_of(parent)
    news = list(
        news.order_by("-date", "-first_published_at").prefetch_related("image__renditions")[:count]
    )
    attach_communes(news)
    return news


def live_communes():
    """The published communes (title, address and path only), in the tree's order: a memo
    of the page cache, valid until anything changes. Callers get the shared instances:
    copy one before keeping it on a page of the request (:func:`attach_communes`)."""
    return page_cache.memo(
        "communes:live",
        [page_cache.ANY],
        lambda: list(CommunePage.objects.live().only("title", "url_path", "path")),
    )


def attach_communes(pages):
    """Set ``page.commune`` on each page from the memo of the communes (no query)."""
    if not pages:
        return pages
    communes = {c.path: c for c in live_communes()}
    for page in pages:
        page.commune = None
        for tree_path in page_cache.ancestor_paths(page.path):
            commune = communes.get(tree_path)
            if commune is not None:
                page.commune = copy.copy(commune)
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


# The legal pages of every site (the network's, and each commune's, under its address):
# routes of the site's root page (LegalPagesMixin), at these stable French addresses.
LEGAL_NOTICE_SLUG = "mentions-legales"
ACCESSIBILITY_SLUG = "accessibilite"
PRIVACY_SLUG = "donnees-personnelles"
LEGAL_SLUGS = (LEGAL_NOTICE_SLUG, ACCESSIBILITY_SLUG, PRIVACY_SLUG)
# The open data page of every site, a route of its root page too.
OPEN_DATA_SLUG = "donnees-ouvertes"


class SiteSectionPageForm(WagtailAdminPageForm):
    """The page editor's form of every public page: the addresses of the legal pages are
    kept free below the network home and the communes (a child page there would never be
    reached, the legal page's route coming first)."""

    def clean(self):
        cleaned_data = super().clean()
        slug = cleaned_data.get("slug")
        parent = getattr(self, "parent_page", None)
        if (
            slug in LEGAL_SLUGS
            and parent is not None
            and isinstance(parent.specific_deferred, LegalPagesMixin)
        ):
            self.add_error(
                "slug",
                _("The address “%(slug)s” is the site's legal page: choose another one.")
                % {"slug": slug},
            )
        elif (
            slug == OPEN_DATA_SLUG
            and parent is not None
            and isinstance(parent.specific_deferred, LegalPagesMixin)
        ):
            self.add_error(
                "slug",
                _("The address “%(slug)s” is the site's open data page: choose another one.")
                % {"slug": slug},
            )
        elif (
            slug == COMMUNES_SLUG
            and parent is not None
            and isinstance(parent.specific_deferred, NetworkHomePage)
        ):
            self.add_error(
                "slug",
                _("The address “%(slug)s” is the network's list of communes: choose another one.")
                % {"slug": slug},
            )
        return cleaned_data


class CommunePageForm(SiteSectionPageForm):
    """The page editor's form of a commune: a name another commune has already asks for a
    confirmation (two French communes may share a name, the INSEE code tells them apart),
    and an INSEE code already used is an error in French."""

    same_name = forms.BooleanField(
        label=_("Create it anyway"),
        required=False,
        help_text=_("Tick it if this is another commune of the same name."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The confirmation is only offered once a name already used was typed.
        if not self.is_bound or not self.namesakes(self.data.get("title", "")):
            self.fields.pop("same_name", None)

    def namesakes(self, title):
        from .onboarding import communes_named

        instance = self.instance
        if instance.pk and fold(title) == fold(instance.title):
            return []  # not renamed: it keeps the name it had
        return communes_named(title, exclude_pk=instance.pk)

    def clean(self):
        cleaned_data = super().clean()
        title = cleaned_data.get("title")
        namesakes = self.namesakes(title) if title else []
        if namesakes and not cleaned_data.get("same_name"):
            self.add_error("title", same_name_warning(namesakes))
        return cleaned_data

    def clean_insee_code(self):
        code = (self.cleaned_data.get("insee_code") or "").strip().upper()
        existing = CommunePage.objects.filter(insee_code=code).exclude(pk=self.instance.pk)
        if code and existing.exists():
            raise forms.ValidationError(insee_code_taken(existing.first()), code="exists")
        return code


def insee_code_taken(commune):
    return _("The commune %(commune)s already has the INSEE code %(code)s.") % {
        "commune": commune.title,
        "code": commune.insee_code,
    }


def same_name_warning(namesakes):
    """The warning shown when a commune is given a name that others already have."""
    communes = ", ".join(
        _("%(commune)s (INSEE %(code)s)") % {"commune": c.title, "code": c.insee_code}
        for c in namesakes
    )
    return ngettext(
        "A commune of this name already exists: %(communes)s. Two communes may share a "
        "name: if this is another one, tick “Create it anyway”.",
        "Communes of this name already exist: %(communes)s. Two communes may share a "
        "name: if this is another one, tick “Create it anyway”.",
        len(namesakes),
    ) % {"communes": communes}


def where(request):
    """What the addresses of pages depend on besides the pages: the site the visitor is on
    (a commune with its own hostname) and the language (``/en/`` addresses). Part of the
    names of the memos that hold addresses."""
    site = Site.find_for_request(request) if request is not None else None
    return f"{site.pk if site else '-'}:{translation.get_language()}"


@dataclass(frozen=True)
class MenuItem:
    """A link of the header's menu: plain data, kept in the page cache's memos."""

    pk: int
    title: str
    url: str


class SiteSectionMixin:
    """What every public page needs for its header: its commune and its menu."""

    base_form_class = SiteSectionPageForm

    @cached_property
    def commune(self):
        if isinstance(self.specific_deferred, CommunePage):
            return self.specific_deferred
        if self.depth <= 2:  # the network home and above: communes are its children
            return None
        return CommunePage.objects.ancestor_of(self).live().first()

    @cached_property
    def network_home(self):
        if isinstance(self.specific_deferred, NetworkHomePage):
            return self.specific_deferred
        return NetworkHomePage.objects.ancestor_of(self, inclusive=True).first()

    def breadcrumbs(self, request=None):
        """The links of the breadcrumbs (:class:`MenuItem`): the page's ancestors below
        the tree's root. A memo of the page cache, per site and language (:func:`where`)."""
        commune = self.commune
        scopes = page_cache.commune_scopes(commune) if commune else [page_cache.ANY]

        def compute():
            ancestors = self.get_ancestors().only("title", "url_path", "path")[1:]
            return [MenuItem(page.pk, page.title, page.get_url(request)) for page in ancestors]

        return page_cache.memo(f"breadcrumbs:{self.pk}:{where(request)}", scopes, compute)

    def get_view_restrictions(self):
        """Wagtail's, asked on every page served: whether any applies is a memo of the
        page cache (restrictions are rare; none is answered without a query)."""
        from wagtail.models import PageViewRestriction

        commune = self.__dict__.get("commune")
        scopes = page_cache.commune_scopes(commune) if commune else [page_cache.ANY]
        restrictions = super().get_view_restrictions
        restricted = page_cache.memo(
            f"view-restricted:{self.pk}", scopes, lambda: restrictions().exists()
        )
        if not restricted:
            return PageViewRestriction.objects.none()
        return restrictions()

    def route(self, request, path_components):
        """Wagtail's routing, in one query per level instead of two: which child has the
        slug is a memo of the page cache (for the versions of the commune the child
        belongs to, or of every change above the communes). The page routed to learns its
        commune and network home on the way: the header needs no query to find them."""
        if not path_components:
            return super().route(request, path_components)
        slug = path_components[0]
        commune = self if isinstance(self, CommunePage) else self.__dict__.get("commune")
        scopes = page_cache.commune_scopes(commune) if commune else [page_cache.ANY]
        children = self.get_children()

        def child():
            found = children.filter(slug=slug).values_list("pk", "content_type_id").first()
            if found is None:
                raise Http404  # not kept: unknown addresses do not fill the cache
            return found

        pk, content_type_id = page_cache.memo(f"child:{self.pk}:{slug}", scopes, child)
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            subpage = None
        elif len(path_components) > 1 and issubclass(model, SiteSectionMixin):
            # A page on the way (a commune, a projects page): a memo of the page cache, for
            # the versions its routing child was found with; each request gets a copy.
            subpage = copy.copy(
                page_cache.memo(
                    f"page-on-the-way:{pk}", scopes, lambda: model.objects.filter(pk=pk).first()
                )
            )
        else:
            # The page routed to: a memo too (its related rows that it names in
            # ``route_select_related`` with it), copied for each request like those on the
            # way: what a request sets on its page stays there.
            related = getattr(model, "route_select_related", ())
            subpage = copy.copy(
                page_cache.memo(
                    f"page-routed-to:{pk}",
                    scopes,
                    lambda: model.objects.select_related(*related).filter(pk=pk).first(),
                )
            )
        if (
            subpage is None
            or subpage.slug != slug
            or subpage.depth != self.depth + 1
            or not subpage.path.startswith(self.path)
        ):
            # A page of a module removed from the site, or moved or renamed since: Wagtail's.
            return super().route(request, path_components)
        subpage._cached_parent_obj = self
        home = self if isinstance(self, NetworkHomePage) else self.__dict__.get("network_home")
        known = {"network_home": home} if home is not None else {}
        if commune is not None:
            known["commune"] = commune
        elif not isinstance(subpage, CommunePage) and (
            isinstance(self, NetworkHomePage)
            or ("commune" in self.__dict__ and self.__dict__["commune"] is None)
        ):
            # Below the network's home, outside the communes (the library, the catalogue…).
            known["commune"] = None
        for name, value in known.items():
            if getattr(type(subpage), name, None) is getattr(SiteSectionMixin, name):
                subpage.__dict__.setdefault(name, value)
        return subpage.route(request, path_components[1:])

    def menu_items(self, request=None):
        """The links of the header's menu (:class:`MenuItem`): the commune's children
        shown in menus, or the network's but its communes (the menu links to the list of
        communes instead, so the header's height does not grow with the network). A memo
        of the page cache, per site and language (the addresses depend on them)."""
        commune = self.commune
        parent = commune or self.network_home
        if parent is None:
            return []
        scopes = page_cache.commune_scopes(commune) if commune else [page_cache.ANY]

        def compute():
            items = without_removed_pages(parent.get_children().live().public().in_menu())
            if commune is None:
                items = items.not_type(CommunePage)
            items = items.only("title", "url_path", "path")
            return [MenuItem(item.pk, item.title, item.get_url(request)) for item in items]

        return page_cache.memo(f"menu:{parent.pk}:{where(request)}", scopes, compute)


class LegalPagesMixin(RoutablePageMixin):
    """The legal pages of a site, as routes of its root page (the network home, or a
    commune, whether or not it has its own hostname): the legal notice, the accessibility
    statement and the personal data page, generated from the site's LegalInformation and
    from the modules it runs (``home/legal.py``)."""

    @path(f"{LEGAL_NOTICE_SLUG}/", name="legal_notice")
    def legal_notice_route(self, request):
        from .legal import legal_notice

        return legal_notice(request, self)

    @path(f"{ACCESSIBILITY_SLUG}/", name="accessibility")
    def accessibility_route(self, request):
        from .legal import accessibility_statement

        return accessibility_statement(request, self)

    @path(f"{PRIVACY_SLUG}/", name="privacy")
    def privacy_route(self, request):
        from .legal import privacy_policy

        return privacy_policy(request, self)

    @path(f"{OPEN_DATA_SLUG}/", name="open_data")
    def open_data_route(self, request):
        """The site's open data files (``mprc_cms/open_data``)."""
        from mprc_cms.open_data.views import open_data_page

        return open_data_page(request, self)

    def get_sitemap_urls(self, request=None):
        """The page, and its open data page once the files are built (the legal pages
        are linked from every page's footer and have nothing to index)."""
        urls = super().get_sitemap_urls(request)
        if urls:
            from mprc_cms.open_data.views import sitemap_entry

            entry = sitemap_entry(self, urls[0]["location"])
            if entry is not None:
                urls.append(entry)
        return urls


class NetworkHomePage(LegalPagesMixin, SiteSectionMixin, Page):
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

    @path(f"{COMMUNES_SLUG}/", name="communes")
    def communes_route(self, request):
        from .communes import communes_page

        return communes_page(request, self)

    def get_sitemap_urls(self, request=None):
        """The home, its open data page, and the list of communes."""
        urls = super().get_sitemap_urls(request)
        if urls:
            last_published = (
                CommunePage.objects.child_of(self)
                .live()
                .public()
                .aggregate(models.Max("last_published_at"))["last_published_at__max"]
            )
            urls.append(
                {
                    "location": urls[0]["location"] + self.reverse_subpage("communes"),
                    "lastmod": last_published or urls[0].get("lastmod"),
                }
            )
        return urls

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        modules = get_public_modules()

        def compute():
            communes = by_name(
                CommunePage.objects.child_of(self)
                .live()
                .public()
                .select_related("image")
                .defer_streamfields()
            )
            # The first communes' cards (by name, accents ignored, as on the list of
            # communes, which has them all).
            cards = communes[:HOME_CARDS]
            prefetch_related_objects(cards, "image__renditions")
            running = communes_by_module(communes, modules)
            mark_running_modules(cards, modules)
            for card in cards:  # plain data in the memo: modules are found again by key
                card.running_module_keys = [m.key for m in card.running_modules]
                del card.running_modules
            return {
                "communes": cards,
                "communes_count": len(communes),
                "latest_news": latest_news(),
                "overview": [(m.key, running.get(m.key, [])) for m in modules],
            }

        # A memo of the page cache: the overview shows every commune.
        found = page_cache.memo(f"network-home:{self.pk}", [page_cache.ANY], compute)
        by_key = {m.key: m for m in modules}
        for card in found["communes"]:
            card.running_modules = [by_key[k] for k in card.running_module_keys if k in by_key]
        context.update(
            communes=found["communes"],
            communes_count=found["communes_count"],
            latest_news=found["latest_news"],
            module_overview=[
                (by_key[key], running) for key, running in found["overview"] if key in by_key
            ],
            modules=modules,
        )
        return context


class CommunePage(LegalPagesMixin, SiteSectionMixin, Page):
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
        # Shown only after a name another commune has (CommunePageForm).
        FieldPanel("same_name"),
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
    base_form_class = CommunePageForm

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self):
        return self.title

    def route(self, request, path_components):
        """Nothing of a commune is public while the commune is not: neither its pages
        (which its staff may publish while they prepare it), nor its legal pages."""
        if not self.live:
            raise Http404
        return super().route(request, path_components)

    def permissions_for_user(self, user):
        return CommunePagePermissionTester(user, self)

    def with_content_json(self, content):
        """The commune's editors group and collection are set up by ``home.onboarding``,
        never edited: publishing (or reverting to) a revision saved before they were set up
        keeps them."""
        page = super().with_content_json(content)
        page.editors_group_id = self.editors_group_id
        page.collection_id = self.collection_id
        return page

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
        modules = get_public_modules()
        by_key = {m.key: m for m in modules}

        def compute():
            pages = index_pages_by_commune([self], modules, live_only=True)[self.pk]
            module_pages = [(m.key, pages[m.key], None) for m in modules if m.key in pages]
            # A module without an index page runs here when its requirements' index pages
            # are live (and the commune did not switch it off): only its commune_pages show.
            extensions = [m for m in modules if not m.has_index_page]
            running = set(pages) | set(communes_by_module([self], extensions) if extensions else ())
            for module in modules:
                if module.key in running and module.info.commune_pages:
                    module_pages.extend(
                        (module.key, page, str(text))
                        for page, text in import_string(module.info.commune_pages)(self)
                    )
            return {
                "latest_news": latest_news(self),
                "module_pages": module_pages,
                "news_index": NewsIndexPage.objects.child_of(self).live().first(),
            }

        # A memo of the page cache, per language (the modules' sentences are translated).
        key = f"commune-home:{self.pk}:{translation.get_language()}"
        found = page_cache.memo(key, page_cache.commune_scopes(self), compute)
        context.update(
            latest_news=found["latest_news"],
            module_pages=[
                (by_key[key], page, by_key[key].invitation if text is None else text)
                for key, page, text in found["module_pages"]
                if key in by_key
            ],
            news_index=found["news_index"],
        )
        return context


class CommunePagePermissionTester(PagePermissionTester):
    """A commune's staff may do on their commune's page what their page permissions give
    them, except two things only network coordinators do: publishing the commune for the
    first time (it then goes public; later publications are the staff's) and deleting it
    (``home/commune_removal.py``)."""

    @cached_property
    def is_coordinator(self):
        from mprc_cms.communes import is_network_coordinator

        # Kept on the user (one per request): a listing asks about every commune.
        if not hasattr(self.user, "_mprc_is_coordinator"):
            self.user._mprc_is_coordinator = is_network_coordinator(self.user)
        return self.user._mprc_is_coordinator

    def can_publish(self):
        if not super().can_publish():
            return False
        return self.page.first_published_at is not None or self.is_coordinator

    def can_delete(self, ignore_bulk=False):
        return super().can_delete(ignore_bulk=ignore_bulk) and self.is_coordinator


class StandardPage(SiteSectionMixin, Page):
    """A page of content: the town hall, the micro-parliament, practical information…"""

    route_select_related = ("image",)  # read with the page (route)

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


class NewsIndexPage(RoutablePageMixin, SiteSectionMixin, Page):
    """The news of a commune (or of the network); its route ``flux/`` is their Atom feed."""

    has_feed = True
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
            .defer_streamfields()
            .order_by("-date", "-first_published_at")
        )

        def load(news_page):
            # The pictures' renditions: read only when a card is rendered (not a fragment).
            news_page.object_list = page_cache.prefetch_on_miss(
                news_page.object_list, "image__renditions"
            )

        # Read when the list's fragment is rendered (home/news_index_page.html).
        context.update(news_page=paginate_lazily(request, news, NEWS_PER_PAGE, then=load))
        return context

    @path(FEED_PATH, name=FEED_ROUTE)
    def feed_route(self, request):
        from .feeds import NewsFeed

        return NewsFeed(self)(request)


class NewsPage(SiteSectionMixin, Page):
    route_select_related = ("image",)  # read with the page (route)
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


def one_per_line(text):
    """The non-empty lines of a text field that takes one item per line."""
    return [" ".join(line.split()) for line in (text or "").splitlines() if line.strip()]


class LegalInformation(models.Model):
    """What the legal pages of a site say: the facts a French public site must publish
    (LCEN article 6: publisher, director of publication, host; GDPR: the data protection
    officer; RGAA: the accessibility audit). One per site root — the network home and each
    commune —, created with it; every empty field has a default (the commune's town hall,
    the network's facts), so the pages make sense before anyone types anything. See
    ``home/legal.py``."""

    page = models.OneToOneField(
        Page, on_delete=models.CASCADE, related_name="legal_information", editable=False
    )

    publisher_name = models.CharField(
        _("publisher's name"),
        max_length=200,
        blank=True,
        help_text=_(
            "Who publishes the site. Empty: “Commune de …” for a commune, the network's "
            "name for the network."
        ),
    )
    publisher_address = models.TextField(
        _("publisher's address"),
        blank=True,
        help_text=_("Empty, for a commune: the town hall's address."),
    )
    publisher_phone = models.CharField(
        _("publisher's phone"),
        max_length=30,
        blank=True,
        help_text=_("Empty, for a commune: the town hall's phone."),
    )
    publisher_email = models.EmailField(
        _("publisher's e-mail"),
        blank=True,
        help_text=_("Empty, for a commune: the town hall's e-mail."),
    )
    publisher_registration = models.CharField(
        _("registration number"),
        max_length=100,
        blank=True,
        help_text=_("SIRET number, or RNA number for an association (optional)."),
    )
    publication_director = models.CharField(
        _("director of publication"),
        max_length=200,
        blank=True,
        help_text=_(
            "Name and function, e.g. “Claire Martin, mayor”. Empty, for a commune: the mayor."
        ),
    )
    host_name = models.CharField(
        _("host's name"),
        max_length=200,
        blank=True,
        help_text=_(
            "The company or association whose servers keep the site. Empty, for a commune: "
            "the network's host."
        ),
    )
    host_address = models.TextField(_("host's address"), blank=True)
    host_phone = models.CharField(_("host's phone"), max_length=30, blank=True)
    legal_notice_text = RichTextField(
        _("more for the legal notice"),
        features=RESTRICTED_FEATURES,
        blank=True,
        help_text=_("Added at the end of the legal notice: credits, intellectual property…"),
    )

    dpo_name = models.CharField(
        _("data protection officer's name"),
        max_length=200,
        blank=True,
        help_text=_(
            "A person or a service (a data protection officer shared by several communes, "
            "the centre de gestion…). Empty, for a commune: the network's."
        ),
    )
    dpo_email = models.EmailField(_("data protection officer's e-mail"), blank=True)
    dpo_address = models.TextField(_("data protection officer's postal address"), blank=True)
    privacy_text = RichTextField(
        _("more for the personal data page"),
        features=RESTRICTED_FEATURES,
        blank=True,
        help_text=_("Added after the list of processings of personal data."),
    )

    accessibility_audit_date = models.DateField(
        _("date of the accessibility audit"),
        null=True,
        blank=True,
        help_text=_(
            "Empty, for a commune: the network's audit, which covers the pages every commune "
            "shares. Without any audit, the site is declared non-compliant."
        ),
    )
    accessibility_auditor = models.CharField(
        _("audit carried out by"),
        max_length=200,
        blank=True,
        help_text=_("E.g. “the network's team (internal audit)”, or the auditing firm."),
    )
    accessibility_rate = models.DecimalField(
        _("RGAA criteria met (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_(
            "The conformity rate the audit found: 100 is fully compliant, 50 or more "
            "partially compliant, less non-compliant."
        ),
    )
    accessibility_sample = models.TextField(
        _("pages audited"), blank=True, help_text=_("One per line.")
    )
    accessibility_non_compliant = models.TextField(
        _("content not accessible"),
        blank=True,
        help_text=_(
            "One per line: what fails, and the alternative offered. A commune without an "
            "audit of its own shows the network's list, then its own."
        ),
    )
    accessibility_derogations = models.TextField(
        _("derogations for disproportionate burden"),
        blank=True,
        help_text=_("One per line (as the list above)."),
    )
    accessibility_exempt = models.TextField(
        _("content not subject to the obligation"),
        blank=True,
        help_text=_(
            "One per line (as the list above), e.g. office documents published before "
            "23 September 2018."
        ),
    )
    accessibility_environment = models.TextField(
        _("test environment"),
        blank=True,
        help_text=_(
            "One per line: the browsers and assistive technologies used, e.g. “NVDA with Firefox”."
        ),
    )
    accessibility_tools = models.TextField(
        _("tools used"), blank=True, help_text=_("One per line, e.g. “axe-core”.")
    )
    accessibility_declared_on = models.DateField(
        _("statement made on"),
        null=True,
        blank=True,
        help_text=_("Empty: the date of the audit."),
    )
    accessibility_email = models.EmailField(
        _("e-mail for accessibility problems"),
        blank=True,
        help_text=_("Where visitors report content they cannot reach. Empty: the publisher's."),
    )
    accessibility_text = RichTextField(
        _("more for the accessibility statement"),
        features=RESTRICTED_FEATURES,
        blank=True,
        help_text=_("E.g. the multi-year accessibility plan and this year's action plan."),
    )

    email_sender_name = models.CharField(
        _("e-mail sender name"),
        max_length=80,
        blank=True,
        validators=[validate_email_sender_name],
        help_text=_(
            "The name the site's e-mails come from, before their address. Empty: the "
            "commune's name for a commune, the network's name for the network."
        ),
    )

    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("legal information")
        verbose_name_plural = _("legal information")

    def __str__(self):
        return self.page.title if self.page_id else str(self._meta.verbose_name)


class ModuleSwitchOff(models.Model):
    """A module switched off for a commune (``home.onboarding.switch_module_off``), kept
    while it stays off: the pages the switch-off unpublished, which switching it on again
    republishes (pages its staff had unpublished themselves stay so).

    The foreign key is to the commune's Page row, not to CommunePage: a switch-off is no
    data of the commune, it does not stop the commune's deletion (``home.commune_removal``
    counts the records of models with a foreign key to CommunePage) and goes with it."""

    commune = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    module_key = models.CharField(max_length=100)
    unpublished_page_ids = models.JSONField(default=list, blank=True)
    switched_off_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "module_key"], name="home_module_switch_off_unique"
            )
        ]

    def __str__(self):
        return f"{self.module_key} off ({self.commune_id})"
