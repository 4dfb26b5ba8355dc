"""The commune home's «Take part» lists the micro-parliament that serves the commune, its
own or one shared with its neighbours under the network home (``take_part_pages``): three
queries (the view restrictions, the pages, the communes they chose)."""

import pytest
from django.utils import translation

from parliament.factories import MicroParliamentPageFactory
from parliament.models.micro_parliament import take_part_pages

pytestmark = pytest.mark.django_db


def take_part_section(client, commune):
    content = client.get(commune.url).content.decode()
    start = content.index('id="modules-heading"')
    return content[start : content.index("</nav>", start)]


def test_a_shared_micro_parliament_is_listed_on_each_commune_it_serves(
    client, network_home, commune_a, commune_b, signup_page, signup_page_b
):
    shared = MicroParliamentPageFactory(
        parent=network_home, title="Micro-parlement des Coteaux", communes=[commune_a]
    )
    assert shared.url in take_part_section(client, commune_a)
    assert "Micro-parlement des Coteaux" not in take_part_section(client, commune_b)


def test_the_commune_s_own_micro_parliament_is_listed_with_a_sentence_for_residents(
    client, commune_a, signup_page
):
    own = MicroParliamentPageFactory(parent=commune_a, title="Le micro-parlement")
    with translation.override("fr"):
        section = take_part_section(client, commune_a)
        sentence = translation.gettext(
            "Who sits in it, when it meets, its draws by lot and the projects it carries."
        )
    assert own.url in section
    assert sentence.replace("’", "&#x27;") in section or sentence in section


def test_a_draft_or_private_micro_parliament_is_not_listed(network_home, commune_a):
    draft = MicroParliamentPageFactory(parent=network_home, communes=[commune_a])
    draft.unpublish()
    assert take_part_pages(commune_a) == []


def test_nothing_is_listed_when_the_module_is_off(client, network_home, commune_a):
    MicroParliamentPageFactory(
        parent=network_home, title="Micro-parlement des Coteaux", communes=[commune_a]
    )
    assert "Micro-parlement des Coteaux" not in client.get(commune_a.url).content.decode()


def test_the_pages_cost_a_fixed_number_of_queries(
    django_assert_max_num_queries, network_home, commune_a, commune_b
):
    for _ in range(5):
        MicroParliamentPageFactory(parent=network_home, communes=[commune_a, commune_b])
    with django_assert_max_num_queries(3):
        assert len(take_part_pages(commune_a)) == 5
