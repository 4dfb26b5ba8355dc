"""The cross-commune matrix: every admin URL that takes an id, tried with another commune's.

Issue 16, «the standing suite». Commune staff must never see nor change another commune's
private data or drafts, and each new admin view is a new way to get it wrong: a view that
fetches ``Model.objects.get(pk=…)`` instead of going through the user's communes answers
anyone who types an id. Rather than a list of views that someone must remember to extend,
these tests walk Django's URL resolver:

1. Communes A and B each get an object of every model that can belong to a commune (found
   by following foreign keys to the commune's pages and collection), every page type as a
   draft, and every text marked ``SECRET-A`` or ``SECRET-B``. A model reached from a
   commune without an object fails the test: its author adds a line to :func:`populate`,
   or says in ``NO_OBJECT`` why there is none.
2. Every admin URL pattern with a path parameter is filled with B's ids (and, when it takes
   several, with A's and B's mixed) and requested by commune A's editor, with a GET and a
   POST. A pattern passes if each answer is a 3xx or a 4xx, shows no ``SECRET-B`` and
   changes nothing in the database (every request runs in a savepoint, rolled back after
   it, so that one leak does not hide the next). A 2xx is a leak unless ``ALLOWED_200``
   says why it is not; a 5xx always is. Patterns with no object id of their own (bulk
   actions, imports, page types) are filled with every value they take.
3. A wrongly filled URL answers 404 to everyone and would pass. So each pattern must also
   answer something else than 404 to its rightful users: A's editor with A's ids, or a
   superuser with B's (``OWNER_404`` lists the few that cannot, and why). A pattern that
   is neither requested nor listed in ``NOT_OBJECT_URLS`` fails the test, which names it.

Failures name the pattern (route and URL name), the URL and what leaked.
"""

import logging
import re
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection, models, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from wagtail.admin.api.views import PagesAdminAPIViewSet
from wagtail.admin.models import EditingSession, FormState
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.contrib.forms.models import FormSubmission
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.log_actions import log
from wagtail.models import (
    CollectionViewRestriction,
    Comment,
    CommentReply,
    Page,
    PageSubscription,
    PageViewRestriction,
    Revision,
    Site,
    UploadedFile,
    Workflow,
    WorkflowPage,
    WorkflowState,
)

from exchange.factories import (
    DigestSubscriptionFactory,
    ListingReportFactory,
    ServiceListingFactory,
)
from exchange.models import ContactRelay
from home.models import CommunePage, ModuleSwitchOff, NewsIndexPage, StandardPage
from home.onboarding import switch_module_on
from home.starter import in_dependency_order
from mprc_cms.imports import store
from mprc_cms.imports.registry import get_imports
from mprc_cms.models import Follower, FollowUpdate
from mprc_cms.modules import get_modules
from mprc_cms.printing import PAPER_FORM, PRINT_KINDS, commune_printables
from needs.factories import NeedFactory, SupportFactory
from needs.models import CallForNeedsPage
from parliament.factories import DrawFactory
from parliament.models import (
    Draw,
    DrawEntrant,
    DrawSeat,
    MeetingReminder,
    MicroParliamentPage,
    ParliamentMeeting,
    ParliamentMember,
    ParliamentPhase,
    ParliamentPriority,
)
from participation.factories import PoolFactory, VolunteerFactory
from participation.models import Volunteer
from project_catalog.factories import carrier, milestone, seeded_category, update
from project_catalog.funding.factories import FundingApplicationFactory, FundingSourceFactory
from project_catalog.funding.models import ApplicationDocument, DeadlineAlert, DeadlineNotice
from project_catalog.models import ProjectPage, TemplateProposal
from tests.example_module.models import ExampleRecord

pytestmark = pytest.mark.django_db

# --- 1. Which models belong to a commune --------------------------------------------------

# Models reached from a commune of which the communes here hold no object, and why. Any
# other model reached from a commune needs an object in populate().
NO_OBJECT = {
    "wagtailcore.GroupSitePermission": "only site settings use it, and none is installed",
}

# Page types that cannot live under a commune (the test checks that none is reachable from
# CommunePage): the network's own pages and its library of project templates.
NETWORK_PAGE_TYPES = {
    "home.NetworkHomePage": "the network's home, one for the whole site",
    "project_catalog.ProjectCatalogPage": "the network's catalogue of projects",
    "project_catalog.ProjectLibraryPage": "the network's library of project templates",
    "project_catalog.ProjectTemplatePage": "a template of the network's library",
}

# Models of the whole network, never of one commune: an admin URL whose ids are all of
# these has no commune's object to try (their screens are the coordinators').
NETWORK_MODELS = {
    **NETWORK_PAGE_TYPES,
    "auth.Permission": "Django's permissions",
    "contenttypes.ContentType": "Django's content types",
    "project_catalog.ProjectCategory": "the network's categories of projects",
    "funding.Financer": "the network's financers",
    "funding.ApplicantType": "the network's types of applicant",
    "exchange.ServiceCategory": "the network's categories of services",
    "wagtailcore.Workflow": "workflows are set up by coordinators, for the whole network",
    "wagtailcore.Task": "workflow tasks are set up by coordinators, for the whole network",
    "wagtailcore.Locale": "the site's languages",
}


def page_types_under_communes():
    """Every page type that can be created at or below a commune page (the network home
    could be, were there not one already: its ``max_count``)."""
    found, todo = set(), [CommunePage]
    while todo:
        model = todo.pop()
        if model in found:
            continue
        found.add(model)
        todo.extend(
            child
            for child in model.creatable_subpage_models()
            if child.max_count is None or child.objects.count() < child.max_count
        )
    return found


def _points_to(model):
    """The models a record of ``model`` refers to (foreign keys, one-to-one and
    many-to-many fields), and whether it has a generic relation (to anything)."""
    targets, generic = set(), False
    for field_ in model._meta.get_fields():
        if isinstance(field_, GenericForeignKey):
            generic = True
        elif (
            field_.concrete
            and field_.is_relation
            and field_.related_model is not None
            and not getattr(field_.remote_field, "parent_link", False)
        ):
            targets.add(field_.related_model)
    return targets, generic


