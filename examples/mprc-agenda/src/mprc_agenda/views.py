"""The iCal feeds, for what the site shows publicly and nothing else."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from wagtail.models import Page

from .models import AgendaPage, EventPage


def _public(model, pk):
    """The page, when it is published, not private, and every page above it is published
    (its agenda, its commune): otherwise 404, as for the page itself."""
    page = get_object_or_404(model.objects.live().public(), pk=pk)
    if Page.objects.ancestor_of(page).filter(live=False, depth__gt=1).exists():
        raise Http404
    return page


def agenda_ical(request, pk):
    return _public(AgendaPage, pk).ical(request)


def event_ical(request, pk):
    return _public(EventPage, pk).ical(request)
