"""Importing rows as Wagtail pages: every row becomes a draft below one parent page.

Imports never publish: a new row is a new unpublished page, a row that matches an existing
page (by its ``import_id_fields``, e.g. the slug) becomes a new draft revision of it, built
on its latest revision. Staff review the drafts and publish them (one by one or with the
page listing's bulk action).
"""

from django.core.exceptions import ImproperlyConfigured

from mprc_cms.slugs import free_child_slug


class PageImportMixin:
    """Mix into an :class:`ImportResource` whose model is a Page type.

    Subclasses implement ``get_parent()``: the page new rows are created under (for a
    commune-scoped resource, a page of ``self.commune``).
    """

    PROVISIONAL_STEP = "ZZZZ"

    def get_parent(self):
        raise ImproperlyConfigured(f"{type(self).__name__} must define get_parent().")

    def get_queryset(self):
        return self._meta.model.objects.child_of(self.get_parent())

    def get_instance(self, instance_loader, row):
        instance = super().get_instance(instance_loader, row)
        return instance.get_latest_revision_as_object() if instance is not None else None

    def init_instance(self, row=None):
        return self._meta.model(live=False)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        if instance.pk is None:
            parent = self.get_parent()
            if not instance.slug:
                instance.slug = free_child_slug(parent, instance.title)
            # A provisional place in the tree, so that the page's own validation (the slug
            # must be free among the parent's children) can run; add_child sets the real one.
            instance.path = parent.path + self.PROVISIONAL_STEP
            instance.depth = parent.depth + 1
        super().validate_instance(
            instance, import_validation_errors, validate_unique=validate_unique
        )

    def do_instance_save(self, instance, is_create):
        user = getattr(self, "user", None)
        if is_create:
            instance.owner = user
            self.get_parent().add_child(instance=instance)
        instance.save_revision(user=user, log_action=True, clean=False)