def commune_scoped_models():
    """Models whose records can belong to a commune: the page types that can live under a
    commune (and Page itself), the commune's collection, and whatever refers to one of
    those, directly or not (a foreign key, a many-to-many or a generic relation)."""
    scoped = {Page, *page_types_under_communes()}
    scoped.add(CommunePage._meta.get_field("collection").related_model)
    others = [
        model
        for model in apps.get_models()
        if not issubclass(model, Page) and model._meta.label not in NETWORK_MODELS
    ]
    grew = True
    while grew:
        grew = False
        for model in others:
            if model not in scoped:
                targets, generic = _points_to(model)
                if generic or targets & scoped:
                    scoped.add(model)
                    grew = True
    return scoped


# --- 2. The data of each commune ----------------------------------------------------------


def draft_fields(mark):
    """What each page type needs besides a title to exist as a draft. A new page type that
    can live under a commune needs a line here."""
    today = timezone.localdate()
    return {
        "home.StandardPage": {"intro": f"{mark} intro"},
        "home.NewsIndexPage": {"intro": f"{mark} intro"},
        "home.NewsPage": {"date": today, "intro": f"{mark} intro"},
        "project_catalog.ProjectIndexPage": {"intro": f"{mark} intro"},
        "project_catalog.ProjectPage": {
            "category": seeded_category(),
            "summary": f"{mark} summary",
            "milestones": [milestone("idea", note=f"{mark}-milestone")],
            "carriers": [carrier(f"{mark}-carrier")],
            "updates": [update(f"{mark}-update")],
        },
        "funding.FundingGuidePage": {"intro": f"{mark} intro"},
        "participation.VolunteerSignupPage": {},
        "parliament.MicroParliamentPage": {
            "phases": [
                ParliamentPhase(
                    phase="diagnostic", starts_on=today, ends_on=today, description=mark
                )
            ],
            "meetings": [
                ParliamentMeeting(
                    title=f"{mark}-meeting", starts_at=timezone.now(), place=f"{mark} place"
                )
            ],
            "priorities": [ParliamentPriority(title=f"{mark}-priority")],
        },
        "exchange.ServiceExchangePage": {},
        "needs.NeedsIndexPage": {},
        "needs.CallForNeedsPage": {
            "question": f"{mark} question",
            "opens_on": today,
            "closes_on": today + timedelta(days=30),
        },
        "example_module.ExampleIndexPage": {},
        "example_extension.PollPage": {},
        # The example package of examples/ (installed by bin/test).
        "mprc_agenda.AgendaPage": {},
        "mprc_agenda.EventPage": {"start": timezone.now(), "place": f"{mark} place"},
    }


def _add_draft(parent, model, mark, fields, user):
    name = model._meta.model_name
    page = model(
        title=f"{mark}-{name}", slug=f"{mark.lower()}-{name}", live=False, owner=user, **fields
    )
    parent.add_child(instance=page)
    page.save_revision(user=user)
    return page


def _secret_draft(page, mark, user):
    """A live page whose latest revision, not published, has a secret title."""
    page = page.specific
    page.title = f"{mark}-draft-of-{page._meta.model_name}"
    page.save_revision(user=user)


def draft_pages(commune, user, mark):
    """A draft of every page type that can live under a commune, under the commune or under
    a draft of a type it accepts as parent."""
    fields = draft_fields(mark)
    todo = sorted(page_types_under_communes() - {CommunePage}, key=lambda m: m._meta.label)
    missing = [model._meta.label for model in todo if model._meta.label not in fields]
    assert not missing, f"Add a draft of these page types to draft_fields(): {missing}"
    pages = {CommunePage: commune}
    # The modules are on for the commune (populate): their index pages are live, not drafts.
    for module in get_modules():
        index = module.index_page_for(commune)
        if index is not None and module.index_page_model in todo:
            pages[module.index_page_model] = index.specific
            todo.remove(module.index_page_model)
    while todo:
        placeable = [
            (model, parent)
            for model in todo
            for parent_model, parent in pages.items()
            if parent_model in model.allowed_parent_page_models()
        ]
        assert placeable, f"No parent for the drafts of {todo}"
        model, parent = placeable[0]
        pages[model] = _add_draft(parent, model, mark, fields[model._meta.label], user)
        todo.remove(model)
    return pages


