from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mprc_cms.modules import ModuleInfo


class AgendaConfig(AppConfig):
    name = "mprc_agenda"
    label = "mprc_agenda"
    verbose_name = pgettext_lazy("module", "Agenda")
    default_auto_field = "django.db.models.BigAutoField"
    mprc_module = ModuleInfo(
        key="agenda",
        label=pgettext_lazy("module", "Agenda"),
        description=_(
            "The commune's events calendar: markets, meetings, workshops, village fêtes. "
            "Staff add each event as a page under the agenda (date, time, place, hamlet, "
            "organiser); residents read it without an account, filter it by hamlet or "
            "month and add it to their own calendar. No personal data is collected."
        ),
        invitation=_(
            "See what is on in the commune — markets, meetings, workshops, fêtes — and add "
            "it to your calendar."
        ),
        index_page_model="mprc_agenda.AgendaPage",
        public_order=50,
        icon="date",
        default_title=pgettext_lazy("module", "Agenda"),
        default_slug="agenda",
        demo_loader="mprc_agenda.demo.load",
        urls="mprc_agenda.urls",
        search_kinds=("mprc_agenda.search.EventKind",),
        dashboard_items=("mprc_agenda.dashboard.items",),
    )
