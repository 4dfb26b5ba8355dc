"""The sign-up page's views (routes of VolunteerSignupPage): public, no account needed."""

import csv
import html
import io
import re

from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks

from mprc_cms import ratelimit
from mprc_cms.communes import escape_formula
from mprc_cms.views import email_request, json_download, private

from . import emails, registration
from .api import PERSONAL_DATA_LABELS_HOOK
from .choices import Status
from .forms import CorrectionForm, LinkRequestForm, SignupForm
from .models import ConsentText, Volunteer
from .retention import confirmation_days, default_retention_end
from .tokens import (
    email_change_public_id,
    make_token,
    read_email_change_token,
    read_token,
)


def _render(request, page, template, context=None, status=200):
    context = {"page": page, "self": page, **(context or {})}
    return TemplateResponse(request, f"participation/{template}", context, status=status)


def signup(request, page):
    consent_html = page.rendered_consent_text()
    digest = ConsentText.digest_of(consent_html)
    if request.method == "POST":
        form = SignupForm(request.POST, page=page, consent_digest=digest)
        if form.is_spam():
            # A robot: answer as if all went well, store nothing.
            return redirect(page.subpage_url(request, "signup_sent") + "?par=courriel")
        if form.is_valid():
            details = form.details()
            email = details.get("email")
            allowed = ratelimit.hit("participation.signup.ip", ratelimit.client_ip(request))
            if allowed and email:
                allowed = ratelimit.hit("participation.email", email)
            if not allowed:
                form.add_error(None, ratelimit.refusal_message())
                return _signup_form(request, page, form, consent_html, status=429)
            outcome = registration.register(page, details)
            volunteer = outcome.volunteer
            if outcome.kind == registration.KNOWN:
                # Already on the list: nothing stored nor changed, and the page answers as
                # for anyone else. The known person is told by e-mail (once per window).
                if registration.may_tell_known(volunteer, already_counted=email):
                    if volunteer.status == Status.PENDING:
                        emails.send_confirmation(request, page, volunteer)
                    else:
                        emails.send_personal_link(request, page, volunteer)
            elif volunteer.email:
                if outcome.may_send:
                    emails.send_confirmation(request, page, volunteer)
            else:
                emails.notify_town_hall(request, page, volunteer)
            # The answer depends on the form alone, never on who is on the list.
            mode = "courriel" if email else "telephone"
            return redirect(page.subpage_url(request, "signup_sent") + f"?par={mode}")
    elif request.method == "GET":
        form = SignupForm(page=page, consent_digest=digest)
    else:
        return HttpResponseNotAllowed(["GET", "POST"])
    return _signup_form(request, page, form, consent_html)


def _signup_form(request, page, form, consent_html, status=200):
    return _render(
        request,
        page,
        "signup_page.html",
        {
            "form": form,
            "consent_html": consent_html,
            "retention_end": default_retention_end(page.commune),
            "confirmation_days": confirmation_days(),
        },
        status=status,
    )


def signup_sent(request, page):
    by_phone = request.GET.get("par") == "telephone"
    return _render(
        request,
        page,
        "signup_sent.html",
        {"by_phone": by_phone, "confirmation_days": confirmation_days()},
    )


def _volunteer_for(page, token, public_id=None):
    public_id = public_id or read_token(token)
    if public_id is None or page.commune is None:
        return None
    volunteer = (
        Volunteer.objects.filter(public_id=public_id, commune=page.commune)
        .select_related("commune")
        .first()
    )
    if volunteer is None or registration.is_expired(volunteer):
        return None
    return volunteer


def _invalid_link(request, page):
    return private(_render(request, page, "link_invalid.html", status=404))


def confirm(request, page, token):
    volunteer = _volunteer_for(page, token)
    if volunteer is None:
        return _invalid_link(request, page)
    if request.method == "POST":
        if volunteer.status == Status.PENDING:
            registration.confirm(volunteer)
            emails.send_welcome(request, page, volunteer)
        return private(
            _render(
                request, page, "signup_confirmed.html", {"volunteer": volunteer, "token": token}
            )
        )
    if volunteer.status != Status.PENDING:
        messages.info(request, _("Your sign-up was already confirmed."))
        return redirect(page.subpage_url(request, "my_data", token))
    return private(_render(request, page, "signup_confirm.html", {"volunteer": volunteer}))