def populate(commune, user, tag):
    """An object of every commune-scoped model for ``commune``, each private text marked
    ``SECRET-<tag>``: draft pages (and secret drafts of its live pages), their comments,
    workflow, lock and revisions, its people, lists, draws, posts, funding, files…"""
    mark = f"SECRET-{tag}"
    low = mark.lower()
    now = timezone.now()
    # Every module on for the commune: its staff reach the modules' admin screens (a module
    # after those it requires: one without an index page is refused before).
    for module in in_dependency_order(get_modules()):
        switch_module_on(commune, module, user=user)
    pages = draft_pages(commune, user, mark)
    ModuleSwitchOff.objects.create(commune_id=commune.pk, module_key=f"{low}-module")
    index_pages = [
        pages[module.index_page_model] for module in get_modules() if module.has_index_page
    ]
    for live in [commune, *NewsIndexPage.objects.child_of(commune).live(), *index_pages]:
        _secret_draft(live, mark, user)
    commune.refresh_from_db()

    page = pages[StandardPage]
    page.create_alias(parent=commune, update_slug=f"{low}-alias", user=user)
    log(instance=page, action="wagtail.create", user=user)
    Page.objects.filter(pk=page.pk).update(locked=True, locked_by=user, locked_at=now)
    workflow = Workflow.objects.get(name="Moderators approval")
    workflow.start(page, user)
    WorkflowPage.objects.create(workflow=workflow, page=pages[NewsIndexPage])
    revision = page.save_revision(user=user)
    Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=now + timedelta(days=3))
    comment = Comment.objects.create(
        page=page, user=user, text=f"{mark}-comment", contentpath="title"
    )
    CommentReply.objects.create(comment=comment, user=user, text=f"{mark}-reply")
    PageSubscription.objects.create(user=user, page=page, comment_notifications=True)
    PageViewRestriction.objects.create(
        page=pages[NewsIndexPage], restriction_type="password", password=low
    )
    page_type = ContentType.objects.get_for_model(StandardPage)
    EditingSession.objects.create(
        user=user, content_type=page_type, object_id=str(page.pk), last_seen_at=now
    )
    FormState.objects.create(
        user=user,
        content_type=page_type,
        object_id=str(page.pk),
        parent_object_id="",
        data=f"title={mark}-formstate",
        last_updated_at=now,
    )
    FormSubmission.objects.create(page=page, form_data={"message": f"{mark}-submission"})
    site = Site.objects.create(hostname=f"{tag.lower()}.example.org", root_page=commune)
    Redirect.objects.create(old_path=f"/{tag.lower()}-redirect", site=site, redirect_page=page)

    image = Image.objects.create(
        title=f"{mark}-image",
        file=get_test_image_file(),
        collection=commune.collection,
        uploaded_by_user=user,
    )
    image.tags.add(f"{low}-tag")
    image.get_rendition("fill-10x10")
    document = Document.objects.create(
        title=f"{mark}-document",
        file=ContentFile(f"{mark} minutes".encode(), name=f"{low}.txt"),
        collection=commune.collection,
        uploaded_by_user=user,
    )
    document.tags.add(f"{low}-document-tag")
    UploadedFile.objects.create(
        file=ContentFile(b"not an image yet", name=f"{low}.png"),
        for_content_type=ContentType.objects.get_for_model(Image),
        uploaded_by_user=user,
    )
    private = commune.collection.add_child(name=f"{mark}-collection")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type="password", password=low
    )

    person = VolunteerFactory(
        commune=commune,
        signed_up=True,
        first_name=mark,
        last_name=f"{mark}-volunteer",
        email=f"{low}-volunteer@example.org",
        address=f"{mark} address",
    )
    log(instance=person, action="wagtail.edit", user=user)
    pool = PoolFactory(commune=commune, name=f"{mark}-pool")
    VolunteerFactory(pool=pool, last_name=f"{mark}-pool-member")
    parliament = pages[MicroParliamentPage]
    draw = DrawFactory(commune=commune, micro_parliament=parliament, title=f"{mark}-draw")
    Draw.objects.filter(pk=draw.pk).update(audit={"note": f"{mark}-audit"})
    seat = DrawSeat.objects.create(draw=draw, number=1)
    DrawEntrant.objects.create(
        draw=draw, pseudonym=f"{tag}-0001", volunteer=person, seat=seat, turn=1
    )
    member = ParliamentMember.objects.create(
        micro_parliament=parliament, commune=commune, name=f"{mark}-member", role="resident"
    )
    MeetingReminder.objects.create(meeting_uid=uuid.uuid4(), member=member)

    # Typed by staff for a resident (the screens of its private link exist only then).
    listing = ServiceListingFactory(
        commune=commune,
        title=f"{mark}-listing",
        first_name=mark,
        email=f"{low}-post@example.org",
        channel="phone",
        entered_by=user,
    )
    ListingReportFactory(listing=listing, comment=f"{mark}-report")
    ContactRelay.objects.create(listing=listing)
    DigestSubscriptionFactory(commune=commune, email=f"{low}-digest@example.org")

    need = NeedFactory(
        call=pages[CallForNeedsPage],
        title=f"{mark}-need",
        first_name=mark,
        email=f"{low}-need@example.org",
        staff_answer=f"{mark}-answer",
        channel="paper",
        entered_by=user,
    )
    SupportFactory(need=need, email=f"{low}-support@example.org")

    project = pages[ProjectPage]
    Follower.objects.create(page=project, email=f"{low}-follower@example.org")
    FollowUpdate.objects.create(page=project, title=f"{mark}-update")
    TemplateProposal.objects.create(
        commune=commune, project=project, kind="new", message=f"{mark}-proposal", proposed_by=user
    )
    source = FundingSourceFactory(commune=commune, shared=False, name=f"{mark}-source")
    application = FundingApplicationFactory(
        project=project, commune=commune, source=source, note=f"{mark}-application"
    )
    ApplicationDocument.objects.create(
        application=application,
        title=f"{mark}-application-document",
        file=ContentFile(f"{mark} budget".encode(), name=f"{low}-budget.txt"),
    )
    alert = DeadlineAlert.objects.create(user=user, commune=commune)
    DeadlineNotice.objects.create(alert=alert, source=source, closes_on=timezone.localdate())

    ExampleRecord.objects.create(
        commune=commune, name=f"{mark}-examplerecord", email=f"{low}-record@example.org"
    )
    stored = store.save(
        f"nom;prenom\n{mark};Import\n".encode(),
        user=user,
        model=Volunteer,
        commune=commune,
        file_name=f"{low}.csv",
        encoding="utf-8",
    )
    return {"import_token": stored.token}


def _rows():
    return {
        model: set(model._base_manager.values_list("pk", flat=True))
        for model in apps.get_models()
        if not model._meta.proxy
    }


@dataclass
class Commune:
    """One commune's objects: the rows of every model created while it was built."""

    tag: str
    commune: CommunePage
    rows: dict
    import_token: str

    def objects(self, model):
        pks = self.rows.get(model, ())
        return list(model._base_manager.filter(pk__in=pks).order_by("pk"))

    def first_of_each_model(self):
        """One object of each model (``int`` ids only, as most URLs take)."""
        for model in sorted(self.rows, key=lambda m: m._meta.label):
            pk = model._meta.pk
            if isinstance(pk, models.AutoField) or pk.is_relation:
                yield self.objects(model)[0]


def build(request, tag):
    """Commune ``tag`` (its fixture), its editor and everything of theirs."""
    before = _rows()
    commune = request.getfixturevalue(f"commune_{tag.lower()}")
    user = request.getfixturevalue(f"editor_{tag.lower()}")
    extra = populate(commune, user, tag)
    rows = {model: pks - before.get(model, set()) for model, pks in _rows().items()}
    return Commune(tag, commune, {m: pks for m, pks in rows.items() if pks}, **extra)


