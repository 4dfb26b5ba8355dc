import datetime

import pytest
from django.utils import timezone

from parliament.models import (
    MicroParliamentPage,
    ParliamentMeeting,
    ParliamentPhase,
    ParliamentPriority,
)
from tests.participation.conftest import signup_page, signup_page_b  # noqa: F401 (fixtures)


@pytest.fixture
def parliament(commune_a):
    """Commune A's micro-parliament in its co-construction phase, a meeting past (with its
    minutes) and one ahead (with its agenda), and a priority."""
    today = timezone.localdate()
    now = timezone.now()
    days = datetime.timedelta
    page = MicroParliamentPage(
        title="Micro-parlement d'Aubigny",
        slug="micro-parlement",
        intro="<p>Douze habitants et habitantes, des élus, des acteurs locaux.</p>",
        mandate="<p>Proposer au conseil trois projets pour le bourg.</p>",
        cycle_name="Cycle 1 — automne 2026",
        phases=[
            ParliamentPhase(
                phase="diagnostic", starts_on=today - days(40), ends_on=today - days(10)
            ),
            ParliamentPhase(
                phase="co_construction", starts_on=today - days(9), ends_on=today + days(20)
            ),
            ParliamentPhase(phase="action", starts_on=today + days(21), ends_on=today + days(80)),
        ],
        meetings=[
            ParliamentMeeting(
                title="Réunion de lancement",
                starts_at=now - days(30),
                place="Salle des fêtes, Le Bourg",
                minutes="<p>Trois priorités retenues.</p>",
            ),
            ParliamentMeeting(
                title="Atelier mobilité",
                starts_at=now + days(7),
                ends_at=now + days(7, hours=2),
                place="Mairie, salle du conseil",
                agenda="<ul><li>Le transport à la demande</li><li>Le covoiturage</li></ul>",
            ),
        ],
        priorities=[
            ParliamentPriority(title="Une navette le jeudi", description="Vers le marché."),
        ],
    )
    commune_a.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page
