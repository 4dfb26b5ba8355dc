"""When a funding source can be applied to: its window around a given day.

Three kinds of timing (``Timing``):

- **permanent**: applications are taken all year, there is no deadline;
- **dated**: one window, from the opening date (none: already open) to the closing date
  (none: no deadline announced yet);
- **yearly**: the same window every year, by day and month (the years written are
  ignored). A window may span the new year (opens 1 November, closes 31 January); a
  yearly source with a closing date only takes applications all year until that day.

:func:`current_window` gives the window that is open on a day, else the next one. The
dates of that window are stored on each source (``window_start``/``window_end``) so that
lists filter and sort in SQL; a yearly window is rolled forward once it has closed.
"""

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Timing(models.TextChoices):
    PERMANENT = "permanent", _("All year, no deadline")
    DATED = "dated", _("Fixed dates")
    YEARLY = "yearly", _("Every year, same dates")


CLOSING_SOON_DAYS = 30


def same_day_in(day_of_year, year):
    """The same day and month in ``year``; 29 February is 28 February in other years."""
    try:
        return day_of_year.replace(year=year)
    except ValueError:
        return day_of_year.replace(year=year, day=28)


@dataclass(frozen=True)
class Window:
    start: datetime.date | None  # None: open since before anyone can tell
    end: datetime.date | None  # None: no deadline

    def is_open(self, day):
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def is_closed(self, day):
        return self.end is not None and self.end < day


def current_window(timing, opens_on, closes_on, today):
    """The window of a source that is open on ``today``, else its next one (or, for a dated
    source that has closed, its last one)."""
    if timing == Timing.PERMANENT:
        return Window(None, None)
    if timing == Timing.DATED:
        return Window(opens_on, closes_on)
    # Yearly.
    if closes_on is None:  # refused by the model's validation; open, to be safe
        return Window(None, None)
    year = today.year
    if opens_on is None:
        end = same_day_in(closes_on, year)
        if end < today:
            end = same_day_in(closes_on, year + 1)
        return Window(None, end)
    start_day, end_day = (opens_on.month, opens_on.day), (closes_on.month, closes_on.day)
    if start_day <= end_day:  # within one calendar year
        end = same_day_in(closes_on, year)
        if today <= end:
            return Window(same_day_in(opens_on, year), end)
        return Window(same_day_in(opens_on, year + 1), same_day_in(closes_on, year + 1))
    # Spans the new year: opens in year N, closes in year N + 1.
    end = same_day_in(closes_on, year)
    if today <= end:
        return Window(same_day_in(opens_on, year - 1), end)
    return Window(same_day_in(opens_on, year), same_day_in(closes_on, year + 1))
