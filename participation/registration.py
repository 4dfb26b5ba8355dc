"""Signing up, confirming, correcting and withdrawing: the rules, apart from the views."""

from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from . import sortition
from .choices import ConsentMethod, Source, Status
from .models import ConsentRecord, ConsentText, Volunteer
from .normalise import name_key, phone_key
from .retention import default_retention_end

CREATED = "created"  # a new sign-up, waiting for its confirmation
RESENT = "resent"  # the same person, not yet confirmed: answers updated, link sent again
ALREADY = "already"  # already on the list: refused, with a message


@dataclass
class SignupOutcome:
    kind: str
    volunteer: Volunteer | None = None
    message: str = ""


def signups(commune):
    return Volunteer.objects.filter(commune=commune, source=Source.VOLUNTEER_LIST)


def find_duplicate(commune, details, exclude=None):
    """The sign-up of the same person in the commune: same e-mail, same phone, or same
    name and year of birth. Returns (volunteer, reason) or (None, None)."""
    existing = signups(commune)
    if exclude is not None:
        existing = existing.exclude(pk=exclude.pk)
    email = details.get("email")
    if email:
        match = existing.filter(email__iexact=email).first()
        if match:
            return match, "email"
    phone = phone_key(details.get("phone"))
    if phone:
        match = existing.filter(phone_key=phone).first()
        if match:
            return match, "phone"
    key = name_key(details.get("first_name"), details.get("last_name"))
    if details.get("birth_year"):
        match = existing.filter(name_key=key, birth_year=details["birth_year"]).first()
        if match:
            return match, "name"
    return None, None


def duplicate_message(reason):
    if reason == "email":
        return _(
            "This e-mail address is already on the volunteer list. We have just sent it "
            "your personal link, to see or correct your information."
        )
    if reason == "phone":
        return _(
            "This phone number is already on the volunteer list. To change your "
            "information, use the personal link from our e-mails or contact the town hall."
        )
    return _(
        "A person with this name and year of birth is already on the volunteer list. If it "
        "is you, use the personal link from our e-mails or contact the town hall."
    )


def register(page, details):
    """Record a sign-up with its consent, or recognise the same person.

    Two sign-ups of one e-mail address sent at the same moment make one: the database
    refuses the second, which is then treated as a repeat.
    """
    commune = page.commune
    consent_text = ConsentText.for_text(commune, page.rendered_consent_text())
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return _register(page, commune, details, consent_text)
        except IntegrityError:
            continue  # the same address was just stored by a parallel request
    return _register(page, commune, details, consent_text)


def _register(page, commune, details, consent_text):
    now = timezone.now()
    existing, reason = find_duplicate(commune, details)
    if existing is not None and existing.status == Status.PENDING and reason == "email":
        for name, value in details.items():
            setattr(existing, name, value)
        existing.created_at = now
        existing.save()
        ConsentRecord.objects.create(
            volunteer=existing,
            consent_text=consent_text,
            method=ConsentMethod.ONLINE,
            given_at=now,
        )
        return SignupOutcome(RESENT, existing)
    if existing is not None:
        return SignupOutcome(ALREADY, existing, duplicate_message(reason))
    volunteer = Volunteer(
        commune=commune,
        source=Source.VOLUNTEER_LIST,
        status=Status.PENDING,
        created_at=now,
        **details,
    )
    volunteer.save()
    ConsentRecord.objects.create(
        volunteer=volunteer, consent_text=consent_text, method=ConsentMethod.ONLINE, given_at=now
    )
    return SignupOutcome(CREATED, volunteer)


def is_expired(volunteer, now=None):
    from .retention import confirmation_days

    if volunteer.status != Status.PENDING:
        return False
    now = now or timezone.now()
    return volunteer.created_at < now - timedelta(days=confirmation_days())


