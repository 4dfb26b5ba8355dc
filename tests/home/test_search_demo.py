"""Issue 17 on the demo network: «fonds vert», «broyeur» and «DETR» found nothing; the
site search now covers every module, and «covoiturage» lists «Covoiturage des Coteaux»
first, in the catalogue as in the site search."""

import html
import re

import pytest

from tests.conftest import needs_every_module
from tests.demo_helpers import load_demo

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("french"),
    needs_every_module,
]


def groups(client, q, **params):
    """{kind key: [result titles]} of a search."""
    response = client.get("/recherche/", {"q": q, **params})
    assert response.status_code == 200
    return {g.kind.key: [r.title for r in g.results] for g in response.context["groups"]}, response


def test_the_demo_networks_search(client):
    from home.models import CommunePage
    from project_catalog.models import ProjectCatalogPage

    load_demo()

    found, response = groups(client, "fonds vert")
    assert sorted(found["funding"]) == [
        "Fonds vert — accélérer la transition écologique des territoires",
        "Fonds vert — mobilités durables en zones rurales (dont covoiturage)",
    ]
    for group in response.context["groups"]:
        for result in group.results:
            assert client.get(result.url.split("#")[0]).status_code == 200, result.url

    found, _response = groups(client, "broyeur")
    assert "Emprunter un broyeur de végétaux" in found["posts"]

    found, _response = groups(client, "DETR")
    assert found["funding"][0] == "Dotation d'équipement des territoires ruraux (DETR)"

    found, _response = groups(client, "covoiturage")
    coteaux = "Covoiturage des Coteaux : descendre dans la vallée sans voiture"
    assert found["projects"][0] == coteaux
    assert found["templates"][0] == "Covoiturage local entre habitants"
    assert "meetings" in found

    saint_aubin = CommunePage.objects.get(title="Saint-Aubin-les-Vignes")
    found, _response = groups(client, "eglise", commune=saint_aubin.pk)
    assert coteaux in found["projects"]  # «place de l'Église»

    catalogue = ProjectCatalogPage.objects.get()
    content = html.unescape(client.get(catalogue.url, {"q": "covoiturage"}).content.decode())
    titles = re.findall(r'class="card__title"><a href="[^"]*">([^<]*)</a>', content)
    assert titles[0] == coteaux
