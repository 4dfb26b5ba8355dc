"""The volunteer call's printed material: a poster and a flyer inviting residents to sign
up, and the paper sign-up form that staff then type in (``ModuleInfo.printables``)."""

from django.apps import apps
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from mprc_cms import french
from mprc_cms.printing import Printable

from .forms import SignupForm
from .models import ConsentText


def paper_form(page):
    """The sign-up form as the page shows it, its consent box with the full text the
    resident agrees to above it (the page's consent text)."""
    consent_html = page.rendered_consent_text()
    form = SignupForm(page=page, consent_digest=ConsentText.digest_of(consent_html))
    # Rich text of the commune's staff, sanitised by Wagtail as on the sign-up page.
    form.fields["consent"].help_text = mark_safe(consent_html)  # noqa: S308
    return form


def printables(commune, index_page):
    """The call for volunteers of ``commune``, whose sign-up page is ``index_page``."""
    page = index_page.specific
    url = page.get_full_url() or ""
    invitation = apps.get_app_config("participation").mprc_module.invitation
    heading = french.contract(
        _("Become a volunteer for the micro-parliament of %(commune)s")
        % {"commune": commune.title},
        commune.title,
    )
    return [
        Printable(
            key="signup",
            label=_("Call for volunteers"),
            heading=heading,
            text=str(invitation),
            url=url,
            paper_form=lambda: paper_form(page),
            form_title=french.contract(
                _("Signing up on the volunteer list of %(commune)s") % {"commune": commune.title},
                commune.title,
            ),
            form_intro=(
                page.eligibility(),
                _(
                    "Signing up commits you to nothing: if you are drawn by lot, the town hall "
                    "will ask you first."
                ),
            ),
        )
    ]
