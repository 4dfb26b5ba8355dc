import pytest
from django.contrib.auth import authenticate, get_user_model
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Page

from home.models import CommunePage, NewsPage
from tests.demo_helpers import load_demo

pytestmark = pytest.mark.django_db


def test_load_demo_builds_the_network_and_is_idempotent(client):
    output = load_demo()
    assert CommunePage.objects.count() == 5
    assert NewsPage.objects.live().count() == 15
    assert "admin" in output
    assert "mot-de-passe-demo" in output
    assert authenticate(username="admin", password="mot-de-passe-demo") is not None
    coordinator = get_user_model().objects.get(username="coordination")
    assert coordinator.groups.filter(name="Coordinateurs du réseau").exists()
    for commune in CommunePage.objects.all():
        assert commune.population
        assert commune.epci
        # Its news and its town hall page (the micro-parliament's page and the modules'
        # index pages come with the modules).
        assert Page.objects.child_of(commune).live().count() >= 2
        assert not Page.objects.child_of(commune).filter(slug="le-micro-parlement").exists()
        assert get_user_model().objects.filter(groups=commune.editors_group).count() == 1
    counts = (Page.objects.count(), Image.objects.count(), Document.objects.count())
    assert all(image.description for image in Image.objects.filter(title__startswith="Paysage"))

    load_demo()
    assert (Page.objects.count(), Image.objects.count(), Document.objects.count()) == counts

    for commune in CommunePage.objects.all():
        assert client.get(commune.url).status_code == 200
    assert client.get("/").status_code == 200
