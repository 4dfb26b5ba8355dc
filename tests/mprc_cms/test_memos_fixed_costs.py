"""The page cache's memos of what every page asks for (mprc_cms/page_cache.py): Wagtail's
Site, the view restrictions behind ``.public()``, the published communes, a project's
funding and the needs it was born of. Computed once per change, never stale."""

import html
import re

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from wagtail.models import Page, PageViewRestriction, Site

from home.factories import StandardPageFactory
from home.models import CommunePage, attach_communes
from tests.conftest import needs_every_module

pytestmark = pytest.mark.django_db


def text(response):
    return " ".join(html.unescape(response.content.decode()).split())


def site_of(response):
    return response.wsgi_request._wagtail_site


# --- (a) Wagtail's Site ------------------------------------------------------------------------


def test_a_changed_root_page_serves_the_new_site(client, network_home, commune_a):
    assert site_of(client.get("/")).root_page.pk == network_home.pk
    site = Site.objects.get(is_default_site=True)
    site.root_page = commune_a
    site.save()
    response = client.get("/")
    assert response.status_code == 200
    assert site_of(response).root_page.pk == commune_a.pk
    assert isinstance(site_of(response).root_page, CommunePage)  # the specific page
    # The commune's page is now the home of the site.
    assert response.context["page"].pk == commune_a.pk


def test_a_changed_hostname_serves_the_new_site(client, network_home, commune_a, commune_b):
    Site.objects.create(hostname="aubigny.example", root_page=commune_a, site_name="Aubigny")
    assert site_of(client.get("/", HTTP_HOST="aubigny.example")).root_page.pk == commune_a.pk
    assert site_of(client.get("/", HTTP_HOST="bellecombe.example")).is_default_site
    site = Site.objects.get(hostname="aubigny.example")
    site.hostname = "bellecombe.example"
    site.root_page = commune_b
    site.site_name = "Bellecombe"
    site.save()
    response = client.get("/", HTTP_HOST="bellecombe.example")
    assert response.status_code == 200
    assert site_of(response).hostname == "bellecombe.example"
    assert site_of(response).root_page.pk == commune_b.pk
    assert response.context["page"].pk == commune_b.pk
    # The old name now falls back to the default site.
    assert site_of(client.get("/", HTTP_HOST="aubigny.example")).is_default_site


def test_a_changed_site_name_is_shown(client, network_home):
    site = Site.objects.get(is_default_site=True)
    client.get("/")
    site.site_name = "Réseau des villages du Clunisois"
    site.save()
    response = client.get("/")
    assert site_of(response).site_name == "Réseau des villages du Clunisois"


def test_two_requests_never_share_a_site(client, network_home, commune_a):
    first = site_of(client.get(commune_a.url))
    second = site_of(client.get(commune_a.url))
    assert first is not second
    assert first.root_page is not second.root_page
    assert first.pk == second.pk
    # What a request learns on its copy stays there.
    first.root_page.title = "Modifié par une requête"
    assert site_of(client.get(commune_a.url)).root_page.title == network_home.title


def test_a_page_served_on_a_warm_memo_asks_nothing_of_the_sites(client, commune_a):
    page = StandardPageFactory(parent=commune_a, title="Horaires de la mairie")
    for url in (page.url, commune_a.url, "/"):
        client.get(url)  # warm
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        on_sites = [q["sql"] for q in queries if "wagtailcore_site" in q["sql"]]
        assert on_sites == [], url


def test_a_page_of_the_network_asks_nothing_for_its_commune(client, network_home, commune_a):
    """Below the network's home, outside the communes (the library, the catalogue), a page
    learns on its way that it has no commune; a commune's page learns which."""
    section = StandardPageFactory(parent=network_home, title="Le réseau")
    network_page = StandardPageFactory(parent=section, title="Nos partenaires")
    commune_page = StandardPageFactory(
        parent=StandardPageFactory(parent=commune_a, title="La mairie"), title="Horaires"
    )
    for page, commune in ((network_page, None), (commune_page, commune_a)):
        client.get(page.url)  # warm
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page.url)
        assert response.status_code == 200
        # Routing reads each page of the address once (the commune's too); nothing else.
        ancestors = [
            q["sql"] for q in queries if "home_communepage" in q["sql"] and " IN (" in q["sql"]
        ]
        assert ancestors == [], page.url
        assert getattr(response.context["page"].commune, "pk", None) == getattr(commune, "pk", None)


