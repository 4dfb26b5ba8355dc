"""The page cache and the volunteer list (issue 20): the sign-up page's changes show on it
and on its commune's home on the next request; the other commune's pages stay cached."""

import pytest

from participation.models import VolunteerSignupPage
from tests.mprc_cms.test_page_cache_invalidation import assert_hit, assert_shown, warm

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.MPRC_PAGE_CACHE = True


def test_the_signup_page_renamed_shows_on_it_and_the_communes_home(
    client, signup_page, signup_page_b, commune_a, commune_b
):
    # The sign-up pages hold a form (a CSRF cookie): never cached, the homes are.
    warm(client, commune_a.url, commune_b.url)
    page = VolunteerSignupPage.objects.get(pk=signup_page.pk)
    page.title = "Rejoindre la liste des volontaires du bourg"
    page.save_revision().publish()
    assert_shown(
        client, [signup_page.url, commune_a.url], "Rejoindre la liste des volontaires du bourg"
    )
    assert_hit(client, commune_b.url)