@transaction.atomic
def confirm(volunteer, *, user=None, method=ConsentMethod.ONLINE, consent_text=None):
    """Confirm a pending sign-up (the resident's link, or the town hall on their word)."""
    now = timezone.now()
    volunteer.status = Status.ACTIVE
    volunteer.confirmed_at = now
    volunteer.retention_end = default_retention_end(volunteer.commune)
    volunteer.save(update_fields=["status", "confirmed_at", "retention_end", "updated_at"])
    if method == ConsentMethod.ONLINE:
        latest = volunteer.consents.filter(method=ConsentMethod.ONLINE).order_by("-given_at")
        latest = latest.first()
        if latest is not None:
            latest.confirmed_at = now
            latest.save(update_fields=["confirmed_at"])
            return volunteer
    record_staff_consent(volunteer, user, consent_text)
    return volunteer


def record_staff_consent(volunteer, user, consent_text=None):
    """Consent given to the town hall (paper form, in person, by phone)."""
    if consent_text is None:
        consent_text = current_consent_text(volunteer.commune)
    now = timezone.now()
    return ConsentRecord.objects.create(
        volunteer=volunteer,
        consent_text=consent_text,
        method=ConsentMethod.STAFF,
        given_at=now,
        confirmed_at=now,
        recorded_by=user,
    )


def current_consent_text(commune):
    from .models import VolunteerSignupPage
    from .models.pages import default_consent_text

    page = VolunteerSignupPage.objects.child_of(commune).first()
    text = page.rendered_consent_text() if page is not None else default_consent_text()
    return ConsentText.for_text(commune, text)


def withdraw(volunteer):
    """Erase the person everywhere; the commune's history keeps only that it happened."""
    commune = volunteer.commune
    source = volunteer.source
    with transaction.atomic():
        volunteer.delete()
        log(instance=commune, action="mprc.volunteer_withdrawn", data={"source": source})


def draw_receipt(entry):
    """For a published draw: its commitment and the person's receipt (pseudonym, answers
    and salt), with which ``verify --receipt`` checks their own entry in the public file."""
    draw = entry.draw
    if not draw.audit or not draw.published_at:
        return {}
    try:
        receipt = sortition.receipt(draw.audit, entry.pseudonym)
    except sortition.SortitionError:
        return {}
    return {"commitment": draw.commitment, "receipt": receipt}


def personal_data(volunteer):
    """Everything the list holds about the person, for them to download."""
    consents = [
        {
            "method": consent.get_method_display(),
            "given_at": consent.given_at.isoformat(),
            "confirmed_at": consent.confirmed_at.isoformat() if consent.confirmed_at else None,
            "text": consent.consent_text.text,
            "text_sha256": consent.consent_text.digest,
        }
        for consent in volunteer.consents.select_related("consent_text")
    ]
    return {
        "commune": volunteer.commune.title,
        "first_name": volunteer.first_name,
        "last_name": volunteer.last_name,
        "email": volunteer.email,
        "phone": volunteer.phone,
        "birth_year": volunteer.birth_year,
        "gender": volunteer.get_gender_display() if volunteer.gender else "",
        "hamlet": volunteer.hamlet,
        "socio_professional_category": (
            volunteer.get_social_category_display() if volunteer.social_category else ""
        ),
        "address": volunteer.address,
        "availability": volunteer.get_availability_display(),
        "source": volunteer.get_source_display(),
        "status": volunteer.get_status_display(),
        "signed_up_at": volunteer.created_at.isoformat(),
        "confirmed_at": volunteer.confirmed_at.isoformat() if volunteer.confirmed_at else None,
        "kept_until": volunteer.retention_end.isoformat() if volunteer.retention_end else None,
        "consents": consents,
        "draws": [
            {
                "draw": entry.draw.title,
                "pseudonym": entry.pseudonym,
                "drawn": entry.pseudonym in entry.draw.selected,
                "invitation": entry.get_invitation_display(),
                **draw_receipt(entry),
            }
            for entry in volunteer.draw_entries.select_related("draw")
        ],
        "micro_parliament": _membership(volunteer),
    }


def _membership(volunteer):
    member = getattr(volunteer, "membership", None)
    if member is None:
        return None
    return {
        "micro_parliament": member.micro_parliament.title,
        "role": member.get_role_display(),
        "public_name": member.name,
        "name_shown_publicly": member.show_name,
        "joined_on": member.joined_on.isoformat(),
    }
