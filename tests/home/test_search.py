import pytest

from home.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def test_search_finds_published_pages_and_scopes_to_a_commune(client, commune_a, commune_b):
    StandardPageFactory(parent=commune_a, title="Jardin partagé des Prés")
    StandardPageFactory(parent=commune_b, title="Jardin partagé de Bellecombe")
    StandardPageFactory(parent=commune_b, title="Jardin secret", live=False)

    content = client.get("/recherche/", {"q": "jardin"}).content.decode()
    assert "Jardin partagé des Prés" in content
    assert "Jardin partagé de Bellecombe" in content
    assert "Jardin secret" not in content

    content = client.get("/recherche/", {"q": "jardin", "commune": commune_a.pk}).content.decode()
    assert "Jardin partagé des Prés" in content
    assert "Bellecombe" not in content.split('id="results-heading"')[1]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "x" * 5000},
        {"q": "<script>", "commune": "abc"},
        {"q": "a", "page": "99"},
    ],
)
def test_search_survives_odd_input(client, network_home, params):
    response = client.get("/recherche/", params)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()
