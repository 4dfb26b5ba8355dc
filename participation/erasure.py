"""Erasing people of the volunteer list erases their traces too, whatever erases them.

Every deletion of people goes through one of :meth:`Volunteer.delete`,
:meth:`VolunteerQuerySet.delete <participation.models.volunteers.VolunteerQuerySet.delete>`,
:meth:`Pool.delete` and :meth:`PoolQuerySet.delete` (the admin's delete views, a
withdrawal, the daily erasure, a commune's deletion through ``signals.py``). Each calls
:func:`erase_traces_of_people` once, inside the deletion's transaction and before the rows
go, for all the people at once (a few queries, whatever their number):

- the admin's history of each person (its entries keep their name as label);
- the e-mails queued or sent to their address or to the new address they asked for;
- :data:`volunteers_erased`, sent for them all (by batches of 500), so that another module
  erases what it keeps about them (e.g. the micro-parliament a drawn resident's seat);
- the page cache of their communes (a public page may show counts of the lists).

The rows themselves go with :func:`delete_people` (and :func:`delete_set_based` for the
lists): one statement per relation and one for the rows, by subqueries on the deletion's
own filter (``… WHERE volunteer_id IN (SELECT id … WHERE pool_id = 7)``), no row loaded
into Python. Each relation to these rows is followed with its ``on_delete``: CASCADE
deletes its rows the same way, SET_NULL empties the key, DO_NOTHING leaves them. Every
relation must be in :data:`RELATIONS` (what ``tests/participation/test_erasure_paths.py``
checks), and no model deleted that way may have a ``pre_delete``/``post_delete``
receiver (but Wagtail's reference index one, whose work is done here for all the rows at
once): else the deletion falls back to Django's (:func:`delete_rows`, every row loaded),
slower but never wrong.
"""

from collections import Counter
from contextlib import nullcontext

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import signals
from django.db.models.deletion import Collector, get_candidate_relations_to_delete
from django.db.models.functions import Cast
from django.dispatch import Signal
from wagtail.models import ModelLogEntry, ReferenceIndex
from wagtail.signal_handlers import (
    disable_reference_index_auto_update,
    reference_index_auto_update_disabled,
    remove_reference_index_on_delete,
)

from mprc_cms import page_cache
from mprc_cms.tasks import forget_emails_to_all

# Sent for the people of a deletion, before their rows are deleted and inside the same
# transaction, with ``volunteer_ids``: the primary keys of the people erased, at most
# BATCH_SIZE of them (sent again for the next ones; sender: the Volunteer model).
# Receivers erase what they keep about these people in one query
# (``….filter(volunteer_id__in=volunteer_ids)``), never one per person.
volunteers_erased = Signal()

# Primary keys per query (SQLite accepts at most 999 parameters on old versions).
BATCH_SIZE = 500


def erase_traces_of_people(people):
    """Erase the traces of the people of ``people`` (a queryset of Volunteer, before their
    rows go), set-based: their primary keys are read once for the signal, the rest goes by
    subqueries on the same filter."""
    Volunteer = people.model
    ids = list(people.order_by().values_list("pk", flat=True))
    if not ids:
        return
    for start in range(0, len(ids), BATCH_SIZE):
        volunteers_erased.send(sender=Volunteer, volunteer_ids=ids[start : start + BATCH_SIZE])
    content_type = ContentType.objects.db_manager(people.db).get_for_model(Volunteer)
    ModelLogEntry.objects.using(people.db).filter(
        content_type=content_type, object_id__in=_keys_as_text(people)
    ).delete()
    addresses = (
        people.exclude(email="", pending_email="").order_by().values_list("email", "pending_email")
    )
    forget_emails_to_all(address for row in addresses for address in row)
    CommunePage = apps.get_model("home", "CommunePage")
    communes = CommunePage.objects.filter(pk__in=people.order_by().values("commune_id"))
    page_cache.changed(*communes)


def _keys_as_text(queryset):
    """The primary keys of ``queryset`` as text (a subquery): as generic relations keep them
    (``object_id``)."""
    return queryset.order_by().values_list(
        Cast("pk", output_field=models.CharField(max_length=255)), flat=True
    )


def delete_people(people):
    """Delete the people of ``people`` (a queryset of Volunteer) and erase their traces:
    ``(count, {model label: count})`` as ``QuerySet.delete()`` gives it."""
    with transaction.atomic(using=people.db, savepoint=False):
        erase_traces_of_people(people)
        return delete_set_based(people)


# Every relation to the models deleted here, "app_label.Model.field" of the foreign key,
# with its on_delete. A relation added later and missing here makes the deletion fall back
# to Django's (and the test of this set fail): review how its rows must go, then add it.
RELATIONS = {
    "participation.Volunteer.pool": models.CASCADE,
    "participation.ConsentRecord.volunteer": models.CASCADE,
    # The rows of a draw's lists (Draw.pools).
    "parliament.Draw_pools.pool": models.CASCADE,
    # The draw keeps its pseudonymous entrants.
    "parliament.DrawEntrant.volunteer": models.SET_NULL,
    # The drawn residents' seats are erased through volunteers_erased first.
    "parliament.ParliamentMember.volunteer": models.SET_NULL,
}


