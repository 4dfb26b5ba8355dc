"""The agenda switched off for a commune, and removed from the whole site: its pages,
feeds and search results go with it (404), the rest of the site stays."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.translation import pgettext

from home.onboarding import switch_module_off, switch_module_on
from mprc_cms.dashboard import commune_blocks
from mprc_cms.modules import discover_modules

from .factories import EventPageFactory

pytestmark = pytest.mark.usefixtures("french")
REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_switching_the_agenda_off_takes_its_pages_off_and_on_again(
    client, commune_a, agenda_a, agenda_module, editor_a
):
    event = EventPageFactory(parent=agenda_a, title="Marché tournant", publish=True)
    urls = [agenda_a.url, agenda_a.url + "archives/", event.url]
    urls += [agenda_a.ical_url(), event.ical_url()]

    def search():
        return client.get(reverse("search"), {"q": "marche tournant"}).content.decode()

    def agenda_items():
        (block,) = commune_blocks([commune_a], editor_a)
        return [item for item in block.items if item.label == pgettext("module", "Agenda")]

    assert [client.get(url).status_code for url in urls] == [200] * len(urls)
    assert event.url in search()
    assert agenda_items()

    switch_module_off(commune_a, agenda_module)
    assert [client.get(url).status_code for url in urls] == [404] * len(urls)
    assert event.url not in search()
    assert not agenda_items()
    assert client.get(commune_a.url).status_code == 200

    switch_module_on(commune_a, agenda_module)
    assert [client.get(url).status_code for url in urls] == [200] * len(urls)
    assert event.url in search()


SET_UP = """
import datetime, json
from django.utils import timezone
from home.onboarding import create_commune, get_network_home, switch_module_on
from mprc_cms.modules import get_module
from mprc_agenda.models import EventPage

get_network_home()
commune = create_commune(
    name="Aubigny-les-Prés", insee_code="71801", postcode="71250", population=300,
    epci="CC d'essai", publish=True,
).commune
agenda, _created = switch_module_on(commune, get_module("agenda"))
event = EventPage(
    title="Marché tournant", slug="marche-tournant", place="Place du lavoir",
    start=timezone.now() + datetime.timedelta(days=3),
)
agenda.add_child(instance=event)
print(json.dumps({
    "commune": commune.url, "agenda": agenda.url, "archive": agenda.url + "archives/",
    "event": event.url, "feed": agenda.specific.ical_url(), "event feed": event.ical_url(),
    "search": "/recherche/?q=marche+tournant",
}))
"""

SERVE = """
import json, sys
from django.apps import apps
from django.test import Client

assert not apps.is_installed("mprc_agenda")
client = Client(raise_request_exception=False)
urls = json.loads(sys.stdin.read())
print(json.dumps({
    name: [client.get(url).status_code, "Marché tournant" in client.get(url).text]
    for name, url in urls.items()
}))
"""


def manage(env, *args, stdin=None):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1]


def test_a_site_that_removes_the_agenda_answers_404_for_its_pages(tmp_path):
    """Prepared with the agenda on, then served with MPRC_MODULES naming every other
    module: the agenda's pages and feeds are gone, the commune's home is there."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE,
    }
    env.pop("MPRC_MODULES", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    manage(env, "migrate", "--noinput")
    urls = json.loads(manage(env, "shell", "-c", SET_UP))

    others = [key for key in discover_modules() if key != "agenda"]
    without = {**env, "MPRC_MODULES": ",".join(others) or "none"}
    answers = json.loads(manage(without, "shell", "-c", SERVE, stdin=json.dumps(urls)))
    assert answers.pop("commune") == [200, False]
    assert answers.pop("search")[1] is False
    assert answers == {name: [404, False] for name in answers}
    assert set(answers) == {"agenda", "archive", "event", "feed", "event feed"}
