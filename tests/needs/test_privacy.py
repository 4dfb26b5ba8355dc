"""The call for needs in the commune's privacy policy: its processings and its cookie."""

import pytest
from bs4 import BeautifulSoup

from home.onboarding import switch_module_off
from mprc_cms.modules import get_module

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french")]


def _cookie_names(client, commune):
    response = client.get(f"{commune.url}donnees-personnelles/")
    assert response.status_code == 200
    table = BeautifulSoup(response.content, "html.parser").find("caption", id="cookies-caption")
    rows = table.find_parent("table").find("tbody").find_all("tr")
    return [row.find(["th", "td"]).get_text(strip=True) for row in rows]


def test_the_supporters_cookie_is_listed_where_the_call_runs(client, call):
    commune = call.commune
    names = _cookie_names(client, commune)
    assert "needs_supporter_<n>" in names
    # The core's own cookies stay listed.
    assert "csrftoken" in names


def test_no_supporters_cookie_where_the_module_is_off(client, needs_index):
    commune = needs_index.commune
    switch_module_off(commune, get_module("needs"))
    assert "needs_supporter_<n>" not in _cookie_names(client, commune)
