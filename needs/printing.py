"""The call for needs' printed material: for each open call, a poster and a flyer asking
residents what is missing, and the paper form of a proposal that staff then type in; with
no call open, a poster and a flyer for the commune's page of needs and ideas
(``ModuleInfo.printables``)."""

from django.apps import apps
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mprc_cms import french
from mprc_cms.printing import Printable

from .forms import ProposeForm


def _call_printable(commune, call, invitation):
    url = call.get_full_url() or ""
    until = _("Answer by %(date)s.") % {"date": date_format(call.closes_on, "j F Y")}
    return Printable(
        key=f"call-{call.pk}",
        label=_("Call for needs: %(title)s") % {"title": call.title},
        heading=call.question,
        text=f"{invitation} {until}",
        url=url,
        paper_form=lambda: ProposeForm(call=call),
        form_title=french.contract(
            _("A need or an idea for %(commune)s") % {"commune": commune.title}, commune.title
        ),
        form_intro=(call.question, until),
        form_url=(url + call.reverse_subpage("propose")) if url else "",
    )


def printables(commune, index_page):
    """The open calls of ``commune`` (children of ``index_page``, its NeedsIndexPage), or
    the page itself when none is open."""
    index = index_page.specific
    invitation = str(apps.get_app_config("needs").mprc_module.invitation)
    calls = [call for call in index.calls() if call.is_open()]
    if calls:
        return [_call_printable(commune, call, invitation) for call in calls]
    return [
        Printable(
            key="needs",
            label=_("Needs and ideas"),
            heading=french.contract(
                _("What is missing in %(commune)s?") % {"commune": commune.title}, commune.title
            ),
            text=invitation,
            url=index.get_full_url() or "",
        )
    ]
