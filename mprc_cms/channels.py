"""How a resident's record reached the town hall: online, or typed by staff for a resident
without internet (a paper form, a phone call, a visit to the counter). Shared by every
module that lets staff enter a record for a resident (a sign-up, a post, a need)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    ONLINE = "online", _("Online form, confirmed by e-mail")
    PAPER = "paper", _("Paper form handed in to the town hall")
    PHONE = "phone", _("By phone, to the town hall")
    COUNTER = "counter", _("In person, at the town hall's counter")


# The channels staff choose from when they type a record for a resident.
STAFF_CHANNELS = [
    (Channel.PAPER, Channel.PAPER.label),
    (Channel.PHONE, Channel.PHONE.label),
    (Channel.COUNTER, Channel.COUNTER.label),
]
