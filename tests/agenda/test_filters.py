"""Whatever a visitor puts in the agenda's address (?mois=…, ?hameau=…, ?page=…), the
filters apply or are refused with a message: never an error page."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mprc_agenda.filters import AgendaFilterForm, month_bounds, month_value, parse_month
from mprc_agenda.models import today_start

from .factories import EventPageFactory

pytestmark = pytest.mark.usefixtures("french")


@given(st.text(max_size=20))
def test_parse_month_never_fails(value):
    day = parse_month(value)
    if day is not None:
        assert day.day == 1
        assert month_value(day) == value.strip()


@given(st.dates(min_value=datetime.date(1, 1, 1)))
def test_parse_month_reads_back_every_month(day):
    first = day.replace(day=1)
    assert parse_month(month_value(first)) == first
    start, end = month_bounds(first) if first.year < 9999 or first.month < 12 else (None, None)
    if start is not None:
        assert start.date() == first
        assert end.date().day == 1
        assert start < end


@given(st.integers(min_value=-10, max_value=100), st.integers(min_value=-5, max_value=20))
def test_parse_month_refuses_months_out_of_range(year, month):
    value = f"{year:04d}-{month:02d}"
    day = parse_month(value)
    assert (day is not None) == (year >= 1 and 1 <= month <= 12 and len(value) == 7)


@given(
    hameau=st.one_of(st.just("Les Perrières"), st.text(max_size=30)),
    mois=st.one_of(st.sampled_from(["", "2026-12", "2027-01"]), st.text(max_size=12)),
)
def test_the_form_applies_only_valid_choices(hameau, mois):
    form = AgendaFilterForm(
        {"hameau": hameau, "mois": mois},
        hamlets=["Les Perrières", "Le Bourg"],
        months=[datetime.date(2026, 12, 1), datetime.date(2027, 1, 1)],
    )
    applied = form.applied()
    assert applied.get("hameau", "Les Perrières") in {"Les Perrières", "Le Bourg"}
    assert applied.get("mois", "2026-12") in {"2026-12", "2027-01"}
    assert applied.get("hameau") == (hameau if hameau in {"Les Perrières", "Le Bourg"} else None)


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    query=st.dictionaries(
        st.sampled_from(["mois", "hameau", "page"]),
        st.text(
            alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
            max_size=15,
        ),
    ),
    archive=st.booleans(),
)
def test_any_query_answers_200_or_404(client, agenda_a, query, archive):
    if not agenda_a.get_children().exists():
        EventPageFactory(
            parent=agenda_a, title="Marché", start=today_start() + datetime.timedelta(days=3)
        )
        EventPageFactory(
            parent=agenda_a, title="Ancien", start=today_start() - datetime.timedelta(days=3)
        )
    url = agenda_a.url + ("archives/" if archive else "")
    response = client.get(url, query)
    assert response.status_code in (200, 404)
    if response.status_code == 404:
        assert query.get("page") not in (None, "", "1")