@pytest.fixture
def communes(request, private_import_dir):
    return build(request, "A"), build(request, "B")


# --- 3. The admin's URL patterns ----------------------------------------------------------

ROUTE_PARAM = re.compile(r"<(?:[^>:]+:)?(?P<name>\w+)>")
REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


@dataclass
class Pattern:
    levels: tuple  # the resolvers and the pattern, from the root URLconf
    shadowed_by: "Pattern | None" = None  # an earlier pattern with the same route
    alias: str = ""  # the name of the pattern it replaces, for an unnamed replacement

    @property
    def route(self):
        return "".join(str(level.pattern) for level in self.levels)

    @property
    def name(self):
        last = self.levels[-1]
        if not last.name:
            return ""
        return ":".join([*(lv.namespace for lv in self.levels[:-1] if lv.namespace), last.name])

    @property
    def key(self):
        """What the lists of this module name it by."""
        return self.name or self.alias or self.route

    @property
    def label(self):
        name = self.name or (f"replaces {self.alias}" if self.alias else "unnamed")
        return f"{self.route} ({name})"

    @property
    def callback(self):
        return self.levels[-1].callback

    @property
    def params(self):
        names = []
        for level in self.levels:
            if isinstance(level.pattern, RoutePattern):
                names += [m["name"] for m in ROUTE_PARAM.finditer(str(level.pattern))]
            elif isinstance(level.pattern, RegexPattern):
                names += list(level.pattern.regex.groupindex)
        return names

    def url(self, values, query=None):
        path = ""
        for level in self.levels:
            text = str(level.pattern)
            if isinstance(level.pattern, RoutePattern):
                text = ROUTE_PARAM.sub(lambda m: str(values[m["name"]]), text)
            elif isinstance(level.pattern, RegexPattern):
                text = REGEX_GROUP.sub(lambda m: str(values[m["name"]]), text)
                text = re.sub(r"\\(.)", r"\1", text.replace("^", "").replace("$", ""))
            path += text
        return f"/{path}" + (f"?{urlencode(query, doseq=True)}" if query else "")


def admin_patterns():
    """Every URL pattern under ``admin/`` with a path parameter; one that an earlier
    pattern of the same route replaces (``mprc_cms/admin_scoping.py``) is marked so."""

    def walk(resolver, levels):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry, (*levels, entry))
            elif isinstance(entry, URLPattern):
                yield Pattern((*levels, entry))

    patterns = [p for p in walk(get_resolver(), ()) if p.route.startswith("admin/") and p.params]
    first = {}
    for pattern in patterns:
        if pattern.route in first:
            pattern.shadowed_by = first[pattern.route]
            pattern.shadowed_by.alias = pattern.shadowed_by.alias or pattern.name
        else:
            first[pattern.route] = pattern
    return patterns


# --- 4. Filling the patterns --------------------------------------------------------------

# Patterns that are not requested, and why.
NOT_OBJECT_URLS = {
    "wagtailsettings:edit": "no site or generic setting is registered: nothing to edit",
    "wagtailsettings:preview_on_edit": "no site or generic setting is registered",
    "wagtailadmin_workflows:add_task": "a new workflow task (the network's), from its type",
    "mprc_help:chapter": "a chapter of the staff guide, by its slug: the same for every commune",
}

# Patterns that answer 404 even to their rightful users here, and why. (Still requested;
# the test fails when one of them stops answering 404, to be taken off this list.)
OWNER_404 = {
    "wagtailforms:list_submissions": "no form page type is installed: 404 for any page",
    "wagtailforms:list_submissions_results": "no form page type is installed",
    "wagtailimages:url_generator": "needs Wagtail's image serve view, not mounted here",
    "wagtailimages:url_generator_output": "needs Wagtail's image serve view",
    "participation_draws:receipt": (
        "needs a computed draw (tests/participation/test_draw_trust.py); its sibling "
        "participation_draws:audit, the same view, proves the draw's id"
    ),
}

# Patterns that may answer 2xx to commune A's editor for B's ids, and why. "live": only
# when B's pages in the URL are all live (staff may link to other communes' live pages);
# "any": whatever the ids.
ALLOWED_200 = {
    "wagtailadmin_choose_page_child": (
        "live",
        "the page chooser browses other communes' live pages, in their live state, so that "
        "staff can link to them (tests/security/test_wagtail_screens.py)",
    ),
    "wagtailadmin_editing_sessions:release": (
        "any",
        "answers 200 whatever the id, and only ever ends the user's own session",
    ),
    "wagtailadmin_password_reset_confirm": (
        "any",
        "a reset link with a wrong token only says that the link is invalid",
    ),
}

# The model of a parameter, by name (``pk``: the view's model, see view_model()).
PARAM_MODELS = {
    "page_id": "wagtailcore.Page",
    "parent_page_id": "wagtailcore.Page",
    "page_to_move_id": "wagtailcore.Page",
    "destination_id": "wagtailcore.Page",
    "page_pk": "wagtailcore.Page",
    "collection_id": "wagtailcore.Collection",
    "image_id": "wagtailimages.Image",
    "document_id": "wagtaildocs.Document",
    "doc_id": "wagtaildocs.Document",
    "uploaded_file_id": "wagtailcore.UploadedFile",
    "redirect_id": "wagtailredirects.Redirect",
    "session_id": "wagtailadmin.EditingSession",
    "task_id": "wagtailcore.Task",
    "workflow_pk": "wagtailcore.Workflow",
    "template_id": "project_catalog.ProjectTemplatePage",
    "project_id": "project_catalog.ProjectPage",
    "uidb64": "auth.User",
    "object_id": None,  # any model: every one of them is tried
}

