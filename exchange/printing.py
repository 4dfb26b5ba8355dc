"""The service exchange's printed material: a poster and a flyer making the board known,
and the paper form of a post that staff then type in (``ModuleInfo.printables``)."""

from django.apps import apps
from django.utils.translation import gettext as _

from mprc_cms import french
from mprc_cms.printing import Printable

from .forms import PostForm


def printables(commune, index_page):
    """The board of ``commune`` (``index_page``, its ServiceExchangePage)."""
    board = index_page.specific
    url = board.get_full_url() or ""
    invitation = apps.get_app_config("exchange").mprc_module.invitation
    return [
        Printable(
            key="board",
            label=_("Service exchange board"),
            heading=french.contract(
                _("Neighbours helping each other in %(commune)s") % {"commune": commune.title},
                commune.title,
            ),
            text=str(invitation),
            url=url,
            paper_form=lambda: PostForm(page=board),
            form_title=french.contract(
                _("A post on the service exchange board of %(commune)s")
                % {"commune": commune.title},
                commune.title,
            ),
            form_intro=(
                _(
                    "The town hall puts your post on the board and passes on the answers. "
                    "Your e-mail address is never shown."
                ),
            ),
            form_url=(url + board.reverse_subpage("post")) if url else "",
        )
    ]
