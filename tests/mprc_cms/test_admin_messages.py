"""The admin speaks of each record with its article and agreement (issue 17): no
«un(e) personne», «Le(la) …», «créé(e)»; «Dépublier» once in a page's editor."""

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, pgettext
from wagtail.admin.viewsets import viewsets
from wagtail.admin.viewsets.model import ModelViewSet

from home.factories import StandardPageFactory
from mprc_cms import admin_messages, french, wagtail_catalogue
from tests.conftest import logged_in, needs_every_module
from tests.project import OUR_PACKAGES

OUR_APPS = OUR_PACKAGES
# «un(e)», «créé(e)», «ce(tte)», «Le(la)», «nouveau(elle)», «Nouvel(le)», «sûr(e)»…
GENERIC = re.compile(r"\((?:e|es|s|le|la|tte|elle)\)")


def our_model_viewsets():
    reverse("wagtailadmin_home")  # the admin's URLs register the viewsets
    return [
        viewset
        for viewset in viewsets.viewsets
        if isinstance(viewset, ModelViewSet) and type(viewset).__module__.split(".")[0] in OUR_APPS
    ]


class Record:
    """Stands for a record of ``model``: only its name and its model's options are read."""

    def __init__(self, model):
        self._meta = model._meta
        self.pk = None

    def __str__(self):
        return "Camille Martin"


def _view(viewset, view_class, kwargs, record=None):
    """The view as ``viewset.construct_view`` makes it, for a request."""
    kwargs = {**viewset.get_common_view_kwargs(), **kwargs}
    view = view_class(**{key: value for key, value in kwargs.items() if hasattr(view_class, key)})
    view.request = RequestFactory().get("/")
    view.kwargs = {}
    if record is not None:
        view.object = record
    return view


def the_messages(viewset):
    """What the listing, add, edit and delete views say about a record."""
    record = Record(viewset.model)
    index = _view(viewset, viewset.index_view_class, viewset.get_index_view_kwargs())
    index.is_searching = index.is_filtering = False
    yield "add button", index.add_item_label
    yield "empty listing", index.no_results_message
    searched = _view(viewset, viewset.index_view_class, viewset.get_index_view_kwargs())
    searched.is_searching = searched.is_filtering = True
    yield "nothing found", searched.no_results_message
    add = _view(viewset, viewset.add_view_class, viewset.get_add_view_kwargs())
    yield "add title", add.get_page_title()
    yield "created", add.get_success_message(record)
    yield "not created", add.get_error_message()
    edit = _view(viewset, viewset.edit_view_class, viewset.get_edit_view_kwargs(), record)
    yield "updated", edit.get_success_message()
    yield "not saved", edit.get_error_message()
    delete = _view(viewset, viewset.delete_view_class, viewset.get_delete_view_kwargs(), record)
    yield "delete confirmation", delete.confirmation_message
    yield "deleted", delete.get_success_message()


@needs_every_module
def test_every_viewset_of_ours_declares_the_gender_of_its_name():
    found = our_model_viewsets()
    assert len(found) >= 13
    undeclared = [type(viewset).__name__ for viewset in found if not viewset.noun_gender]
    assert not undeclared
    assert {viewset.noun_gender for viewset in found} <= set(admin_messages.GENDERS)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_messages_of_every_viewset_agree_with_the_record(language):
    problems = []
    with translation.override(language):
        for viewset in our_model_viewsets():
            name = str(viewset.model._meta.verbose_name)
            for what, message in the_messages(viewset):
                message = str(message)
                if not message or GENERIC.search(message) or name.lower() not in message.lower():
                    problems.append(f"{type(viewset).__name__} {what}: {message}")
            for count in (0, 1, 3):
                message = admin_messages.usage_message(viewset.noun_gender, viewset.model, count)
                if GENERIC.search(message):
                    problems.append(f"{type(viewset).__name__} usage: {message}")
    assert not problems, "\n".join(problems)


