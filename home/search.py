"""Pages in the site search, and the folded text every page keeps for it.

Each page has a :class:`~home.models.PageSearchText` row: its title and searchable
content (the SearchFields its model declares, as Wagtail's own index uses, plus the
search description) folded by :func:`mprc_cms.text.fold`, and a plain summary for the
results. It is written whenever a page is saved with its content (not when a draft
revision is saved: the row then keeps the published content), and for the existing
pages by the migration that added it; :func:`index_pages` writes it for pages put in the
tree without ``save()`` (``bulk_create_pages`` in the tests and benchmarks).
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.db.models.signals import post_save
from django.utils.encoding import force_str
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, get_page_models
from wagtail.search import index

from mprc_cms.modules import without_removed_pages
from mprc_cms.search import SearchKind, SearchResult, excerpt, search_kind_classes
from mprc_cms.text import fold

from .models import PageSearchText, StandardPage, attach_communes

SUMMARY_LENGTH = 400


def _plain(value):
    """A SearchField's value as text (rich text and streams give lists of strings)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return " ".join(_plain(item) for item in value)
    if isinstance(value, dict):
        return " ".join(_plain(item) for item in value.values())
    return force_str(value)


def _field_texts(obj, field):
    """(field name, text) of each SearchField of ``field`` (RelatedFields included)."""
    if isinstance(field, index.SearchField):
        yield field.field_name, _plain(field.get_value(obj))
    elif isinstance(field, index.RelatedFields):
        related = field.get_value(obj)
        if related is None:
            return
        if hasattr(related, "all"):
            related = related.all()
        elif callable(related):
            related = [related()]
        else:
            related = [related]
        for item in related:
            for sub_field in field.fields:
                yield from _field_texts(item, sub_field)


def searched_field_names(model):
    """The fields whose change changes the page's search text."""
    names = {"title", "search_description"}
    for field in model.get_search_fields():
        if isinstance(field, index.SearchField | index.RelatedFields):
            names.add(field.field_name)
    return names


def page_search_text(page):
    """The :class:`PageSearchText` of ``page`` (a specific page), not saved."""
    texts = [
        (name, " ".join(text.split()))
        for field in page.get_search_fields()
        for name, text in _field_texts(page, field)
    ]
    texts = [(name, text) for name, text in texts if text]
    body = [text for name, text in texts if name != "title"]
    description = " ".join((page.search_description or "").split())
    summary = description or (body[0] if body else "")
    return PageSearchText(
        page_id=page.pk,
        search_title=fold(page.title),
        search_text=fold(" ".join([page.title, description, *body])),
        summary=summary[:SUMMARY_LENGTH],
    )


def index_pages(pages):
    """Write the search text of ``pages`` (specific pages), in one query."""
    rows = [page_search_text(page) for page in pages]
    PageSearchText.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["page"],
        update_fields=["search_title", "search_text", "summary"],
    )
    return rows


def _page_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    if update_fields is not None and not searched_field_names(sender) & set(update_fields):
        return  # a draft revision, a move, a lock…: the published content is unchanged
    model = instance.specific_class or type(instance)
    if update_fields is not None or type(instance) is not model:
        # Only what was written counts: read the page as it is now stored.
        instance = model.objects.filter(pk=instance.pk).first()
        if instance is None:
            return
    index_pages([instance])


def connect_signals():
    for model in get_page_models():
        uid = f"home.search.{model._meta.label}"
        post_save.connect(_page_saved, sender=model, dispatch_uid=uid)


class PageKind(SearchKind):
    """The published pages that no other kind shows (a module's projects, for example,
    are their own kind)."""

    key = "pages"
    label = _("Pages")
    item_label = _("Page")
    title_field = "folded__search_title"
    text_field = "folded__search_text"
    order_by = (F("last_published_at").desc(nulls_last=True), "path")

    def records(self):
        claimed = {
            apps.get_model(label) if isinstance(label, str) else label
            for kind in search_kind_classes()
            for label in kind.page_models
        }
        models = [m for m in get_page_models() if m is not Page and m not in claimed]
        content_types = ContentType.objects.get_for_models(*models).values()
        pages = Page.objects.live().public().filter(content_type__in=content_types)
        return self.scope.within(without_removed_pages(pages)).select_related("folded")

    def page_label(self, page):
        model = page.specific_class
        if model is None or model is StandardPage:
            return self.item_label
        return capfirst(model._meta.verbose_name)

    def results(self, records, request):
        pages = attach_communes(list(records))
        return [
            SearchResult(
                title=page.title,
                url=page.get_url(request),
                kind_label=self.page_label(page),
                commune=page.commune.title if page.commune and page.commune.pk != page.pk else "",
                excerpt=excerpt(page.folded.summary),
            )
            for page in pages
        ]
