"""Creating a commune in one step: command, admin form, page editor."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Site

from home.models import CommunePage, NewsIndexPage, insee_code_taken

pytestmark = pytest.mark.django_db


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("create_commune", *args, stdout=out)
    return out.getvalue()


def test_create_commune_command_sets_up_everything(network_home):
    output = run(
        "Vaux-sur-Grosne",
        "--insee", "71999",
        "--postcode", "71250",
        "--population", "240",
        "--epci", "CC des Vallons",
        "--hostname", "vaux-sur-grosne.example.fr",
    )  # fmt: skip
    commune = CommunePage.objects.get(insee_code="71999")
    assert "Vaux-sur-Grosne" in output
    # A draft, until a coordinator publishes it.
    assert not commune.live
    assert commune.get_parent().pk == network_home.pk
    assert commune.population == 240
    assert commune.epci == "CC des Vallons"
    # An editors group whose page rights cover the commune's subtree only.
    perms = GroupPagePermission.objects.filter(group=commune.editors_group)
    assert {p.page_id for p in perms} == {commune.pk}
    assert {p.permission.codename for p in perms} >= {"add_page", "change_page", "publish_page"}
    assert commune.editors_group.permissions.filter(codename="access_admin").exists()
    # A collection for its images and documents, with matching rights.
    assert commune.collection.get_parent() == Collection.get_first_root_node()
    codenames = set(
        GroupCollectionPermission.objects.filter(
            group=commune.editors_group, collection=commune.collection
        ).values_list("permission__codename", flat=True)
    )
    assert {"add_image", "choose_image", "add_document", "choose_document"} <= codenames
    # Its own site, rooted at the commune.
    site = Site.objects.get(hostname="vaux-sur-grosne.example.fr")
    assert site.root_page_id == commune.pk
    # A news section to start with.
    assert NewsIndexPage.objects.child_of(commune).count() == 1


def test_create_commune_command_publishes_on_request(network_home):
    run("Vaux-sur-Grosne", "--insee", "71999", "--postcode", "71250", "--publish")
    commune = CommunePage.objects.get(insee_code="71999")
    assert commune.live
    assert NewsIndexPage.objects.child_of(commune).get().live


def test_create_commune_twice_changes_nothing_and_says_so(network_home):
    run("Vaux-sur-Grosne", "--insee", "71999", "--postcode", "71250")
    counts = (CommunePage.objects.count(), Collection.objects.count(), Site.objects.count())
    output = run("Autre nom", "--insee", "71999", "--postcode", "71460", "--population", "9")
    assert "71999" in output
    assert "existe déjà" in output
    assert "rien n" in output
    assert "modifié" in output
    assert (CommunePage.objects.count(), Collection.objects.count(), Site.objects.count()) == counts
    commune = CommunePage.objects.get(insee_code="71999")
    assert commune.title == "Vaux-sur-Grosne"
    assert commune.population is None


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["X", "--insee", "7199", "--postcode", "71250"], "7199"),
        (["X", "--insee", "71999", "--postcode", "7125A"], "7125A"),
        (["X", "--insee", "71999", "--postcode", "71250", "--hostname", "http://x"], "http://x"),
        (["X", "--insee", "71999", "--postcode", "71250", "--population", "-3"], "0"),
    ],
)
def test_create_commune_rejects_bad_input_and_writes_nothing(network_home, args, fragment):
    before = CommunePage.objects.count()
    with pytest.raises(CommandError) as error:
        run(*args)
    assert fragment in str(error.value)
    assert CommunePage.objects.count() == before


def test_corsican_insee_code_is_accepted(network_home):
    run("Ajaccio-le-Petit", "--insee", "2a998", "--postcode", "20000")
    assert CommunePage.objects.filter(insee_code="2A998").exists()


def test_hostname_already_used_is_refused(network_home):
    run("Une", "--insee", "71991", "--postcode", "71250", "--hostname", "une.example.fr")
    with pytest.raises(CommandError):
        run("Deux", "--insee", "71992", "--postcode", "71250", "--hostname", "une.example.fr")
    assert not CommunePage.objects.filter(insee_code="71992").exists()


def test_coordinator_creates_a_commune_from_the_admin(coordinator_client):
    response = coordinator_client.post(
        reverse("mprc_communes:create"),
        {"name": "Cluny-les-Bois", "insee_code": "71998", "postcode": "71250", "population": 120},
    )
    commune = CommunePage.objects.get(insee_code="71998")
    assert response.status_code == 302
    assert response.url == reverse("mprc_communes:modules", args=[commune.pk])
    assert commune.editors_group is not None
    assert commune.collection is not None


def test_admin_form_explains_errors_in_french(coordinator_client, commune_a):
    response = coordinator_client.post(
        reverse("mprc_communes:create"),
        {"name": "Doublon", "insee_code": commune_a.insee_code, "postcode": "7125"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    with translation.override("fr"):
        assert escape(insee_code_taken(commune_a)) in content
    assert "code postal" in content.lower()
    assert CommunePage.objects.count() == 1


def test_editors_cannot_create_communes(client_a):
    assert client_a.get(reverse("mprc_communes:create")).status_code in (302, 403)
    response = client_a.post(
        reverse("mprc_communes:create"),
        {"name": "Pirate", "insee_code": "71997", "postcode": "71250"},
    )
    assert response.status_code in (302, 403)
    assert not CommunePage.objects.filter(insee_code="71997").exists()


def test_commune_created_in_the_page_editor_gets_its_rights(superuser, network_home):
    from tests.conftest import logged_in

    client = logged_in(superuser)
    url = reverse("wagtailadmin_pages:add", args=["home", "communepage", network_home.pk])
    response = client.post(
        url,
        {
            "title": "Saint-Éditeur",
            "slug": "saint-editeur",
            "insee_code": "71996",
            "postcode": "71250",
            "body-count": "0",
            "action-publish": "publish",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    commune = CommunePage.objects.get(insee_code="71996")
    assert commune.editors_group is not None
    assert GroupPagePermission.objects.filter(group=commune.editors_group, page=commune).exists()
