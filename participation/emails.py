"""The e-mails a volunteer receives; each carries their personal link."""

from django.conf import settings
from django.urls import reverse

from mprc_cms.tasks import send_templated_email

from .tokens import make_token


def personal_urls(request, page, volunteer):
    token = make_token(volunteer)

    def absolute(name, *args):
        return request.build_absolute_uri(page.subpage_url(request, name, *args))

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
    _render_and_send(template, context, to or volunteer.email)


def _render_and_send(template, context, to):
    send_templated_email(f"participation/emails/{template}", context, [to], to_resident=True)


def send_confirmation(request, page, volunteer):
    _send(request, page, volunteer, "confirm")


def send_welcome(request, page, volunteer):
    if volunteer.email:
        _send(request, page, volunteer, "welcome")


def send_personal_link(request, page, volunteer):
    """To someone already on the list who signs up again or asks for their link."""
    _send(request, page, volunteer, "personal_link")


def send_staff_link(request, page, volunteer):
    """To someone staff put on the list with their consent: their personal link."""
    _send(request, page, volunteer, "staff_link")


def send_address_changed(request, page, volunteer, old_email):
    _send(request, page, volunteer, "address_changed", to=old_email)


def send_email_change(request, page, volunteer):
    """To a new address asked for on the personal page: the link that confirms it. Neither
    the person's name nor their personal link: the address may be a stranger's."""
    from .tokens import email_change_days, make_email_change_token

    url = page.subpage_url(request, "confirm_email", make_email_change_token(volunteer))
    context = {
        "page": page,
        "commune": page.commune,
        "confirm_email_url": request.build_absolute_uri(url),
        "days": email_change_days(),
    }
    _render_and_send("email_change_confirm", context, volunteer.pending_email)


def send_email_change_requested(request, page, volunteer):
    """To the current address: a new one was asked for, and waits for its confirmation."""
    context = {"volunteer": volunteer, "page": page, "commune": page.commune}
    _render_and_send("email_change_requested", context, volunteer.email)


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
    _render_and_send("call_to_confirm", context, commune.email)
