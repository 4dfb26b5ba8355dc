"""The agenda's iCal feeds (``ModuleInfo.urls``, served under ``/agenda/``): a ``.ics``
address cannot be a page route (Wagtail serves only paths ending in a slash)."""

from django.urls import path

from . import views

app_name = "mprc_agenda"
urlpatterns = [
    path("<int:pk>.ics", views.agenda_ical, name="agenda_ical"),
    path("evenement/<int:pk>.ics", views.event_ical, name="event_ical"),
]
