"""What the privacy policy says about the funding guide's personal data: the documents of
the commune's funding applications and the staff's deadline alerts (see
``mprc_cms/privacy.py``)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mprc_cms.privacy import CONSENT, Processing, days_text

from .alerts import KEEP_NOTICES_DAYS


class ApplicationDocuments(Processing):
    key = "funding-applications"
    title = gettext_lazy("Funding applications and their documents")
    purpose = gettext_lazy(
        "Follow the commune's applications for public funding, and keep the documents sent "
        "and received."
    )
    data = (
        gettext_lazy(
            "The documents of each application (the file sent, the decision letter…), which "
            "may name the people who sign or follow it"
        ),
        gettext_lazy("The staff's notes on each application"),
    )
    recipients = (
        gettext_lazy(
            "The town hall's staff and the network's coordinators: the documents are never public"
        ),
    )

    def has_data(self):
        from .models import FundingApplication

        return FundingApplication.objects.filter(commune=self.commune).exists()

    def retention(self):
        return [
            _(
                "Until the town hall's staff delete the document, the application or its "
                "project: the site erases none by itself. A deleted document leaves the "
                "server at once."
            )
        ]


class DeadlineAlerts(Processing):
    key = "funding-alerts"
    title = gettext_lazy("Deadline alerts of the funding guide")
    purpose = gettext_lazy(
        "Warn the staff members who ask for it, by e-mail, of the deadlines of the funding "
        "sources that fit their commune's projects."
    )
    legal_bases = ((CONSENT, gettext_lazy("given by the staff member who sets the alert")),)
    data = (
        gettext_lazy(
            "The staff member's account and e-mail address, the commune, and how many days "
            "before a deadline to warn"
        ),
        gettext_lazy("The deadlines already announced to them"),
    )
    recipients = (gettext_lazy("The staff member who set the alert"),)
    how_to_exercise = gettext_lazy(
        "The alert is changed or removed in the administration (Funding › Deadline alerts)."
    )

    def has_data(self):
        from .models import DeadlineAlert

        return DeadlineAlert.objects.filter(commune=self.commune).exists()

    def retention(self):
        return [
            _(
                "Until its owner removes it; the daily job deletes it once its owner's account "
                "is deactivated, has no e-mail address or no longer manages the commune."
            ),
            _("A deadline announced is forgotten %(days)s after it.")
            % {"days": days_text(KEEP_NOTICES_DAYS)},
        ]
