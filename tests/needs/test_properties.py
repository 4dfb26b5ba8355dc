"""Property tests: whatever a robot or a resident types in the filters and the forms, no
error page, and nothing is stored from an invalid form."""

import pytest
from django.core import mail
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from needs.models import Need, Support
from tests.needs.helpers import propose_data, route

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=300,
)
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(theme=TEXT, hamlet=TEXT, tri=TEXT, page=TEXT)
def test_any_filter_gives_a_page(call, theme, hamlet, tri, page):
    response = Client().get(call.url, {"theme": theme, "hamlet": hamlet, "tri": tri, "page": page})
    assert response.status_code == 200


@SETTINGS
@given(
    kind=st.sampled_from(["need", "idea", "", "x"]),
    title=TEXT,
    theme=st.one_of(st.just("autre"), TEXT),
    email=st.one_of(st.just("pas-une-adresse"), st.just(""), TEXT),
    consent=st.sampled_from(["on", None]),
)
def test_an_invalid_proposal_stores_nothing(call, kind, title, theme, email, consent):
    data = propose_data(call, kind=kind, title=title, theme=theme, email=email, consent=consent)
    response = Client().post(route(call, "propose"), data)
    assert response.status_code in (200, 302, 429)
    if response.status_code != 302:
        assert not Need.objects.exists()
        assert not mail.outbox
    Need.objects.all().delete()
    mail.outbox.clear()


@SETTINGS
@given(email=TEXT, action=TEXT)
def test_any_support_input_gives_a_page_and_stores_nothing_invalid(call, email, action):
    from needs.factories import NeedFactory

    need = Need.objects.first() or NeedFactory(call=call)
    response = Client().post(route(call, "need", need.pk), {"email": email, "action": action})
    assert response.status_code in (200, 302, 429)
    if response.status_code == 200:
        assert not Support.objects.exists()
    Support.objects.all().delete()
