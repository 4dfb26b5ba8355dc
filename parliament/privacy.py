"""What the privacy policy says about the micro-parliament module's personal data: the
draws by lot and the micro-parliaments' members (see ``mprc_cms/privacy.py``)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mprc_cms.privacy import Processing


class DrawByLot(Processing):
    key = "draws"
    title = gettext_lazy("Draws by lot of the micro-parliament")
    purpose = gettext_lazy(
        "Draw the residents' seats of the micro-parliament fairly and verifiably, publish "
        "the draw so that anyone can check it, and invite the people drawn."
    )
    data = (
        gettext_lazy(
            "For each person who may be drawn: a pseudonym (P001…), the answers to the "
            "questions the draw balances (gender, age band, hamlet, socio-professional "
            "category) and a pseudonym of the household"
        ),
        gettext_lazy(
            "For each person drawn or called as an alternate: the seat, the invitation, the "
            "answer and their dates"
        ),
    )
    recipients = (
        gettext_lazy(
            "Anyone: the public page and file of the draw give pseudonyms, chances and "
            "panels, never a name nor anyone's answers; an answer given by fewer than five "
            "people of the pool is shown as “fewer than 5”"
        ),
        gettext_lazy(
            "The guarantors the commune chooses: the audit file (each pseudonym's answers "
            "and household pseudonym), each download being recorded"
        ),
        gettext_lazy("The town hall's staff and the network's coordinators"),
    )
    how_to_exercise = gettext_lazy(
        "A person on the volunteer list finds the receipt of each draw (their pseudonym and "
        "answers) with their personal link. Erasing a person from the lists erases the link "
        "between their pseudonym and them; the published draw stays as it was."
    )

    def has_data(self):
        from .models import Draw

        return Draw.objects.filter(commune=self.commune).exists()

    def retention(self):
        return [
            _(
                "A published draw is kept for good, so that it can always be checked: its "
                "files hold pseudonyms, never names."
            ),
            _(
                "The link between a pseudonym and a person is erased with the person, when "
                "their data leaves the lists (see the volunteer list)."
            ),
        ]


class ParliamentMembers(Processing):
    key = "parliament-members"
    title = gettext_lazy("Members of the micro-parliament")
    purpose = gettext_lazy(
        "Keep the list of the micro-parliament's members, show it on its page, and remind "
        "the members of each meeting by e-mail two days before it."
    )
    data = (
        gettext_lazy(
            "Name, role (resident drawn by lot, elected official, local actor, coordinator, "
            "facilitator, guarantor), organisation or mandate, dates of joining and leaving"
        ),
        gettext_lazy("Whether the member agreed to show their name on the public page"),
        gettext_lazy(
            "For a member drawn from the volunteer list, their e-mail address there, to send "
            "the meeting reminders (title, date, time, place, agenda and calendar file of "
            "the meeting), and the date each reminder was sent"
        ),
    )
    recipients = (
        gettext_lazy(
            "Anyone, for the names of the members who agreed to show them; otherwise the page "
            "shows the role only"
        ),
        gettext_lazy("The town hall's staff and the network's coordinators"),
    )

    def has_data(self):
        from .models import ParliamentMember

        return ParliamentMember.objects.filter(commune=self.commune).exists()

    def retention(self):
        return [
            _(
                "Until the town hall's staff remove the member: the site erases no member by "
                "itself."
            ),
            _("The record of a meeting reminder: three days, then it is erased."),
        ]
