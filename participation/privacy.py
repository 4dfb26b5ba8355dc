"""What the privacy policy says about the volunteer list's personal data: the volunteer list
and the imported lists (see ``mprc_cms/privacy.py``; the draws by lot and the members of
the micro-parliament are the micro-parliament module's, ``parliament/privacy.py``).
Retention is read from the commune's sign-up page and the settings that
``participation/retention.py`` applies."""

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mprc_cms.privacy import CONSENT, PUBLIC_TASK, Processing, days_text, months_text

from . import retention as rules
from .tokens import email_change_days


class VolunteerList(Processing):
    key = "volunteer-list"
    title = gettext_lazy("Volunteer list and lists for the draw by lot")
    purpose = gettext_lazy(
        "Draw the residents of the micro-parliament by lot among the volunteers and the "
        "lists the town hall imports (electoral roll, land register, lists kept by hand), "
        "and write to the volunteers about it."
    )
    legal_bases = (
        (CONSENT, gettext_lazy("for the people who sign up on the site")),
        (PUBLIC_TASK, gettext_lazy("for the people of the lists the town hall imports")),
    )
    recipients = (
        gettext_lazy("The town hall's staff who run the draw, and the network's coordinators"),
        gettext_lazy("No one else: the lists are never published nor passed on"),
    )
    how_to_exercise = gettext_lazy(
        "Every e-mail from the volunteer list carries your personal link: with it you see, "
        "download, correct or erase your data, without an account; the sign-up page sends "
        "it again if you lost it. For the imported lists, write to the town hall."
    )

    @property
    def signup_page(self):
        from .models import VolunteerSignupPage

        if not hasattr(self, "_signup_page"):
            self._signup_page = (
                VolunteerSignupPage.objects.child_of(self.commune).first() if self.commune else None
            )
        return self._signup_page

    def has_data(self):
        from .models import Pool, Volunteer

        return (
            Volunteer.objects.filter(commune=self.commune).exists()
            or Pool.objects.filter(commune=self.commune).exists()
        )

    @property
    def data(self):
        items = [_("Last name, first names, and an e-mail address and/or a phone number")]
        page = self.signup_page
        if page is not None:
            asked = [
                label
                for asks, label in (
                    (page.ask_birth_year, _("the year of birth (never the date)")),
                    (page.ask_gender, _("the gender")),
                    (bool(page.hamlets()), _("the hamlet")),
                    (page.ask_social_category, _("the socio-professional category")),
                    (
                        page.ask_address,
                        _("the address (only to draw at most one person per household)"),
                    ),
                    (page.ask_availability, _("the availability")),
                )
                if asks
            ]
            if asked:
                items.append(
                    _("The answers to the questions of the sign-up form: %(questions)s")
                    % {"questions": ", ".join(asked)}
                )
        items += [
            _(
                "For the lists the town hall imports: names, gender, year of birth (never the "
                "date), address or household, hamlet, socio-professional category, e-mail "
                "address and phone, as far as the list gives them"
            ),
            _("The consent: the text agreed to, when and how it was given and confirmed"),
            _(
                "The person's state in the list: waiting for confirmation, in the list, or set "
                "aside from draws (with the reason)"
            ),
        ]
        return items

    def retention(self):
        page = self.signup_page
        months = page.retention_months if page is not None else rules.DEFAULT_RETENTION_MONTHS
        cycle_end = page.cycle_end if page is not None else None
        if cycle_end is not None and cycle_end >= self.today:
            kept = _(
                "A sign-up is kept until %(date)s: the end of the current cycle (%(cycle_end)s) "
                "plus %(months)s."
            ) % {
                "date": formats.date_format(rules.add_months(cycle_end, months)),
                "cycle_end": formats.date_format(cycle_end),
                "months": months_text(months),
            }
        else:
            kept = _(
                "A sign-up is kept %(total)s after it is confirmed: the %(cycle)s of a cycle, "
                "plus %(months)s."
            ) % {
                "total": months_text(rules.CYCLE_MONTHS + months),
                "cycle": months_text(rules.CYCLE_MONTHS),
                "months": months_text(months),
            }
        return [
            kept,
            _("A sign-up that is not confirmed within %(days)s is erased.")
            % {"days": days_text(rules.confirmation_days())},
            _("A new e-mail address that is not confirmed within %(days)s is forgotten.")
            % {"days": days_text(email_change_days())},
            _(
                "An imported list is kept until the end the town hall set for it (by default, "
                "computed as for a sign-up), then erased with everyone in it."
            ),
            _(
                "Withdrawing from the list erases your data at once; what has expired is "
                "erased by the site's daily job."
            ),
        ]
