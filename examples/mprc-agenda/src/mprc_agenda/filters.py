"""The agenda's filters: by hamlet and by month (``?hameau=…&mois=AAAA-MM``).

Whatever a visitor types in the address bar, a filter either applies or is refused with a
message; it never breaks the page.
"""

import datetime
import re

from django import forms
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

MONTH_RE = re.compile(r"(\d{4})-(\d{2})")


def parse_month(value):
    """The first day of the month written ``YYYY-MM`` in ``value``, or None."""
    if not isinstance(value, str):
        return None
    match = MONTH_RE.fullmatch(value.strip())
    if match is None:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (1 <= month <= 12) or year < 1:
        return None
    return datetime.date(year, month, 1)


def month_value(day):
    return f"{day.year:04d}-{day.month:02d}"


def month_label(day):
    return capfirst(formats.date_format(day, "F Y"))


def month_bounds(first_day):
    """The month starting on ``first_day``: [start, end) as aware datetimes of the site's
    time zone."""
    if first_day.month == 12:
        following = datetime.date(first_day.year + 1, 1, 1)
    else:
        following = datetime.date(first_day.year, first_day.month + 1, 1)
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(first_day, datetime.time.min, tzinfo=zone),
        datetime.datetime.combine(following, datetime.time.min, tzinfo=zone),
    )


class AgendaFilterForm(forms.Form):
    """The filters of a list of events; the choices are those the list has."""

    hameau = forms.ChoiceField(label=_("Hamlet"), required=False)
    mois = forms.ChoiceField(label=_("Month"), required=False)

    def __init__(self, data, *, hamlets, months):
        super().__init__(data)
        self.fields["hameau"].choices = [("", _("Every hamlet")), *((h, h) for h in hamlets)]
        self.fields["mois"].choices = [
            ("", _("Every month")),
            *((month_value(day), month_label(day)) for day in months),
        ]

    def clean_mois(self):
        value = self.cleaned_data.get("mois") or ""
        if value and parse_month(value) is None:
            raise forms.ValidationError(_("This month is not valid."), code="invalid")
        return value

    def applied(self):
        """The filters that are valid, even when another is not: {name: value}."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data[name] for name in ("hameau", "mois") if data.get(name)}

    @staticmethod
    def filter(events, applied):
        if applied.get("hameau"):
            events = events.filter(hamlet=applied["hameau"])
        if applied.get("mois"):
            start, end = month_bounds(parse_month(applied["mois"]))
            events = events.filter(start__lt=end, finish__gte=start)
        return events
