"""Deleting a commune: refused while it holds data, and nothing of it left behind after.

A commune's data is everything its staff and residents put in: the pages below it (other
than those set up with it: its news section and its modules' index pages, while empty),
the records of every model that belongs to a commune (a foreign key to ``CommunePage``,
as every module's data has: volunteers, draws, posts, funding sources…), the images and
documents of its collection and the people of its editors group. While any remains, the
admin refuses to delete the commune's page (``before_delete_page`` and
``before_bulk_action``, ``home/wagtail_hooks.py``) and says what remains. Once the
commune is empty, deleting its page also deletes its editors group and its collection
(:func:`clean_up_deleted_commune`, on ``post_delete``); its legal information and its own
Site, if any, go with the page (``on_delete=CASCADE``).
"""

from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import Collection, Page

from .models import CommunePage
from .onboarding import set_up_page_models


def commune_data_fields():
    """(model, field name) of every foreign key to a commune: the models whose records
    belong to one commune (every module's data declares its commune so)."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        for field in model._meta.get_fields():
            if (
                isinstance(field, models.ForeignKey)
                and field.concrete
                and field.related_model is not None
                and issubclass(field.related_model, CommunePage)
                and not getattr(field.remote_field, "parent_link", False)
            ):
                found.append((model, field.name))
    return sorted(found, key=lambda item: (item[0]._meta.label, item[1]))


def _label(model):
    return capfirst(str(model._meta.verbose_name_plural))


def _set_up_pages(commune):
    """The pages set up with the commune, directly below it."""
    content_types = ContentType.objects.get_for_models(*set_up_page_models()).values()
    return Page.objects.child_of(commune).filter(content_type__in=content_types)


def _collection_tree(commune):
    if commune.collection_id is None:
        return Collection.objects.none()
    return Collection.objects.filter(path__startswith=commune.collection.path)


def remaining_data(commune):
    """What the commune still holds, as (what, how many) pairs, none empty: the pages by
    type, the records by model, the images, the documents, the people of its editors
    group. Empty: the commune may be deleted."""
    commune = commune.specific_deferred if isinstance(commune, Page) else commune
    remaining = []

    pages = (
        Page.objects.descendant_of(commune)
        .exclude(pk__in=_set_up_pages(commune).values("pk"))
        .values("content_type")
        .annotate(count=Count("pk"))
        .order_by()
    )
    page_counts = {}
    for row in pages:
        model = ContentType.objects.get_for_id(row["content_type"]).model_class()
        label = _label(model) if model is not None else _("Pages")
        page_counts[label] = page_counts.get(label, 0) + row["count"]
    remaining += sorted(page_counts.items())

    records = {}
    for model, field in commune_data_fields():
        count = model._base_manager.filter(**{field: commune.pk}).count()
        if count:
            records[_label(model)] = records.get(_label(model), 0) + count
    remaining += sorted(records.items())

    collections = _collection_tree(commune)
    for model in (get_image_model(), get_document_model()):
        count = model.objects.filter(collection__in=collections).count()
        if count:
            remaining.append((_label(model), count))

    if commune.editors_group_id is not None:
        people = commune.editors_group.user_set.count()
        if people:
            remaining.append((_("People of its editors group"), people))
    return remaining


def communes_at_or_below(pages):
    """The communes among ``pages`` and below them."""
    communes = CommunePage.objects.none()
    for page in pages:
        communes |= CommunePage.objects.descendant_of(page, inclusive=True)
    return communes.order_by("title")


def deletion_refusal(pages):
    """Why ``pages`` may not be deleted (a message), or None: a commune among or below
    them still holds data."""
    reasons = []
    for commune in communes_at_or_below(pages):
        remaining = remaining_data(commune)
        if remaining:
            reasons.append(
                _("%(commune)s (INSEE %(insee)s) still holds: %(what)s.")
                % {
                    "commune": commune.title,
                    "insee": commune.insee_code,
                    "what": ", ".join(f"{label} ({count})" for label, count in remaining),
                }
            )
    if not reasons:
        return None
    intro = ngettext(
        "This commune cannot be deleted while it holds data.",
        "These communes cannot be deleted while they hold data.",
        len(reasons),
    )
    advice = _(
        "Delete or move what remains first (its pages, the records of its modules, the "
        "images and documents of its collection), and remove the people from its editors "
        "group."
    )
    return " ".join([intro, *reasons, advice])


def clean_up_deleted_commune(sender, instance, origin=None, **kwargs):
    """After a commune's page is deleted: delete its editors group and its collection
    (with the collections below it) when nothing is left in them, and write it in the
    audit log. A group with people or a collection with files stays (a deletion that did
    not go through the admin's checks)."""
    removed = {}
    group = Group.objects.filter(pk=instance.editors_group_id).first()
    if group is not None and not group.user_set.exists():
        removed["group"] = group.name
        group.delete()
    collection = Collection.objects.filter(pk=instance.collection_id).first()
    if collection is not None:
        tree = Collection.objects.filter(path__startswith=collection.path)
        if not any(
            model.objects.filter(collection__in=tree).exists()
            for model in (get_image_model(), get_document_model())
        ):
            removed["collection"] = collection.name
            collection.delete()
    log(
        instance=instance,
        action="mprc.commune_deleted",
        data={"commune": instance.title, "insee": instance.insee_code, **removed},
        deleted=True,
    )
