"""A commune holding data of every kind is not deleted (issue 17): the cross-commune
matrix's commune, which has an object of every model that can belong to a commune."""

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from wagtail.models import Page

from home.commune_removal import commune_data_fields, remaining_data
from home.models import CommunePage
from tests.conftest import logged_in
from tests.security.test_admin_matrix import commune_scoped_models, populate

pytestmark = pytest.mark.django_db


def rows():
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if not model._meta.proxy
    }


def test_every_model_that_declares_its_commune_is_counted():
    """The models whose records name their commune are among those the matrix finds
    belonging to a commune, and every module's data is among them."""
    models = {model for model, _field in commune_data_fields()}
    assert models <= commune_scoped_models()
    labels = {model._meta.label for model in models}
    assert {"participation.Volunteer", "parliament.Draw", "exchange.ServiceListing"} <= labels
    assert {"funding.FundingSource", "example_module.ExampleRecord"} <= labels


def test_a_commune_with_data_of_every_kind_is_not_deleted(
    commune_a, editor_a, superuser, private_import_dir
):
    populate(commune_a, editor_a, "A")
    with translation.override("en"):
        remaining = dict(remaining_data(commune_a))
        expected = {
            capfirst(str(model._meta.verbose_name_plural))
            for model, field in commune_data_fields()
            if model._base_manager.filter(**{field: commune_a.pk}).exists()
        }
    assert expected <= set(remaining)
    assert {"Images", "Documents", "People of its editors group", "Standard pages"} <= set(
        remaining
    )

    client = logged_in(superuser)
    before = rows()
    client.post(reverse("wagtailadmin_pages:delete", args=[commune_a.pk]))
    bulk = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
    client.post(f"{bulk}?id={commune_a.pk}")
    assert rows() == before
    assert CommunePage.objects.filter(pk=commune_a.pk).exists()
    assert Page.objects.descendant_of(commune_a).exists()