def test_the_pages_on_the_way_are_memos_copied_for_each_request(client, commune_a):
    """Routing /commune/section/page/ reads the commune, the section and the page served
    from memos: no page is read, and no request shares another's objects."""
    section = StandardPageFactory(parent=commune_a, title="La mairie")
    page = StandardPageFactory(parent=section, title="Horaires")
    client.get(page.url)  # warm
    with CaptureQueriesContext(connection) as queries:
        first = client.get(page.url)
    on_pages = [q["sql"] for q in queries if '"wagtailcore_page"' in q["sql"]]
    assert on_pages == []
    second = client.get(page.url)
    assert first.context["page"].pk == second.context["page"].pk == page.pk
    assert first.context["page"] is not second.context["page"]
    # What a request sets on its page stays there.
    first.context["page"].title = "Changé par une requête"
    assert client.get(page.url).context["page"].title == "Horaires"
    assert first.context["page"].commune.pk == second.context["page"].commune.pk == commune_a.pk
    assert first.context["page"].commune is not second.context["page"].commune
    parents = [response.context["page"]._cached_parent_obj for response in (first, second)]
    assert parents[0].pk == parents[1].pk == section.pk
    assert parents[0] is not parents[1]
    # A change of a page on the way shows on the next request.
    commune_a.title = "Aubigny-en-Plaine"
    commune_a.save_revision().publish()
    response = client.get(page.url)
    assert response.context["page"].commune.title == "Aubigny-en-Plaine"
    assert "Aubigny-en-Plaine" in response.content.decode()
    # And of the page served.
    page.title = "Horaires d'hiver"
    page.save_revision().publish()
    assert "Horaires d&#x27;hiver" in client.get(page.url).content.decode()


# --- (b) The view restrictions behind .public() ----------------------------------------------


def public_ids():
    return set(Page.objects.public().values_list("pk", flat=True))


def wagtails_public_ids():
    """What Wagtail's own ``private_q`` excludes, rebuilt from the restrictions' rows."""
    q = Q()
    for restriction in PageViewRestriction.objects.select_related("page"):
        q |= Q(path__startswith=restriction.page.path) & Q(depth__gte=restriction.page.depth)
    queryset = Page.objects.all()
    if q:
        queryset = queryset.exclude(q)
    return set(queryset.values_list("pk", flat=True))