def my_data(request, page, token):
    volunteer = _volunteer_for(page, token)
    if volunteer is None:
        return _invalid_link(request, page)
    status = 200
    if request.method == "POST":
        form = CorrectionForm(request.POST, page=page)
        if form.is_valid():
            details = form.details()
            # The e-mail address is checked apart: a new one waits for its confirmation.
            new_email = details.pop("email", "")
            duplicate, _reason = registration.find_duplicate(
                page.commune, details, exclude=volunteer
            )
            changes_identity = registration.changes_identity(volunteer, details)
            asks_new = bool(new_email) and new_email not in (
                volunteer.email,
                registration.pending_email(volunteer),
            )
            removes = not new_email and bool(volunteer.email)
            if changes_identity and not _may_change_identity(request, volunteer):
                # Each try of a name, year of birth or phone would tell whether another
                # sign-up has it: tries are limited, so the list cannot be read this way.
                form.add_error(None, ratelimit.refusal_message())
                status = 429
            elif duplicate is not None and volunteer.source == duplicate.source:
                form.add_error(
                    None,
                    _(
                        "Another sign-up already has this phone number or this name and "
                        "year of birth. Please contact the town hall."
                    ),
                )
            elif (asks_new or removes) and not _may_change_email(
                request, volunteer, new_email if asks_new else ""
            ):
                form.add_error(None, ratelimit.refusal_message())
                status = 429
            else:
                _correct(request, page, volunteer, details, new_email if asks_new else "", removes)
                messages.success(request, _("Your information is up to date."))
                if asks_new:
                    messages.info(
                        request,
                        _(
                            "To use your new e-mail address, open the link we have just sent "
                            "to it. Until then, your e-mail address stays as it was."
                        ),
                    )
                return redirect(page.subpage_url(request, "my_data", token))
    else:
        initial = {name: getattr(volunteer, name) for name in CorrectionForm.base_fields}
        form = CorrectionForm(initial=initial, page=page)
    data = registration.personal_data(volunteer)
    context = {
        "volunteer": volunteer,
        "form": form,
        "token": token,
        "data": data,
        "data_has_receipt": any("receipt" in entry for entry in data["draws"]),
        "consents": volunteer.consents.select_related("consent_text"),
        "pending_email": registration.pending_email(volunteer),
    }
    return private(_render(request, page, "my_data.html", context, status=status))


def _may_change_identity(request, volunteer):
    """Corrections of a name, year of birth or phone are limited per connection and per
    person."""
    return ratelimit.hit(
        "participation.identity_change.ip", ratelimit.client_ip(request)
    ) and ratelimit.hit("participation.identity_change.person", volunteer.public_id)


def _may_change_email(request, volunteer, new_email):
    """Requests to change (or remove) one's address are limited per connection and per
    person, and a new address counts against that address's e-mail limit."""
    return (
        ratelimit.hit("participation.email_change.ip", ratelimit.client_ip(request))
        and ratelimit.hit("participation.email_change.person", volunteer.public_id)
        and (not new_email or ratelimit.hit("participation.email", new_email))
    )


def _correct(request, page, volunteer, details, new_email, remove_email):
    """Save a correction: the answers at once; a new address only as pending, with a link
    sent to it and the current address told; an address removed at once (and told)."""
    old_email = volunteer.email
    send = registration.correct(volunteer, details, new_email=new_email, remove_email=remove_email)
    if send:
        emails.send_email_change(request, page, volunteer)
        if volunteer.email:
            emails.send_email_change_requested(request, page, volunteer)
    if old_email and not volunteer.email:
        emails.send_address_changed(request, page, volunteer, old_email)


def confirm_email(request, page, token):
    """The link sent to a new address: a page with a button; only the POST changes it."""
    public_id = email_change_public_id(token)
    volunteer = _volunteer_for(page, token, public_id=public_id) if public_id else None
    if volunteer is None or not read_email_change_token(token, volunteer):
        return _invalid_link(request, page)
    if request.method == "POST":
        outcome, old_email = registration.confirm_email_change(volunteer, token)
        if outcome is None:
            return _invalid_link(request, page)
        if outcome == registration.EMAIL_TAKEN:
            return private(_render(request, page, "email_change_confirm.html", {"taken": True}))
        if old_email:
            emails.send_address_changed(request, page, volunteer, old_email)
        messages.success(request, _("Your new e-mail address is confirmed."))
        return redirect(page.subpage_url(request, "my_data", make_token(volunteer)))
    context = {"email": volunteer.pending_email, "taken": False}
    return private(_render(request, page, "email_change_confirm.html", context))


