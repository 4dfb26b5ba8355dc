"""When a source is open: permanent, dated and yearly windows, around year boundaries."""

import datetime

import pytest

from project_catalog.funding.factories import FundingSourceFactory
from project_catalog.funding.models import FundingSource
from project_catalog.funding.windows import Timing, Window, current_window

D = datetime.date


def window(timing, opens, closes, today):
    return current_window(timing, opens, closes, today)


def test_permanent_is_always_open_without_deadline():
    assert window(Timing.PERMANENT, None, None, D(2026, 12, 31)) == Window(None, None)


@pytest.mark.parametrize(
    ("opens", "closes", "expected"),
    [
        (D(2026, 3, 1), D(2026, 6, 30), Window(D(2026, 3, 1), D(2026, 6, 30))),
        (None, D(2026, 6, 30), Window(None, D(2026, 6, 30))),
        (D(2026, 3, 1), None, Window(D(2026, 3, 1), None)),
    ],
)
def test_dated_window_is_its_dates(opens, closes, expected):
    assert window(Timing.DATED, opens, closes, D(2026, 12, 5)) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        # Opens 1 March, closes 30 June, every year.
        (D(2026, 1, 10), Window(D(2026, 3, 1), D(2026, 6, 30))),  # before: next window
        (D(2026, 3, 1), Window(D(2026, 3, 1), D(2026, 6, 30))),  # opening day
        (D(2026, 6, 30), Window(D(2026, 3, 1), D(2026, 6, 30))),  # closing day
        (D(2026, 7, 1), Window(D(2027, 3, 1), D(2027, 6, 30))),  # the day after: next year
        (D(2026, 12, 31), Window(D(2027, 3, 1), D(2027, 6, 30))),
    ],
)
def test_yearly_window_within_a_year(today, expected):
    # The years written do not count, only day and month.
    assert window(Timing.YEARLY, D(2019, 3, 1), D(2019, 6, 30), today) == expected


@pytest.mark.parametrize(
    ("today", "expected", "is_open"),
    [
        # Opens 1 November, closes 31 January: the window spans the new year.
        (D(2026, 12, 20), Window(D(2026, 11, 1), D(2027, 1, 31)), True),
        (D(2027, 1, 10), Window(D(2026, 11, 1), D(2027, 1, 31)), True),
        (D(2027, 1, 31), Window(D(2026, 11, 1), D(2027, 1, 31)), True),
        (D(2027, 2, 1), Window(D(2027, 11, 1), D(2028, 1, 31)), False),
        (D(2027, 10, 31), Window(D(2027, 11, 1), D(2028, 1, 31)), False),
        (D(2027, 11, 1), Window(D(2027, 11, 1), D(2028, 1, 31)), True),
    ],
)
def test_yearly_window_across_the_new_year(today, expected, is_open):
    found = window(Timing.YEARLY, D(2020, 11, 1), D(2021, 1, 31), today)
    assert found == expected
    assert found.is_open(today) is is_open


def test_yearly_deadline_without_opening_is_open_until_the_deadline():
    assert window(Timing.YEARLY, None, D(2020, 3, 15), D(2026, 3, 15)) == Window(
        None, D(2026, 3, 15)
    )
    assert window(Timing.YEARLY, None, D(2020, 3, 15), D(2026, 3, 16)) == Window(
        None, D(2027, 3, 15)
    )


def test_29_february_is_28_february_in_other_years():
    assert window(Timing.YEARLY, D(2024, 1, 1), D(2024, 2, 29), D(2027, 1, 5)) == Window(
        D(2027, 1, 1), D(2027, 2, 28)
    )
    assert window(Timing.YEARLY, D(2024, 1, 1), D(2024, 2, 29), D(2028, 1, 5)) == Window(
        D(2028, 1, 1), D(2028, 2, 29)
    )


@pytest.mark.django_db
def test_states_of_sources():
    today = D(2026, 12, 5)
    cases = {
        "permanent": FundingSourceFactory(timing=Timing.PERMANENT),
        "open": FundingSourceFactory(timing=Timing.DATED, closes_on=D(2027, 3, 1)),
        "closing_soon": FundingSourceFactory(timing=Timing.DATED, closes_on=D(2027, 1, 4)),
        "upcoming": FundingSourceFactory(
            timing=Timing.DATED, opens_on=D(2027, 1, 15), closes_on=D(2027, 4, 1)
        ),
        "closed": FundingSourceFactory(timing=Timing.DATED, closes_on=D(2026, 12, 4)),
    }
    for expected, source in cases.items():
        source.set_window(today)
        assert source.state(today) == expected
    # 30 days ahead is still "closing soon", 31 is not.
    source = cases["open"]
    source.closes_on = D(2027, 1, 4)
    source.set_window(today)
    assert source.state(today) == "closing_soon"
    source.closes_on = D(2027, 1, 5)
    source.set_window(today)
    assert source.state(today) == "open"


@pytest.mark.django_db
def test_roll_forward_moves_closed_yearly_windows_only():
    yearly = FundingSourceFactory(
        timing=Timing.YEARLY, opens_on=D(2026, 11, 1), closes_on=D(2027, 1, 31)
    )
    dated = FundingSourceFactory(timing=Timing.DATED, closes_on=D(2026, 1, 31))
    FundingSource.objects.filter(pk=yearly.pk).update(
        window_start=D(2025, 11, 1), window_end=D(2026, 1, 31)
    )
    assert FundingSource.objects.roll_forward(D(2026, 12, 5)) == 1
    yearly.refresh_from_db()
    dated.refresh_from_db()
    assert (yearly.window_start, yearly.window_end) == (D(2026, 11, 1), D(2027, 1, 31))
    assert dated.window_end == D(2026, 1, 31)
    assert FundingSource.objects.roll_forward(D(2026, 12, 5)) == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"timing": Timing.YEARLY, "closes_on": None}, "closes_on"),
        (
            {"timing": Timing.DATED, "opens_on": D(2027, 2, 1), "closes_on": D(2027, 1, 1)},
            "closes_on",
        ),
        ({"scope": "region", "region": ""}, "region"),
        ({"scope": "department", "department": ""}, "department"),
        ({"scope": "territory", "territory_name": ""}, "territory_name"),
        ({"amount_min": 5000, "amount_max": 1000}, "amount_max"),
        ({"rate_min": 50, "rate_max": 20}, "rate_max"),
        ({"rate_max": 120}, "rate_max"),
    ],
)
def test_inconsistent_sources_are_refused(fields, field):
    from django.core.exceptions import ValidationError

    source = FundingSourceFactory.build(financer=FundingSourceFactory().financer, **fields)
    with pytest.raises(ValidationError) as error:
        source.full_clean()
    assert field in error.value.message_dict