# ``pk`` of the views that do not tell their model.
PK_MODELS = {
    "mprc_communes:modules": "home.CommunePage",
    "mprc_communes:printables": "home.CommunePage",
    "funding_applications:document": "funding.ApplicationDocument",
    "project_catalog_admin:proposal": "project_catalog.TemplateProposal",
    "wagtailadmin_pages:revisions_compare": "wagtailcore.Page",
    "wagtaildocs_chooser:chosen": "wagtaildocs.Document",
    "wagtailimages_chooser:chosen": "wagtailimages.Image",
    "wagtailadmin_workflows:enable": "wagtailcore.Workflow",
    "wagtailadmin_workflows:usage": "wagtailcore.Workflow",
    "wagtailadmin_workflows:usage_results": "wagtailcore.Workflow",
    "wagtailadmin_workflows:edit_task": "wagtailcore.Task",
    "wagtailadmin_workflows:enable_task": "wagtailcore.Task",
}


def _workflow_state(page, attribute):
    states = WorkflowState.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page), object_id=str(page.pk)
    )
    return states.values_list(attribute, flat=True).first()


# Parameters that follow from the URL's page, when it has one.
PAGE_RELATED = {
    "revision_id": lambda page: page.latest_revision_id,
    "revision_id_a": lambda page: (
        page.revisions.order_by("pk").values_list("pk", flat=True).first()
    ),
    "revision_id_b": lambda page: "latest",
    "workflow_state_id": lambda page: _workflow_state(page, "pk"),
    "task_state_id": lambda page: _workflow_state(page, "current_task_state_id"),
    "task_id": lambda page: _workflow_state(page, "current_task_state__task_id"),
}

# The actions a pattern's ``action_name`` takes: each is tried.
ACTION_NAMES = {
    "wagtailadmin_api:pages:action": sorted(PagesAdminAPIViewSet.actions),
    "wagtailadmin_pages:workflow_action": ["approve", "reject", "cancel"],
    "wagtailadmin_pages:collect_workflow_action_data": ["approve", "reject"],
}

# Parameters that name no object, and the value they get.
CONSTANTS = {
    "filter_spec": "fill-10x10",  # an image's preview
    "token": "0-wrong-token",  # a password reset link
}


def _label(model):
    return {"app_label": model._meta.app_label, "model_name": model._meta.model_name}


def _bulk(commune):
    bulk_action_registry._scan_for_bulk_actions()
    for app_label, by_model in sorted(bulk_action_registry.actions.items()):
        for model_name, actions in sorted(by_model.items()):
            model = apps.get_model(app_label, model_name)
            objects = commune.objects(model)
            for action in sorted(actions):
                values = {"app_label": app_label, "model_name": model_name, "action": action}
                yield values, {"id": [obj.pk for obj in objects]}, objects
                if issubclass(model, Page):  # "select all" of a page's children
                    query = {"id": "all", "childOf": commune.commune.pk}
                    yield values, query, [commune.commune]


def _imports(commune):
    for definition in get_imports():
        yield _label(definition.model), {}, []


def _import_preview(commune):
    yield {**_label(Volunteer), "token": commune.import_token}, {}, [commune.commune]


def _page_types(app, model):
    def fills(commune):
        for each in sorted(apps.get_models(), key=lambda m: m._meta.label):
            if issubclass(each, Page) and each is not Page:
                yield {app: each._meta.app_label, model: each._meta.model_name}, {}, []

    return fills


def _tags(commune):
    yield {"app_name": "taggit", "model_name": "tag"}, {"term": "secret"}, []


def _module_off(commune):
    """The confirmation of switching each module off for the commune (and the switch)."""
    for module in get_modules():
        yield {"pk": commune.commune.pk, "key": module.key}, {}, [commune.commune]


def _print(commune):
    """Each poster, flyer and paper form of the modules on for the commune."""
    for module, printables in commune_printables(commune.commune):
        for printable in printables:
            for kind in PRINT_KINDS:
                if kind != PAPER_FORM.slug or printable.paper_form is not None:
                    values = {"pk": commune.commune.pk, "module": module.key}
                    yield {**values, "key": printable.key, "kind": kind}, {}, [commune.commune]


# Patterns without an object id of their own: every value they take. Those that pass ids
# in the query string (bulk actions, an import's token) must not answer 2xx either.
DESCRIPTORS = {
    "wagtail_bulk_action": _bulk,
    "mprc_imports:upload": _imports,
    "mprc_imports:template": _imports,
    "mprc_imports:export": _imports,
    "mprc_imports:preview": _import_preview,
    "wagtailadmin_pages:type_use": _page_types("content_type_app_name", "content_type_model_name"),
    "wagtailadmin_pages:type_use_results": _page_types(
        "content_type_app_name", "content_type_model_name"
    ),
    "wagtailadmin_pages:choose_parent": _page_types("app_label", "model_name"),
    "wagtailadmin_tag_model_autocomplete": _tags,
    "mprc_communes:module_off": _module_off,
    "mprc_communes:print": _print,
}


def view_model(pattern):
    """The model of a view's ``pk``: a model viewset's, an API endpoint's, or that of the
    permission policy the view is given."""
    if pattern.key in PK_MODELS:
        return apps.get_model(PK_MODELS[pattern.key])
    callback = pattern.callback
    initkwargs = getattr(callback, "view_initkwargs", None) or {}
    for candidate in (
        initkwargs.get("model"),
        getattr(initkwargs.get("permission_policy"), "model", None),
        getattr(getattr(callback, "view_class", None), "model", None),
        getattr(getattr(callback, "cls", None), "model", None),  # Django REST framework
    ):
        if isinstance(candidate, type) and issubclass(candidate, models.Model):
            return candidate
    return None


def _has_page(pattern):
    """Whether one of the pattern's ids is a page's."""
    return any(
        isinstance(model, type) and issubclass(model, Page)
        for model in (param_model(pattern, p) for p in pattern.params if p in PARAM_MODELS)
    ) or ("pk" in pattern.params and issubclass(view_model(pattern) or object, Page))


def id_params(pattern):
    """The parameters that take an object's id (those that follow from the page aside)."""
    has_page = _has_page(pattern)
    return [
        p
        for p in pattern.params
        if (p == "pk" or p in PARAM_MODELS) and not (p in PAGE_RELATED and has_page)
    ]


def is_network(model):
    return model is not None and model._meta.label in NETWORK_MODELS