def test_a_new_restriction_hides_its_section_at_once(commune_a):
    section = StandardPageFactory(parent=commune_a, title="Conseil municipal")
    inner = StandardPageFactory(parent=section, title="Compte rendu")
    assert {section.pk, inner.pk} <= public_ids()
    restriction = PageViewRestriction.objects.create(
        page=section, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    assert not {section.pk, inner.pk} & public_ids()
    assert commune_a.pk in public_ids()
    assert set(Page.objects.not_public().values_list("pk", flat=True)) == {section.pk, inner.pk}
    restriction.delete()
    assert {section.pk, inner.pk} <= public_ids()
    assert not Page.objects.not_public().exists()


def test_public_asks_nothing_on_a_warm_memo(commune_a):
    PageViewRestriction.objects.create(page=commune_a, restriction_type=PageViewRestriction.LOGIN)
    Page.objects.public().count()
    with CaptureQueriesContext(connection) as queries:
        Page.objects.public().count()
    assert not [q for q in queries if "pageviewrestriction" in q["sql"]]


@pytest.fixture
def tree(commune_a, commune_b):
    """Commune pages, their children and grandchildren."""
    pages = [commune_a, commune_b]
    for commune in (commune_a, commune_b):
        for number in range(2):
            child = StandardPageFactory(parent=commune, title=f"Rubrique {number}")
            pages.append(child)
            pages.append(StandardPageFactory(parent=child, title=f"Page {number}"))
    return pages


@hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_public_is_wagtails_for_any_restrictions(tree, data):
    for _step in range(3):
        restricted = data.draw(
            st.lists(st.sampled_from(tree), max_size=4, unique_by=lambda p: p.pk)
        )
        kinds = data.draw(
            st.lists(
                st.sampled_from([PageViewRestriction.PASSWORD, PageViewRestriction.LOGIN]),
                min_size=len(restricted),
                max_size=len(restricted),
            )
        )
        created = [
            PageViewRestriction.objects.create(page=page, restriction_type=kind, password="x")
            for page, kind in zip(restricted, kinds, strict=True)
        ]
        assert public_ids() == wagtails_public_ids()
        # Removed (some of them): the memo follows.
        for restriction in created[: data.draw(st.integers(0, len(created)))]:
            restriction.delete()
        assert public_ids() == wagtails_public_ids()
    PageViewRestriction.objects.all().delete()
    assert public_ids() == wagtails_public_ids()


# --- (c) The published communes --------------------------------------------------------------


def search(client, query, **params):
    return client.get(reverse("search"), {"q": query, **params})


def result_lines(response):
    """The meta line of each result: «Page · <commune>»."""
    content = html.unescape(response.content.decode())
    return [
        " ".join(re.sub(r"<[^>]+>", " ", line).split())
        for line in re.findall(r'<p class="search-result__meta muted">(.*?)</p>', content, re.S)
    ]


def test_a_renamed_commune_is_named_anew_in_the_search_and_its_pages(client, commune_a):
    page = StandardPageFactory(parent=commune_a, title="Lavoir du hameau")
    assert any("Aubigny-les-Prés" in line for line in result_lines(search(client, "lavoir")))
    assert attach_communes([Page.objects.get(pk=page.pk)])[0].commune.title == "Aubigny-les-Prés"
    commune_a.title = "Aubigny-le-Haut"
    commune_a.save_revision().publish()
    lines = result_lines(search(client, "lavoir"))
    assert lines
    assert all("Aubigny-le-Haut" in line for line in lines), lines
    assert not any("Aubigny-les-Prés" in line for line in lines)
    assert attach_communes([Page.objects.get(pk=page.pk)])[0].commune.title == "Aubigny-le-Haut"
    # The communes' list of the search form too.
    options = search(client, "lavoir").content.decode()
    assert "Aubigny-le-Haut" in options


def test_attach_communes_hands_out_copies(commune_a):
    page = StandardPageFactory(parent=commune_a, title="Lavoir du hameau")
    first = attach_communes([Page.objects.get(pk=page.pk)])[0]
    first.commune.title = "Changé par une page"
    assert attach_communes([Page.objects.get(pk=page.pk)])[0].commune.title == commune_a.title


def test_an_unpublished_commune_disappears(client, commune_a, commune_b):
    page = StandardPageFactory(parent=commune_b, title="Lavoir de Bellecombe")
    response = search(client, "lavoir")
    assert "Lavoir de Bellecombe" in text(response)
    assert f'value="{commune_b.pk}"' in response.content.decode()
    assert attach_communes([Page.objects.get(pk=page.pk)])[0].commune.pk == commune_b.pk
    commune_b.unpublish()
    response = search(client, "lavoir")
    assert "Lavoir de Bellecombe" not in text(response)
    assert f'value="{commune_b.pk}"' not in response.content.decode()
    assert f'value="{commune_a.pk}"' in response.content.decode()
    assert attach_communes([Page.objects.get(pk=page.pk)])[0].commune is None
    # Searching in it (an old link) searches the whole network.
    assert search(client, "lavoir", commune=commune_b.pk).context["commune"] is None
    commune_b.save_revision().publish()
    assert "Lavoir de Bellecombe" in text(search(client, "lavoir"))


# --- (e) The needs a project was born of -------------------------------------------------------


@pytest.fixture
def needs_project(every_module_on, commune_a):
    from project_catalog.factories import ProjectPageFactory

    return ProjectPageFactory(commune=commune_a, title="Abris de car", publish=True)


def _kept(call, priority, title, **fields):
    from needs.models import Outcome
    from tests.needs.staff_helpers import make_need

    return make_need(call, title=title, outcome=Outcome.KEPT, priority=priority, **fields)


@needs_every_module
def test_a_need_kept_for_the_projects_priority_is_shown_next_request(
    client, needs_project, commune_a
):
    from tests.needs.staff_helpers import make_call, make_parliament

    call = make_call(commune_a, title="Ce qui manque à Aubigny")
    _page, (priority,) = make_parliament(commune_a, [("Se déplacer sans voiture", None)])
    need = _kept(call, priority, "Un abri à la Croix")
    assert "Un abri à la Croix" not in text(client.get(needs_project.url))
    # The priority becomes the project.
    priority.project = needs_project
    priority.save()
    response = client.get(needs_project.url)
    assert "Un abri à la Croix" in text(response)
    assert f"{call.url}besoin/{need.pk}/" in response.content.decode()
    # Another need kept for it, a title changed: the next request shows them.
    _kept(call, priority, "Un abri au Bourg")
    need.title = "Un abri à la Croix-Blanche"
    need.save()
    page = text(client.get(needs_project.url))
    assert "Un abri au Bourg" in page
    assert "Un abri à la Croix-Blanche" in page


@needs_every_module
@pytest.mark.parametrize("page_cache_on", [False, True], ids=["memos", "page cache"])
def test_needs_of_another_communes_call_follow_their_call(
    client, needs_project, commune_a, commune_b, page_cache_on, settings
):
    """A micro-parliament of both communes: a need of commune B's call, kept for the
    project's priority, leaves the project page of commune A when its call is closed to
    the public or its commune unpublished (the page depends on every change then:
    page_cache.depends_on)."""
    settings.MPRC_PAGE_CACHE = page_cache_on
    from tests.needs.staff_helpers import make_call, make_parliament

    call_b = make_call(commune_b, title="Ce qui manque à Bellecombe")
    _page, (priority,) = make_parliament(
        commune_a, [("Se déplacer sans voiture", needs_project)], communes=[commune_a, commune_b]
    )
    _kept(call_b, priority, "Un abri à Bellecombe")
    assert "Un abri à Bellecombe" in text(client.get(needs_project.url))
    restriction = PageViewRestriction.objects.create(
        page=call_b, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    response = client.get(needs_project.url)
    assert "needs-origin-heading" not in response.content.decode()
    assert "Un abri à Bellecombe" not in text(response)
    restriction.delete()
    assert "Un abri à Bellecombe" in text(client.get(needs_project.url))
    commune_b.unpublish()
    response = client.get(needs_project.url)
    assert "needs-origin-heading" not in response.content.decode()
    assert "Un abri à Bellecombe" not in text(response)
