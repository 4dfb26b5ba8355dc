"""The e-mails a volunteer receives; each carries their personal link."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from mprc_cms.tasks import send_email

from .tokens import make_token


def personal_urls(request, page, volunteer):
    token = make_token(volunteer)
    base = page.get_url(request)

    def absolute(name, *args):
        return request.build_absolute_uri(base + page.reverse_subpage(name, args=args))

    return {
        "confirm_url": absolute("confirm", token),
        "data_url": absolute("my_data", token),
        "withdraw_url": absolute("withdraw", token),
    }


def _send(request, page, volunteer, template, to=None):
    context = {
        "volunteer": volunteer,
        "page": page,
        "commune": page.commune,
        **personal_urls(request, page, volunteer),
    }
    subject = render_to_string(f"participation/emails/{template}_subject.txt", context)
    body = render_to_string(f"participation/emails/{template}.txt", context)
    subject = " ".join(subject.split())
    send_email.enqueue(subject, body, [to or volunteer.email])


def send_confirmation(request, page, volunteer):
    _send(request, page, volunteer, "confirm")


def send_welcome(request, page, volunteer):
    if volunteer.email:
        _send(request, page, volunteer, "welcome")


def send_personal_link(request, page, volunteer):
    """To someone already on the list who signs up again or asks for their link."""
    _send(request, page, volunteer, "personal_link")


def send_address_changed(request, page, volunteer, old_email):
    _send(request, page, volunteer, "address_changed", to=old_email)


def notify_town_hall(request, page, volunteer):
    """A sign-up without e-mail: the town hall calls the person to confirm it."""
    commune = page.commune
    if not commune or not commune.email:
        return
    admin_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "participation_volunteers:edit", args=[volunteer.pk]
    )
    # No personal data in the e-mail: staff open the sign-up in the admin.
    context = {"page": page, "commune": commune, "admin_url": admin_url}
    subject = " ".join(
        render_to_string("participation/emails/call_to_confirm_subject.txt", context).split()
    )
    body = render_to_string("participation/emails/call_to_confirm.txt", context)
    send_email.enqueue(subject, body, [commune.email])