def param_model(pattern, param):
    if param == "pk":
        return view_model(pattern)
    label = PARAM_MODELS[param]
    return apps.get_model(label) if label else None


# What a POST sends to a view that expects a form: its data, pointing at commune B.
def _post_data(pattern, a, b):
    return {
        "wagtailadmin_pages:copy": {
            "new_title": "Copie",
            "new_slug": "copie",
            "new_parent_page": a.commune.pk,
        },
        "wagtailadmin_pages:set_privacy": {"restriction_type": "password", "password": "x"},
        "wagtailadmin_collections:set_privacy": {"restriction_type": "password", "password": "x"},
        "mprc_communes:modules": {"module": get_modules()[0].key},
        "participation_draws:run": {"action": "cancel", "reason": "Intrus"},
        "exchange_listings:moderate": {"action": "hide", "reason": "Intrus"},
        "needs_list:moderate": {"action": "hide", "reason": "Intrus"},
        "needs_list:answer": {"staff_answer": "Intrus"},
        "needs_list:outcome": {"outcome": "not_kept", "outcome_note": "Intrus"},
        "project_catalog_admin:proposal": {"note": "Intrus"},
        "mprc_imports:export": {"format": "csv", "commune": b.commune.pk},
        "mprc_imports:upload": {
            "commune": b.commune.pk,
            "encoding": "utf-8",
            "file": ContentFile(b"nom;prenom\nIntrus;Camille\n", name="intrus.csv"),
        },
    }.get(pattern.key, {})


def classify(pattern):
    """How the matrix treats a pattern: (kind, reason). Kinds: "listed" (NOT_OBJECT_URLS),
    "replaced" (an earlier pattern takes its URLs), "network" (its ids are all of network
    models), "descriptors" (no object id: DESCRIPTORS), "objects" (ids of a commune's
    objects), "brute force" (an id whose model is unknown: every model's), "unfillable"."""
    if pattern.key in NOT_OBJECT_URLS:
        return "listed", NOT_OBJECT_URLS[pattern.key]
    if pattern.shadowed_by is not None:
        return "replaced", f"requested as {pattern.shadowed_by.label}"
    if pattern.key in DESCRIPTORS:
        return "descriptors", ""
    ids = id_params(pattern)
    if not ids:
        return "unfillable", "no object id, and not in DESCRIPTORS"
    fillable = {*ids, *CONSTANTS}
    if _has_page(pattern):
        fillable |= {*PAGE_RELATED, "content_type_app_name", "content_type_model_name"}
    if "object_id" in ids:
        fillable |= {"app_label", "model_name", "session_id"}
    if pattern.key in ACTION_NAMES:
        fillable.add("action_name")
    unknown = [p for p in pattern.params if p not in fillable]
    if unknown:
        return "unfillable", f"no value for {unknown}"
    if all(is_network(param_model(pattern, p)) for p in ids):
        return "network", NETWORK_MODELS[param_model(pattern, ids[0])._meta.label]
    if param_model(pattern, ids[0]) is None:
        return "brute force", ""
    return "objects", ""


@dataclass
class Fill:
    values: dict
    query: dict
    sides: frozenset  # whose objects are in the URL: "A", "B", "network"
    objects: list
    strict: bool = True  # a 2xx is a leak (unless ALLOWED_200)

    @property
    def pure(self):
        """Only one commune's objects (with the network's)."""
        return len(self.sides - {"network"}) == 1

    def b_pages_live(self, b):
        return all(
            obj.live for obj in self.objects if isinstance(obj, Page) and obj.pk in b.rows[Page]
        )


class Planner:
    """Fills a pattern's parameters with commune A's or B's objects."""

    def __init__(self, a, b):
        self.communes = {"A": a, "B": b}

    def side_of(self, obj):
        for side, commune in self.communes.items():
            for model in (type(obj), obj._meta.concrete_model, Page):
                if isinstance(obj, model) and obj.pk in commune.rows.get(model, ()):
                    return side
        return "network"

    def candidates(self, side, model):
        """Every object of ``model`` of one commune; one of every model if ``model`` is
        None (brute force)."""
        commune = self.communes[side]
        if model is None:
            return list(commune.first_of_each_model())
        if is_network(model):
            return list(model._default_manager.order_by("pk")[:1])
        return commune.objects(model)

    def fills(self, pattern, kind):
        """The fills of a pattern with B's objects (and, for a pattern with several ids, with
        A's and B's mixed), and its fill with A's objects."""
        if kind == "descriptors":
            return self.descriptor_fills(pattern, "B"), self.descriptor_fills(pattern, "A")
        ids = id_params(pattern)
        first, others = ids[0], ids[1:]
        model = param_model(pattern, first)
        # (side of the first id, side of the others, side of the page the rest follows)
        combinations = [("B", "B", None)]
        if any(not is_network(param_model(pattern, p)) for p in others):
            combinations += [("B", "A", None), ("A", "B", None)]
        if set(pattern.params) & set(PAGE_RELATED) and _has_page(pattern):
            combinations += [("B", "B", "A"), ("A", "A", "B")]
        attack = []
        for first_side, other_side, related_side in combinations:
            related = related_side and self.page_with(related_side, pattern)
            for obj in self.candidates(first_side, model):
                fill = self.complete(pattern, {first: obj}, other_side, related)
                if fill is not None:
                    attack.append(fill)
                    if (first_side, other_side, related_side) != ("B", "B", None):
                        break
        own = []
        for obj in self.candidates("A", model):
            fill = self.complete(pattern, {first: obj}, "A")
            if fill is not None:
                own.append(fill)
                break
        return self.each_action(pattern, attack), own

    def page_with(self, side, pattern):
        """A page of ``side`` that has every value the pattern takes from its page."""
        needed = [p for p in pattern.params if p in PAGE_RELATED]
        for page in self.communes[side].objects(Page):
            if all(PAGE_RELATED[p](page) is not None for p in needed):
                return page
        return None

    @staticmethod
    def each_action(pattern, fills):
        """Every action the pattern's ``action_name`` takes, with the first fill (the others
        keep the first action)."""
        if "action_name" not in pattern.params or not fills:
            return fills
        first = fills[0]
        return [
            *(
                Fill(
                    {**first.values, "action_name": action}, first.query, first.sides, first.objects
                )
                for action in ACTION_NAMES[pattern.key]
            ),
            *fills[1:],
        ]

    def complete(self, pattern, chosen, side, related=None):
        """The fill's other parameters: other ids from ``side``; the rest from the page of
        the URL, or from the ``related`` page (another commune's)."""
        objects = dict(chosen)
        ids = id_params(pattern)
        for param in ids[1:]:
            if param == "destination_id":  # into that commune's tree
                objects[param] = self.communes[side].commune
                continue
            candidates = self.candidates(side, param_model(pattern, param))
            if not candidates:
                return None
            objects[param] = candidates[0]
        values = {
            param: urlsafe_base64_encode(force_bytes(obj.pk)) if param == "uidb64" else obj.pk
            for param, obj in objects.items()
        }
        page = related or next((obj for obj in objects.values() if isinstance(obj, Page)), None)
        for param in pattern.params:
            if param in values:
                continue
            value = self.derived(pattern, param, objects, page)
            if value is None:
                return None
            values[param] = value
        shown = [*objects.values(), *([related] if related else [])]
        return Fill(values, {}, frozenset(self.side_of(obj) for obj in shown), shown)

    def derived(self, pattern, param, objects, page):
        if param in PAGE_RELATED:
            return PAGE_RELATED[param](page) if page is not None else None
        if param in ("app_label", "model_name"):  # the editing-session ping's object
            return _label(objects["object_id"])[param]
        if param == "session_id":
            return 0  # a new editing session
        if param in ("content_type_app_name", "content_type_model_name"):
            creatable = page.specific_class.creatable_subpage_models() if page else []
            child = creatable[0] if creatable else StandardPage
            return {
                "content_type_app_name": child._meta.app_label,
                "content_type_model_name": child._meta.model_name,
            }[param]
        if param == "action_name":
            return ACTION_NAMES[pattern.key][0]  # the others: see fills()
        return CONSTANTS.get(param)

    def descriptor_fills(self, pattern, side):
        commune = self.communes[side]
        return [
            Fill(
                values,
                query,
                frozenset({side}),
                objects,
                strict=bool(query.get("id")) or "token" in values,
            )
            for values, query, objects in DESCRIPTORS[pattern.key](commune)
        ]