# What a relation's rows may ask for to go set-based (PROTECT, RESTRICT, SET(…) and
# SET_DEFAULT go by Django's deletion).
SET_BASED = (models.CASCADE, models.SET_NULL, models.DO_NOTHING)


def relation_name(relation):
    return f"{relation.related_model._meta.label}.{relation.field.name}"


def relations_to(model):
    """The relations Django's deletion follows from ``model`` (hidden ones included)."""
    return list(get_candidate_relations_to_delete(model._meta))


def _set_based_plan(model, seen=None):
    """Whether rows of ``model`` can go set-based: every relation known with its on_delete,
    no generic relation, no delete receiver, here and down the cascades."""
    seen = set() if seen is None else seen
    if model in seen:
        return True
    seen.add(model)
    if any(hasattr(field, "bulk_related_objects") for field in model._meta.private_fields):
        return False
    if _receivers(signals.pre_delete, model) or any(
        receiver is not remove_reference_index_on_delete
        for receiver in _receivers(signals.post_delete, model)
    ):
        return False
    for relation in relations_to(model):
        on_delete = relation.on_delete
        if on_delete not in SET_BASED or RELATIONS.get(relation_name(relation)) is not on_delete:
            return False
        if on_delete is models.CASCADE and not _set_based_plan(relation.related_model, seen):
            return False
    return True


def _receivers(signal, model):
    sync_receivers, async_receivers = signal._live_receivers(model)
    return [*sync_receivers, *async_receivers]


def delete_set_based(queryset):
    """``queryset.delete()`` without loading its rows: one statement per relation (its
    on_delete) and one for the rows, by subqueries; Django's deletion when a relation or a
    receiver asks for more (see the module's docstring)."""
    if queryset.query.is_sliced:
        raise TypeError("Cannot use 'limit' or 'offset' with delete().")
    if not _set_based_plan(queryset.model):
        return delete_rows(queryset)
    counts = Counter()
    with transaction.atomic(using=queryset.db, savepoint=False):
        _delete(queryset.order_by(), counts)
    counts = {label: count for label, count in counts.items() if count}
    return sum(counts.values()), counts


def _delete(queryset, counts):
    db = queryset.db
    keys = queryset.values("pk")
    for relation in relations_to(queryset.model):
        field = relation.field
        related = relation.related_model._base_manager.using(db).filter(
            **{f"{field.name}__in": keys}
        )
        if relation.on_delete is models.CASCADE:
            _delete(related, counts)
        elif relation.on_delete is models.SET_NULL:
            related.update(**{field.name: None})
    if queryset.model in ReferenceIndex.tracked_models:
        # What Wagtail's post_delete receiver does for each row, for them all.
        content_type = ReferenceIndex._get_base_content_type(queryset.model)
        keys_as_text = _keys_as_text(queryset)
        references = ReferenceIndex.objects.using(db)
        references.filter(base_content_type=content_type, object_id__in=keys_as_text).delete()
        references.filter(to_content_type=content_type, to_object_id__in=keys_as_text).delete()
    counts[queryset.model._meta.label] += queryset._raw_delete(db) or 0


def delete_rows(queryset):
    """``QuerySet.delete()`` as Django does it (the same cascades, signals and counts),
    but Wagtail's reference index is cleaned of the deleted rows (their references and
    the references to them) with a few queries for them all."""
    if queryset.query.is_sliced:
        raise TypeError("Cannot use 'limit' or 'offset' with delete().")
    del_query = queryset._chain()
    del_query._for_write = True
    del_query.query.select_for_update = False
    del_query.query.select_related = False
    del_query.query.clear_ordering(force=True)
    collector = Collector(using=del_query.db, origin=queryset)
    collector.collect(del_query)
    # Rows deleted one by one (with signals): the only ones the index may hold; the
    # collector forgets their keys once deleted.
    deleted = {model: [obj.pk for obj in objs] for model, objs in collector.data.items()}
    disabled = getattr(reference_index_auto_update_disabled, "value", False)
    with nullcontext() if disabled else disable_reference_index_auto_update():
        result = collector.delete()
    for model, pks in deleted.items():
        forget_references(model, pks)
    return result


def forget_references(model, pks):
    """What Wagtail's ``post_delete`` handler does for each object, for them all."""
    if not pks or model not in ReferenceIndex.tracked_models:
        return
    content_type = ReferenceIndex._get_base_content_type(model)
    for start in range(0, len(pks), BATCH_SIZE):
        batch = [str(pk) for pk in pks[start : start + BATCH_SIZE]]
        ReferenceIndex.objects.filter(base_content_type=content_type, object_id__in=batch).delete()
        ReferenceIndex.objects.filter(to_content_type=content_type, to_object_id__in=batch).delete()