@needs_every_module
def test_a_message_is_the_catalogue_s_for_the_gender_elided_and_filled():
    from exchange.models import ServiceListing

    with translation.override("fr"):
        message = admin_messages.model_message(
            "created", admin_messages.FEMININE, ServiceListing, object="Tondeuse"
        )
        template = pgettext("feminine noun", "%(model_name)s “%(object)s” created.")
        noun = str(ServiceListing._meta.verbose_name)
        expected = french.elide(template.replace("%(model_name)s", noun)) % {"object": "Tondeuse"}
    assert message == expected[0].upper() + expected[1:]
    assert "Tondeuse" in message


def flashed(response):
    """The messages shown after a redirection, without their buttons."""
    return [str(message).split("\n")[0] for message in response.context["messages"]]


@needs_every_module
@pytest.mark.django_db
def test_screens_of_a_viewset_in_french(superuser):
    """The add button, the add form's title, the messages after adding, editing and
    deleting, and the delete confirmation of one viewset, through its URLs."""
    from exchange.models import ServiceCategory

    client = logged_in(superuser)
    with translation.override("fr"):

        def said(key, **values):
            return admin_messages.model_message(
                key, admin_messages.FEMININE, ServiceCategory, **values
            )

        index = client.get(reverse("exchange_categories:index")).content.decode()
        assert said("add") in index
        add = client.get(reverse("exchange_categories:add")).content.decode()
        assert said("new") in add
        response = client.post(
            reverse("exchange_categories:add"),
            {"name": "Essai", "slug": "essai-17", "sort_order": 1},
            follow=True,
        )
        category = ServiceCategory.objects.get(slug="essai-17")
        assert said("created", object=category) in flashed(response)
        response = client.post(
            reverse("exchange_categories:edit", args=[category.pk]),
            {"name": "Essai bis", "slug": "essai-17", "sort_order": 1},
            follow=True,
        )
        category.refresh_from_db()
        assert said("updated", object=category) in flashed(response)
        edit = client.get(reverse("exchange_categories:edit", args=[category.pk])).content.decode()
        usage = admin_messages.usage_message(admin_messages.FEMININE, ServiceCategory, 0)
        assert usage in edit
        confirm = client.get(reverse("exchange_categories:delete", args=[category.pk]))
        html = confirm.content.decode()
        assert said("confirm_delete") in html
        assert usage in html
        response = client.post(
            reverse("exchange_categories:delete", args=[category.pk]), follow=True
        )
        assert said("deleted", object=category) in flashed(response)
    for screen in (index, add, edit, html):
        assert not re.search(r"un\(e\)|ce\(tte\)|Nouvel\(le\)|Utilisé\(e\)|Référencé\(e\)", screen)


@pytest.mark.django_db
def test_unpublish_is_offered_once_in_a_live_page_s_editor(commune_a, superuser):
    page = StandardPageFactory(parent=commune_a, title="Fête du village")
    assert page.live
    html = logged_in(superuser).get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    unpublish = reverse("wagtailadmin_pages:unpublish", args=[page.pk])
    assert html.content.decode().count(f'href="{unpublish}') == 1


@needs_every_module
@pytest.mark.django_db
def test_inline_panels_name_what_they_add(commune_a, superuser):
    from project_catalog.factories import ProjectPageFactory

    project = ProjectPageFactory(commune=commune_a)
    with translation.override("fr"):
        html = logged_in(superuser).get(reverse("wagtailadmin_pages:edit", args=[project.pk]))
        html = html.content.decode()
        for label in ("Add a stage", "Add a person or partner", "Add a progress update"):
            assert gettext(label) in html
    assert "un(e)" not in html


def test_the_page_editor_s_wagtail_messages_are_the_project_s_in_french():
    """The project's catalogue translates the page editor's messages for a page."""
    with translation.override("fr"):
        for message in wagtail_catalogue.PAGE_EDITOR_MESSAGES:
            # The plural one is lazy: its number comes with the values.
            translated = gettext(message) if isinstance(message, str) else message % {"count": 2}
            assert not GENERIC.search(translated), translated