# --- 5. Requesting and judging ------------------------------------------------------------

MARKER = b"secret-b"
# Written by any request, whoever makes it, and about no commune.
IGNORED_TABLES = {
    "django_session",
    "wagtailusers_userprofile",
    "mprc_cms_ratelimithit",
    "axes_accessattempt",
    "axes_accessattemptexpiration",
    "axes_accessfailurelog",
    "axes_accesslog",
}


def _change_count():
    """SQLite's count of the rows written so far (elsewhere: always a new value, so that
    every request is compared with the whole snapshot)."""
    if connection.vendor != "sqlite":
        return object()
    with connection.cursor() as cursor:
        cursor.execute("SELECT total_changes()")
        return cursor.fetchone()[0]


def snapshot():
    """Every row of every table."""
    tables = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table not in IGNORED_TABLES:
                cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
                tables[table] = sorted(map(repr, cursor.fetchall()))
    return tables


@dataclass
class Answer:
    status: int
    body: bytes
    changed: list  # the tables whose rows changed
    error: str = ""


class Requester:
    """Requests made in a savepoint, rolled back after each: whatever a request writes is
    reported, and undone."""

    def __init__(self):
        self.baseline = snapshot()
        self.count = 0

    def __call__(self, client, method, url, data=None):
        self.count += 1
        with transaction.atomic():
            before = _change_count()
            error = ""
            try:
                response = getattr(client, method)(url, data or {})
                status = response.status_code
                if getattr(response, "streaming", False):
                    # Read to the end, the test client closes the response itself (an
                    # explicit close() would close the database connection on PostgreSQL).
                    body = b"".join(response.streaming_content)
                else:
                    body = response.content
                body += response.get("Location", "").encode()
            except Exception as exception:  # any failure is reported
                status, body, error = 500, b"", repr(exception)
            changed = []
            if _change_count() != before:
                after = snapshot()
                changed = sorted(t for t in after if after[t] != self.baseline.get(t))
            transaction.set_rollback(True)
        return Answer(status, body, changed, error)


def _around_marker(body):
    at = body.lower().find(MARKER)
    text = body[max(0, at - 50) : at + 50].decode(errors="replace")
    return " ".join(text.split())


def leaks(answer, pattern, fill, b):
    """What is wrong with commune A's editor's answer to a URL of B's objects."""
    found = []
    if answer.status >= 500:
        found.append(f"fails ({answer.status}) {answer.error}")
    if MARKER in answer.body.lower():
        found.append(f"shows B's data: «…{_around_marker(answer.body)}…»")
    if answer.changed:
        found.append(f"changes {', '.join(answer.changed)}")
    if fill.strict and 200 <= answer.status < 300:
        scope, _reason = ALLOWED_200.get(pattern.key, (None, ""))
        if scope != "any" and not (scope == "live" and fill.b_pages_live(b)):
            found.append(f"answers {answer.status}")
    return found


def logged_in(user):
    client = Client()
    client.force_login(user)
    client.get("/admin/")  # the user's profile is created here, outside the matrix
    return client


# --- 6. The tests -------------------------------------------------------------------------


def test_network_page_types_are_those_no_commune_can_hold(db):
    every = {m._meta.label for m in apps.get_models() if issubclass(m, Page) and m is not Page}
    under_communes = {m._meta.label for m in page_types_under_communes()}
    assert every - under_communes == set(NETWORK_PAGE_TYPES)


