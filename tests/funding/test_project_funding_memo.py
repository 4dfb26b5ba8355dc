"""A project page's funding sections from the page cache's memo (project_funding): the
next request after a change shows it, for the memos and for the cached page alike
(docs/page-cache.md, *Memos*)."""

import html

import pytest

pytestmark = pytest.mark.django_db


def text(response):
    return " ".join(html.unescape(response.content.decode()).split())


CARD = 'class="card source-card"'


def funding(response, key):
    sections = {s.key: s for s in response.context["module_sections"]}
    return sections[key].context if key in sections else None


def test_funding_obtained_is_shown_on_the_next_request(client, guide_a, garden_project):
    import datetime

    from django.utils import timezone

    from project_catalog.funding.factories import FundingApplicationFactory, FundingSourceFactory
    from project_catalog.funding.models import ApplicationStatus

    source = FundingSourceFactory(name="Dotation de soutien rural")
    application = FundingApplicationFactory(project=garden_project, source=source)
    response = client.get(garden_project.url)
    assert funding(response, "funding-obtained") is None
    application.status = ApplicationStatus.GRANTED
    application.submitted_on = timezone.localdate() - datetime.timedelta(days=30)
    application.decided_on = timezone.localdate() - datetime.timedelta(days=2)
    application.amount_granted = 3200
    application.save()
    response = client.get(garden_project.url)
    obtained = funding(response, "funding-obtained")
    assert [a.pk for a in obtained["obtained"]] == [application.pk]
    assert obtained["total"] == 3200
    assert "Dotation de soutien rural" in obtained_names(response)


def obtained_names(response):
    table = response.content.decode().split('id="funding-obtained-caption"')[1]
    return html.unescape(table.split("</table>")[0])


@pytest.mark.parametrize("page_cache_on", [False, True], ids=["memos", "page cache"])
@pytest.mark.parametrize("reach", ["territory of another commune", "shared by another commune"])
def test_the_obtained_sources_new_name_is_shown_whatever_its_area(
    client, guide_a, garden_project, commune_b, reach, page_cache_on, settings
):
    """A project may obtain any source its commune sees (the network's, those another
    commune shares), whether or not the commune's guide lists it: renaming it purges the
    project page (FundingSource.page_cache_communes names the communes that applied)."""
    settings.MPRC_PAGE_CACHE = page_cache_on
    from project_catalog.funding.factories import FundingApplicationFactory, FundingSourceFactory
    from project_catalog.funding.models import Scope

    if reach == "territory of another commune":
        source = FundingSourceFactory(
            name="Contrat de territoire", scope=Scope.TERRITORY, territory_communes=[commune_b]
        )
    else:
        source = FundingSourceFactory(
            name="Contrat de territoire",
            commune=commune_b,
            shared=True,
            scope=Scope.TERRITORY,
            territory_communes=[commune_b],
        )
    FundingApplicationFactory(project=garden_project, source=source, granted=True)
    assert "Contrat de territoire" in obtained_names(client.get(garden_project.url))
    source.name = "Contrat de pays"
    source.save()
    names = obtained_names(client.get(garden_project.url))
    assert "Contrat de pays" in names
    assert "Contrat de territoire" not in names


@pytest.mark.parametrize("owner", ["network", "commune"])
def test_a_renamed_source_of_the_guide_is_shown_anew(
    client, guide_a, garden_project, commune_a, owner
):
    from project_catalog.funding.factories import FundingSourceFactory

    commune = commune_a if owner == "commune" else None
    source = FundingSourceFactory(name="Fonds des jardins", commune=commune)
    response = client.get(garden_project.url)
    assert [s.pk for s in funding(response, "funding-possible")["possible"]] == [source.pk]
    assert "Fonds des jardins" in text(response)
    source.name = "Fonds des vergers"
    source.save()
    response = client.get(garden_project.url)
    assert "Fonds des vergers" in text(response)
    assert "Fonds des jardins" not in text(response)


def test_the_anonymous_page_never_shows_the_staffs_cards(client, client_a, guide_a, garden_project):
    from project_catalog.funding.factories import FundingSourceFactory

    FundingSourceFactory(name="Fonds des jardins")
    FundingSourceFactory(name="Appel à projets nature")
    for _round in range(2):
        staff = client_a.get(garden_project.url).content.decode()
        assert staff.count(CARD) == 2
        anonymous = client.get(garden_project.url)
        assert CARD not in anonymous.content.decode()
        assert funding(anonymous, "funding-possible")["for_staff"] is False
        assert "funding-folded" in anonymous.content.decode()
        assert "private" not in anonymous.get("Cache-Control", "")
    # The other way round: the anonymous page first, on a cold memo.
    from mprc_cms import page_cache

    page_cache.forget_local_memos()
    from django.core.cache import cache

    cache.clear()
    assert CARD not in client.get(garden_project.url).content.decode()
    assert client_a.get(garden_project.url).content.decode().count(CARD) == 2
