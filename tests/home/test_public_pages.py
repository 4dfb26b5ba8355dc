import pytest

from home.factories import NewsPageFactory
from home.models import NewsIndexPage

pytestmark = pytest.mark.django_db


def test_network_home_lists_communes_and_latest_news(client, commune_a, commune_b):
    news_index = NewsIndexPage.objects.child_of(commune_a).get()
    NewsPageFactory(parent=news_index, title="Le marché tournant arrive")
    response = client.get("/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Aubigny-les-Prés" in content
    assert "Bellecombe" in content
    assert "Le marché tournant arrive" in content
    assert '<html lang="fr">' in content


def test_commune_home_and_english_interface(client, commune_a):
    response = client.get(commune_a.url)
    assert response.status_code == 200
    assert "Aubigny-les-Prés" in response.content.decode()
    english = client.get("/en" + commune_a.url)
    assert english.status_code == 200
    assert '<html lang="en">' in english.content.decode()
