"""The search text of the pages that existed before ``PageSearchText``; from now on it is
written whenever a page is saved (``home/search.py``).

A copy of ``mprc_cms.text.fold`` and ``home.search.page_search_text`` as they were
written with this migration, reading the SearchFields that each page type declared then,
so that later changes to the code do not change what the migration does. A page type not
listed here, or whose app is not installed, gets its title and search description."""

import html
import re
import unicodedata

from django.db import migrations
from django.utils.encoding import force_str
from django.utils.html import strip_tags
from wagtail import blocks

SUMMARY_LENGTH = 400

# (app label, model) → its SearchFields besides the title, when this migration was written.
SEARCH_FIELDS = {
    ("home", "networkhomepage"): ("intro", "body"),
    ("home", "communepage"): ("intro", "body"),
    ("home", "standardpage"): ("intro", "body"),
    ("home", "newspage"): ("intro", "body"),
    ("project_catalog", "projecttemplatepage"): ("summary", "problem", "steps", "roles", "origin"),
    ("project_catalog", "projectpage"): ("summary", "need", "place", "body", "results"),
    ("participation", "microparliamentpage"): ("intro", "mandate", "cycle_name"),
}

_NOT_WORD = re.compile(r"[^0-9a-z]+")
_BLOCK_END = re.compile(r"(</(p|h\d|li|blockquote)>)", flags=re.IGNORECASE)
_BREAK = re.compile(r"(<(br|hr)\s*/>)", flags=re.IGNORECASE)


def _fold(text):
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return " ".join(_plain(item) for item in value)
    if isinstance(value, dict):
        return " ".join(_plain(item) for item in value.values())
    return force_str(value)


def _block_text(block, value):
    """A block's searchable text, without the labels of choices (layout, not words)."""
    if value is None or isinstance(block, blocks.ChoiceBlock | blocks.MultipleChoiceBlock):
        return []
    if isinstance(block, blocks.StreamBlock):
        return [text for child in value for text in _block_text(child.block, child.value)]
    if isinstance(block, blocks.StructBlock):
        return [
            text
            for name, child in block.child_blocks.items()
            for text in _block_text(child, value.get(name))
        ]
    if isinstance(block, blocks.ListBlock):
        return [text for item in value for text in _block_text(block.child_block, item)]
    return block.get_searchable_content(value)


def _field_text(obj, name):
    field = obj._meta.get_field(name)
    value = field.value_from_object(obj)
    if type(field).__name__ == "RichTextField":
        source = _BREAK.sub(r"\1 ", _BLOCK_END.sub(r"\1 ", force_str(value or "")))
        value = html.unescape(strip_tags(source).strip())
    elif hasattr(field, "stream_block"):  # a StreamField
        value = _block_text(field.stream_block, value)
    return " ".join(_plain(value).split())


def fill(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    ContentType = apps.get_model("contenttypes", "ContentType")
    PageSearchText = apps.get_model("home", "PageSearchText")
    by_type = {}
    for page in Page.objects.only("pk", "title", "search_description", "content_type_id"):
        by_type.setdefault(page.content_type_id, []).append(page)
    rows = []
    for content_type_id, pages in by_type.items():
        content_type = ContentType.objects.get(pk=content_type_id)
        key = (content_type.app_label, content_type.model)
        specific = {}
        if key in SEARCH_FIELDS:
            try:
                model = apps.get_model(*key)
            except LookupError:
                model = None
            if model is not None:
                specific = model.objects.in_bulk([page.pk for page in pages])
        for page in pages:
            obj = specific.get(page.pk)
            body = []
            if obj is not None:
                body = [_field_text(obj, name) for name in SEARCH_FIELDS[key]]
                body = [text for text in body if text]
            description = " ".join((page.search_description or "").split())
            summary = description or (body[0] if body else "")
            rows.append(
                PageSearchText(
                    page_id=page.pk,
                    search_title=_fold(page.title),
                    search_text=_fold(" ".join([page.title, description, *body])),
                    summary=summary[:SUMMARY_LENGTH],
                )
            )
    PageSearchText.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("home", "0004_page_search_text"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
