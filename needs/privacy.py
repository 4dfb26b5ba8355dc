"""What the privacy policy says about the call for needs' personal data: the authors of
needs and ideas, and the residents who support them (see ``mprc_cms/privacy.py``).
Durations come from ``calls.py``."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mprc_cms.privacy import CONSENT, Processing, days_text, duration, months_text

from . import calls


def _calls_retention():
    return [
        _("A proposal or a support that is not confirmed within %(days)s is erased.")
        % {"days": days_text(calls.UNCONFIRMED_DAYS)},
        _(
            "%(months)s after the call closes, first names and e-mail addresses are erased; "
            "the needs' texts and the number of supports stay, for the results."
        )
        % {"months": months_text(calls.ANONYMISE_MONTHS)},
    ]


class NeedAuthors(Processing):
    key = "needs-authors"
    title = gettext_lazy("Call for needs: needs and ideas")
    purpose = gettext_lazy(
        "Publish the needs and ideas residents propose, moderate them, pass them on to the "
        "micro-parliament and tell their authors what becomes of them."
    )
    legal_bases = ((CONSENT, gettext_lazy("given when proposing, by ticking the box of the form")),)
    data = (
        gettext_lazy("The need or idea: title, description, theme, hamlet"),
        gettext_lazy("First name (shown when given), e-mail address (never shown)"),
        gettext_lazy("Whether you want to be told what becomes of it, and the town hall's answer"),
    )
    recipients = (
        gettext_lazy("Anyone, for what the need shows"),
        gettext_lazy(
            "The town hall's moderators, the micro-parliament and the network's coordinators"
        ),
    )
    how_to_exercise = gettext_lazy(
        "Every e-mail about your proposal carries its management link: change or withdraw "
        "it at any time while the call is open. The call's page sends your links again if "
        "you lost them."
    )

    def has_data(self):
        from .models import Need

        return Need.objects.filter(commune=self.commune).exclude(email="").exists()

    def retention(self):
        return [
            *_calls_retention(),
            _("A need withdrawn by its author is erased at once, with its supports."),
        ]


class NeedSupporters(Processing):
    key = "needs-supporters"
    title = gettext_lazy("Call for needs: supports («Me too»)")
    purpose = gettext_lazy(
        "Count once each resident who supports a need or an idea, after confirming their "
        "e-mail address."
    )
    legal_bases = ((CONSENT, gettext_lazy("given when supporting, then confirmed by e-mail")),)
    data = (
        gettext_lazy(
            "E-mail address (never shown) and the dates of the support and of its "
            "confirmation; a cookie on your browser remembers for 90 days that your address "
            "is confirmed in this call, so that your next supports take one click"
        ),
    )
    recipients = (
        gettext_lazy("No one: the town hall and the public see only the number of supports"),
    )
    how_to_exercise = gettext_lazy(
        "Write to the town hall to have your supports erased; they are erased anyway as "
        "stated below."
    )

    def has_data(self):
        from .models import Support

        return Support.objects.filter(need__commune=self.commune).exclude(email="").exists()

    def retention(self):
        return _calls_retention()

    def cookies(self):
        return [
            (
                "needs_supporter_<n>",
                _(
                    "remembers that your e-mail address is confirmed in call for needs n, so "
                    "that your next «Me too» there take one click (set when you confirm)"
                ),
                duration(calls.SUPPORTER_COOKIE_AGE),
            )
        ]