def test_every_model_of_a_commune_has_objects_in_both_communes(communes):
    scoped = {model._meta.label: model for model in commune_scoped_models()}
    assert len(scoped) > 40, sorted(scoped)
    assert not set(NO_OBJECT) - set(scoped), "NO_OBJECT names models no commune reaches"
    for commune in communes:
        missing = [
            label
            for label, model in sorted(scoped.items())
            if not commune.rows.get(model) and label not in NO_OBJECT
        ]
        assert not missing, (
            f"Commune {commune.tag} has no object of these models, which can belong to a "
            f"commune: create one in populate(), or say why not in NO_OBJECT: {missing}"
        )


def test_every_admin_url_with_a_parameter_is_requested_or_listed():
    patterns = admin_patterns()
    assert len(patterns) > 150, "the walk found too few admin URLs with a parameter"
    kinds = {pattern.label: classify(pattern) for pattern in patterns}
    unfillable = {label: why for label, (kind, why) in kinds.items() if kind == "unfillable"}
    assert not unfillable, (
        "These admin URLs cannot be filled: teach PARAM_MODELS, PK_MODELS or DESCRIPTORS "
        f"their parameters, or list them in NOT_OBJECT_URLS with the reason: {unfillable}"
    )
    requested = [label for label, (kind, _why) in kinds.items() if kind not in ("listed",)]
    assert len(requested) > 150
    keys = {pattern.key for pattern in patterns}
    for name, listing in (
        ("NOT_OBJECT_URLS", NOT_OBJECT_URLS),
        ("OWNER_404", OWNER_404),
        ("ALLOWED_200", ALLOWED_200),
        ("PK_MODELS", PK_MODELS),
        ("DESCRIPTORS", DESCRIPTORS),
    ):
        assert set(listing) <= keys, f"{name} names URLs that no longer exist"


def test_no_admin_url_gives_commune_staff_anything_of_another_commune(
    communes, editor_a, superuser, caplog
):
    caplog.set_level(logging.ERROR, logger="django.request")  # thousands of 404s and 405s
    started = time.monotonic()
    a, b = communes
    planner = Planner(a, b)
    editor, admin = logged_in(editor_a), logged_in(superuser)
    request = Requester()
    problems, counts = [], {}
    for pattern in admin_patterns():
        kind, _why = classify(pattern)
        counts[kind] = counts.get(kind, 0) + 1
        if kind not in ("objects", "brute force", "descriptors"):
            continue
        attack, own = planner.fills(pattern, kind)
        assert attack, f"{pattern.label}: no fill with commune B's objects"
        for fill in attack:
            for method, url, data in (
                ("get", pattern.url(fill.values), fill.query),
                ("post", pattern.url(fill.values, fill.query), _post_data(pattern, a, b)),
            ):
                answer = request(editor, method, url, data)
                for leak in leaks(answer, pattern, fill, b):
                    shown = pattern.url(fill.values, fill.query)
                    problems.append(f"{pattern.label}: {method.upper()} {shown} {leak}")
        # A URL that answers 404 to its rightful users too is filled wrongly.
        valid = any(
            request(editor, "get", pattern.url(f.values), f.query).status != 404 for f in own
        )
        valid = valid or any(
            request(admin, "get", pattern.url(f.values), f.query).status != 404
            for f in attack
            if f.pure
        )
        if valid == (pattern.key in OWNER_404):
            problems.append(
                f"{pattern.label}: "
                + (
                    "no longer 404 for its owner: take it off OWNER_404"
                    if valid
                    else "404 for its owner and for a superuser: filled wrongly? (OWNER_404)"
                )
            )
    print(
        f"\nAdmin matrix: {sum(counts.values())} patterns with a parameter: {counts}; "
        f"{request.count} requests in {time.monotonic() - started:.1f}s"
    )
    assert counts.get("objects", 0) > 100
    assert not problems, "\n".join(problems)


def _url_of(planner, key, side="B", where=lambda values: True):
    """The URL of pattern ``key`` filled with one commune's objects."""
    pattern = next(p for p in admin_patterns() if p.key == key and p.shadowed_by is None)
    attack, own = planner.fills(pattern, classify(pattern)[0])
    if side == "A" and pattern.key in DESCRIPTORS:
        own = planner.descriptor_fills(pattern, "A")
    fill = next(f for f in (attack if side == "B" else own) if f.pure and where(f.values))
    return pattern.url(fill.values, fill.query)


# Screens that network coordinators use on every commune's records (with B's ids, they
# show B's data): the matrix's fixes must not take them away.
COORDINATOR_SCREENS = [
    "wagtailadmin_pages:edit",
    "wagtailadmin_pages:revisions_view",
    "wagtailadmin_pages:move_confirm",
    "wagtailadmin_pages:history",
    "participation_volunteers:edit",
    "participation_draws:run",
    "participation_members:edit",
    "exchange_listings:moderate",
    "needs_list:moderate",
    "funding_applications:inspect",
    "funding_sources:edit",
    "example_records:inspect",
    "project_catalog_admin:proposal",
    "wagtailimages:edit",
    "wagtaildocs:edit",
    "wagtail_bulk_action",
    "wagtailadmin_tag_model_autocomplete",
]


def test_coordinators_reach_every_communes_records_at_the_same_urls(communes, coordinator):
    client = logged_in(coordinator)
    planner = Planner(*communes)
    b = communes[1].commune
    for key in COORDINATOR_SCREENS:
        # A page moved, rather than the commune into itself; a bulk action on pages.
        url = _url_of(
            planner,
            key,
            where=lambda values: (
                values.get("page_to_move_id") != b.pk and values.get("app_label") != "auth"
            ),
        )
        response = client.get(url)
        assert response.status_code == 200, url
        assert MARKER in response.content.lower(), url


def test_commune_staff_still_reach_their_own_tags_and_bulk_actions(communes, client_a):
    planner = Planner(*communes)
    tags = client_a.get("/admin/tag-autocomplete/", {"term": "secret"}).json()
    assert tags == ["secret-a-document-tag", "secret-a-tag"]
    for key in ("wagtail_bulk_action", "wagtailadmin_tag_model_autocomplete"):
        url = _url_of(planner, key, "A", lambda values: values.get("app_label") != "auth")
        response = client_a.get(url)
        assert response.status_code == 200
        assert b"secret-a" in response.content.lower()
        assert MARKER not in response.content.lower()
