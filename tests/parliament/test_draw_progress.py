"""While a draw computes, its screen shows the LEXIMIN stage and the lowest probability
so far (issue 21): the engine's reports reach the draw, in French."""

import re

import pytest
from django.utils import translation

import sortition
from parliament import draws
from parliament.factories import DrawFactory
from parliament.models import Draw, DrawStatus

pytestmark = pytest.mark.django_db

EXAMPLE = "tests/data/sortition/example_small_20"


def engine_reports():
    """The reports of a real computation (the published example, k = 20)."""
    quotas = sortition.read_quotas_csv(f"{EXAMPLE}/categories.csv")
    people = sortition.read_people_csv(
        f"{EXAMPLE}/respondents.csv", categories={q.category for q in quotas}
    )
    reports = []
    sortition.solve(sortition.Instance(people, quotas, 20), on_progress=reports.append)
    return reports


def test_the_stage_and_the_lowest_probability_reach_the_draw(commune_a):
    draw = DrawFactory(commune=commune_a, status=DrawStatus.COMPUTING)
    reports = engine_reports()
    ended = [report for report in reports if report.level is None]
    assert ended, "the engine reports each stage's end"
    progress, on_progress = draws._progress_writer(draw.pk)
    with translation.override("fr"):
        for report in ended:
            on_progress(report)
            draw.refresh_from_db()
            # Every stage's end is written at once, whatever the time since the last write.
            assert draw.progress == pytest.approx(report.fraction)
            message = " ".join(draw.progress_message.split())
            assert message.startswith(f"Étape {report.stage} : probabilité la plus faible ")
            percent = f"{100 * report.lowest:.2f}".replace(".", ",")
            assert f"{percent} %" in message
            assert re.search(rf"{report.fixed} groupes sur {report.groups} définitifs", message)
        # A plain message of the engine does not replace the stage's line.
        progress(1.0, "Terminé")
        draw.refresh_from_db()
        assert draw.progress_message.startswith(f"Étape {ended[-1].stage}")


def test_a_draw_no_longer_computing_is_not_written(commune_a):
    draw = DrawFactory(commune=commune_a, status=DrawStatus.COMPUTED)
    _progress, on_progress = draws._progress_writer(draw.pk)
    on_progress(engine_reports()[-1])
    assert Draw.objects.get(pk=draw.pk).progress_message == ""


def test_the_search_for_panels_reaches_the_draw_in_french(commune_a):
    # Before the stages end, the engine looks for panels reaching the LEXIMIN of the LP
    # relaxation: the screen says how far the lowest probability is from its aim.
    draw = DrawFactory(commune=commune_a, status=DrawStatus.COMPUTING)
    searching = [report for report in engine_reports() if report.target is not None]
    assert searching
    _progress, on_progress = draws._progress_writer(draw.pk)
    with translation.override("fr"):
        on_progress(searching[0])
    draw.refresh_from_db()
    message = " ".join(draw.progress_message.split())
    assert message.startswith("Recherche des panels : probabilité la plus faible ")
    target = f"{100 * searching[0].target:.2f}".replace(".", ",")
    assert f"sur {target} % visés" in message
    assert re.search(rf"{searching[0].fixed} groupes sur {searching[0].groups} atteints", message)
