"""The micro-parliament page is the one page about it: how it works (its body), then its
members and meetings."""

import pytest

from parliament.factories import MicroParliamentPageFactory
from parliament.models import ParliamentMember, Role

pytestmark = pytest.mark.django_db


def test_the_page_explains_how_it_works_before_its_members(client, commune_a):
    page = MicroParliamentPageFactory(
        parent=commune_a,
        body=[
            {"type": "heading", "value": {"text": "Comment ça marche ?", "level": "h2"}},
            {
                "type": "faq",
                "value": {
                    "heading": "Vos questions",
                    "items": [
                        {
                            "question": "Combien de soirées ?",
                            "answer": "<p>Six à huit soirées sur trois mois.</p>",
                        }
                    ],
                },
            },
        ],
    )
    page.save_revision().publish()
    ParliamentMember.objects.create(
        micro_parliament=page,
        commune=commune_a,
        name="Odile Perrin",
        role=Role.ELECTED,
        show_name=True,
    )
    content = client.get(page.url).content.decode()
    how = content.index("Comment ça marche ?")
    assert "Six à huit soirées sur trois mois." in content
    assert how < content.index('id="members-heading"') < content.index("Odile Perrin")
    assert how < content.index('id="meetings-heading"')


def test_the_site_search_finds_the_page_by_its_explanation(client, commune_a):
    page = MicroParliamentPageFactory(
        parent=commune_a,
        body=[{"type": "paragraph", "value": "<p>Les séances ont lieu au lavoir.</p>"}],
    )
    page.save_revision().publish()
    response = client.get("/recherche/", {"q": "lavoir"})
    assert page.title in response.content.decode()