# The names of the personal data in the spreadsheet a person downloads (the JSON file
# keeps the keys of ``registration.personal_data``, for programs).
PERSONAL_DATA_LABELS = {
    "commune": gettext_lazy("Commune"),
    "first_name": gettext_lazy("First name"),
    "last_name": gettext_lazy("Last name"),
    "email": gettext_lazy("E-mail address"),
    "pending_email": gettext_lazy("New e-mail address, waiting for its confirmation"),
    "phone": gettext_lazy("Phone"),
    "birth_year": gettext_lazy("Year of birth"),
    "gender": gettext_lazy("Gender"),
    "hamlet": gettext_lazy("Hamlet"),
    "socio_professional_category": gettext_lazy("Socio-professional category"),
    "address": gettext_lazy("Address"),
    "availability": gettext_lazy("Availability"),
    "source": gettext_lazy("Source"),
    "status": gettext_lazy("Status"),
    "signed_up_at": gettext_lazy("Signed up on"),
    "confirmed_at": gettext_lazy("Confirmed on"),
    "kept_until": gettext_lazy("Kept until"),
    "consents": gettext_lazy("Consent"),
    "method": gettext_lazy("Given how"),
    "given_at": gettext_lazy("Given on"),
    "text": gettext_lazy("Text"),
    "text_sha256": gettext_lazy("Fingerprint of the text (SHA-256)"),
}


def _plain(value):
    """A value as a spreadsheet cell: yes/no for booleans, plain text for HTML."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str) and "<" in value:
        text = re.sub(r"</p>\s*<p[^>]*>|<br\s*/?>", "\n", value)
        return html.unescape(strip_tags(text)).strip()
    return value


def personal_data_labels():
    """The names of the personal data: the list's own, and those of the modules that add
    theirs (``participation.api.PERSONAL_DATA_LABELS_HOOK``)."""
    labels = dict(PERSONAL_DATA_LABELS)
    for contribution in hooks.get_hooks(PERSONAL_DATA_LABELS_HOOK):
        labels.update(contribution())
    return labels


def flat_rows(data, prefix="", labels=None):
    """(name, value) rows of nested personal data, named in the interface's language:
    lists numbered, nested names joined with «›»."""
    labels = personal_data_labels() if labels is None else labels
    for key, value in data.items():
        name = f"{prefix}{labels.get(key, key)}"
        if isinstance(value, dict):
            yield from flat_rows(value, f"{name} › ", labels)
        elif isinstance(value, list):
            for number, item in enumerate(value, 1):
                if isinstance(item, dict):
                    yield from flat_rows(item, f"{name} {number} › ", labels)
                else:
                    yield f"{name} {number}", _plain(item)
        else:
            yield name, _plain(value)


def download(request, page, token):
    volunteer = _volunteer_for(page, token)
    if volunteer is None:
        return _invalid_link(request, page)
    data = registration.personal_data(volunteer)
    stamp = timezone.localdate().isoformat()
    if request.GET.get("format") == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow([_("Field"), _("Value")])
        for key, value in flat_rows(data):
            writer.writerow([key, escape_formula("" if value is None else value)])
        content = ("\ufeff" + buffer.getvalue()).encode("utf-8")
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="mes-donnees-{stamp}.csv"'
        return private(response)
    return json_download(data, f"mes-donnees-{stamp}.json", keep_private=True)


def withdraw(request, page, token):
    volunteer = _volunteer_for(page, token)
    if volunteer is None:
        return _invalid_link(request, page)
    if request.method == "POST":
        registration.withdraw(volunteer)
        return private(_render(request, page, "withdrawn.html"))
    return private(
        _render(request, page, "withdraw.html", {"volunteer": volunteer, "token": token})
    )


def link_request(request, page):
    def send_link(email):
        volunteer = registration.signups(page.commune).filter(email__iexact=email).first()
        if volunteer is not None and not registration.is_expired(volunteer):
            if volunteer.status == Status.PENDING:
                # An address nobody has confirmed: one e-mail per window, whatever asks.
                if registration.may_mail_unconfirmed(page.commune, volunteer.email):
                    emails.send_confirmation(request, page, volunteer)
            else:
                emails.send_personal_link(request, page, volunteer)

    return email_request(
        request,
        LinkRequestForm,
        ("participation.link_request.ip", "participation.email"),
        send_link,
        lambda context, status: _render(request, page, "link_request.html", context, status),
    )
