"""The draws and the micro-parliament moved from the volunteer list's app to their own
(``participation`` 0012, ``parliament`` 0001): their rows, pages, content types and
permissions survive the move both ways, on SQLite and PostgreSQL alike."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from wagtail.models import Page

from parliament.factories import DrawFactory
from parliament.models import Draw, DrawSeat, MicroParliamentPage, ParliamentMember, Role
from participation.factories import PoolFactory, VolunteerFactory

pytestmark = pytest.mark.usefixtures("every_module_on")

BEFORE = [("participation", "0011_micro_parliament_how_it_works"), ("parliament", None)]


def _latest(executor):
    return executor.loader.graph.leaf_nodes()


def _tables():
    return set(connection.introspection.table_names())


@pytest.mark.django_db(transaction=True)
def test_the_move_keeps_every_row_both_ways(commune_a):
    pool = PoolFactory(commune=commune_a)
    draw = DrawFactory(commune=commune_a, pools=[pool])
    DrawSeat.objects.create(draw=draw, number=1)
    page = draw.micro_parliament
    member = ParliamentMember.objects.create(
        micro_parliament=page,
        commune=commune_a,
        role=Role.DRAWN_RESIDENT,
        name="Camille M.",
        volunteer=VolunteerFactory(commune=commune_a, signed_up=True),
    )
    page_type = ContentType.objects.get_for_model(MicroParliamentPage)
    draw_type = ContentType.objects.get_for_model(Draw)
    permissions = set(
        Permission.objects.filter(content_type=draw_type).values_list("pk", flat=True)
    )
    assert permissions

    executor = MigrationExecutor(connection)
    latest = _latest(executor)
    executor.migrate(BEFORE)
    assert {"participation_draw", "participation_draw_pools"} <= _tables()
    assert not {name for name in _tables() if name.startswith("parliament_")}
    assert ContentType.objects.get(pk=draw_type.pk).app_label == "participation"

    executor = MigrationExecutor(connection)
    executor.migrate(latest)
    assert not {name for name in _tables() if name.startswith("participation_draw")}
    ContentType.objects.clear_cache()
    assert ContentType.objects.get(pk=page_type.pk).app_label == "parliament"
    assert ContentType.objects.get(pk=draw_type.pk).app_label == "parliament"
    assert (
        set(Permission.objects.filter(content_type=draw_type).values_list("pk", flat=True))
        == permissions
    )

    moved = Draw.objects.get(pk=draw.pk)
    assert list(moved.pools.all()) == [pool]
    assert moved.seats.get().number == 1
    assert moved.micro_parliament_id == page.pk
    assert isinstance(Page.objects.get(pk=page.pk).specific, MicroParliamentPage)
    assert ParliamentMember.objects.get(pk=member.pk).volunteer_id == member.volunteer_id
