"""What the privacy policy says about the service-exchange board's personal data: the
posts (with their reports and relayed messages) and the weekly digest (see
``mprc_cms/privacy.py``). Durations come from ``listings.py`` and the commune's board."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mprc_cms.privacy import CONSENT, Processing, days_text, sent_emails_kept

from . import listings


class BoardPosts(Processing):
    key = "exchange-posts"
    title = gettext_lazy("Service-exchange board")
    purpose = gettext_lazy(
        "Publish the offers and requests of help between neighbours, pass on the messages "
        "written to the people who post without showing their address, and moderate the "
        "board."
    )
    legal_bases = (
        (
            CONSENT,
            gettext_lazy(
                "given when posting, by ticking the box of the form, or to the town hall's "
                "staff who post for you"
            ),
        ),
    )
    data = (
        gettext_lazy(
            "The post: offer or request, category, title, description, hamlet, availability"
        ),
        gettext_lazy(
            "First name (shown), e-mail address (never shown), phone number (shown only if "
            "you choose so)"
        ),
        gettext_lazy(
            "For a post the town hall typed for you (you phoned, wrote or came by): how it "
            "reached the town hall, which staff member typed it; the e-mail address is then "
            "optional, and without it the messages written to you go to the town hall, which "
            "passes them on"
        ),
        gettext_lazy("Reports of a post: the reason and the comment (who reports is not recorded)"),
        gettext_lazy(
            "Messages written through the board: only that a message was passed on, and "
            "when; the message itself goes to the poster by e-mail, with the sender's "
            "address to answer"
        ),
    )
    recipients = (
        gettext_lazy("Anyone, for what the post shows"),
        gettext_lazy("The person who posted, for the messages written to them"),
        gettext_lazy("The town hall's moderators and the network's coordinators"),
    )
    how_to_exercise = gettext_lazy(
        "Every e-mail about your post carries its management link: change, renew, mark as "
        "done or delete it at any time. The board sends your links again if you lost them."
    )

    def has_data(self):
        from .models import ServiceListing

        return ServiceListing.objects.filter(commune=self.commune).exists()

    def retention(self):
        from .models import DEFAULT_LISTING_DAYS

        page = listings.board_for(self.commune)
        days = page.listing_days if page is not None else DEFAULT_LISTING_DAYS
        return [
            _("A post that is not confirmed within %(days)s is erased.")
            % {"days": days_text(listings.UNCONFIRMED_DAYS)},
            _(
                "A post stays on the board %(days)s from its publication or renewal; its "
                "poster is offered to renew it %(reminder)s before the end."
            )
            % {
                "days": days_text(days),
                "reminder": days_text(listings.REMINDER_DAYS),
            },
            _(
                "A post that left the board (expired, done, rejected or hidden) is erased "
                "%(days)s later, with its reports and the log of its messages."
            )
            % {"days": days_text(listings.KEEP_DAYS)},
            _(
                "The messages passed on are not kept: they leave the sending queue %(duration)s "
                "after they are sent."
            )
            % {"duration": sent_emails_kept()},
        ]


class WeeklyDigest(Processing):
    key = "exchange-digest"
    title = gettext_lazy("Weekly digest of the service-exchange board")
    purpose = gettext_lazy(
        "Send the board's new posts, once a week, to the people who asked for them."
    )
    legal_bases = ((CONSENT, gettext_lazy("given by subscribing, then confirmed by e-mail")),)
    data = (
        gettext_lazy(
            "E-mail address, and the dates of the subscription, of its confirmation and of "
            "the last digest sent"
        ),
    )
    recipients = (
        gettext_lazy(
            "No one: the address serves only to send the digest; the town hall sees the "
            "number of subscribers"
        ),
    )
    how_to_exercise = gettext_lazy(
        "Every digest carries a link to unsubscribe in one click, which erases your address."
    )

    def has_data(self):
        from .models import DigestSubscription

        return DigestSubscription.objects.filter(commune=self.commune).exists()

    def retention(self):
        return [
            _("A subscription that is not confirmed within %(days)s is erased.")
            % {"days": days_text(listings.UNCONFIRMED_DAYS)},
            _("A subscription is kept until you unsubscribe, which erases it at once."),
        ]
