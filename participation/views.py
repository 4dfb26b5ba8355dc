"""The sign-up page's views (routes of VolunteerSignupPage): public, no account needed."""

import csv
import io

from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from mprc_cms import ratelimit
from mprc_cms.communes import escape_formula
from mprc_cms.views import email_request, json_download, private

from . import emails, registration
from .choices import Status
from .forms import CorrectionForm, LinkRequestForm, SignupForm
from .models import ConsentText, Volunteer
from .retention import confirmation_days, default_retention_end
from .tokens import read_token


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
            allowed = ratelimit.hit("participation.signup.ip", ratelimit.client_ip(request))
            if allowed and details.get("email"):
                allowed = ratelimit.hit("participation.email", details["email"])
            if not allowed:
                form.add_error(None, ratelimit.refusal_message())
                return _signup_form(request, page, form, consent_html, status=429)
            outcome = registration.register(page, details)
            volunteer = outcome.volunteer
            if outcome.kind == registration.ALREADY:
                if volunteer.email and volunteer.email == details.get("email"):
                    emails.send_personal_link(request, page, volunteer)
                form.add_error(None, outcome.message)
                return _signup_form(request, page, form, consent_html)
            if volunteer.email:
                emails.send_confirmation(request, page, volunteer)
                mode = "courriel"
            else:
                emails.notify_town_hall(request, page, volunteer)
                mode = "telephone"
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


def _volunteer_for(page, token):
    public_id = read_token(token)
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
    if request.method == "POST":
        form = CorrectionForm(request.POST, page=page)
        if form.is_valid():
            details = form.details()
            duplicate, _reason = registration.find_duplicate(
                page.commune, details, exclude=volunteer
            )
            if duplicate is not None and volunteer.source == duplicate.source:
                form.add_error(
                    None,
                    _(
                        "Another sign-up already has this e-mail address, this phone number "
                        "or this name and year of birth. Please contact the town hall."
                    ),
                )
            else:
                old_email = volunteer.email
                for name, value in details.items():
                    setattr(volunteer, name, value)
                volunteer.save()
                if old_email and old_email != volunteer.email:
                    emails.send_address_changed(request, page, volunteer, old_email)
                if volunteer.email and old_email != volunteer.email:
                    emails.send_personal_link(request, page, volunteer)
                messages.success(request, _("Your information is up to date."))
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
    }
    return private(_render(request, page, "my_data.html", context))


def flat_rows(data, prefix=""):
    """(key, value) rows of nested personal data: lists numbered, dicts prefixed."""
    for key, value in data.items():
        if isinstance(value, dict):
            yield from flat_rows(value, f"{prefix}{key}_")
        elif isinstance(value, list):
            for number, item in enumerate(value, 1):
                yield from flat_rows(item, f"{prefix}{key}_{number}_")
        else:
            yield f"{prefix}{key}", value


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
