"""Signing up, confirming, correcting and withdrawing: the rules, apart from the views."""

from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail import hooks
from wagtail.log_actions import log

from mprc_cms import ratelimit

from .api import PERSONAL_DATA_HOOK
from .choices import ConsentMethod, Source, Status
from .models import ConsentRecord, ConsentText, Volunteer
from .normalise import name_key, phone_key
from .retention import default_retention_end

CREATED = "created"  # a new sign-up, waiting for its confirmation
RENEWED = "renewed"  # the address of a sign-up never confirmed in time: a fresh sign-up
KNOWN = "known"  # the person is already on the list: nothing stored, nothing changed

# The scopes of mprc_cms.ratelimit that keep the list from being used to flood a mailbox.
UNCONFIRMED_SCOPE = "participation.unconfirmed"  # an address nobody has confirmed yet
KNOWN_SCOPE = "participation.signup.known"  # a known person, told of a new sign-up


def may_mail_unconfirmed(commune, address):
    """Whether an address nobody has confirmed for this commune's list may get an e-mail
    now (a confirmation link): once per rate window, whatever asks. Per commune, so that
    an address confirmed in one commune can sign up in another."""
    commune_id = getattr(commune, "pk", commune)
    return ratelimit.hit(UNCONFIRMED_SCOPE, f"{commune_id}:{address}")


@dataclass
class SignupOutcome:
    kind: str
    volunteer: Volunteer | None = None
    reason: str = ""  # how a known person was recognised: "email", "phone" or "name"
    # Whether the confirmation e-mail of a created or renewed sign-up may be sent: an
    # unconfirmed address gets one e-mail per rate window.
    may_send: bool = True


def signups(commune):
    return Volunteer.objects.filter(commune=commune, source=Source.VOLUNTEER_LIST)


def unexpired(volunteers, now=None):
    """Without the sign-ups left unconfirmed past their delay (erased by the daily job)."""
    from .retention import confirmation_days

    now = now or timezone.now()
    limit = now - timedelta(days=confirmation_days())
    return volunteers.exclude(status=Status.PENDING, created_at__lt=limit)


def find_duplicate(commune, details, exclude=None):
    """The sign-up of the same person in the commune: same e-mail, same phone, or same
    name and year of birth. Returns (volunteer, reason) or (None, None). Sign-ups never
    confirmed in time do not count."""
    existing = unexpired(signups(commune))
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


def changes_identity(volunteer, details):
    """Whether a correction changes what ``find_duplicate`` compares: the phone, or the
    name and year of birth (as compared, so a new spelling of the same does not count)."""
    if "phone" in details and phone_key(details["phone"]) != phone_key(volunteer.phone):
        return True
    names = (
        details.get("first_name", volunteer.first_name),
        details.get("last_name", volunteer.last_name),
    )
    if name_key(*names) != name_key(volunteer.first_name, volunteer.last_name):
        return True
    return details.get("birth_year", volunteer.birth_year) != volunteer.birth_year


def register(page, details):
    """Record a sign-up with its consent, or recognise the same person.

    A person already on the list (same e-mail address, phone, or name and year of birth)
    is never changed by a sign-up: the outcome is KNOWN and nothing is stored. The page
    answers the same in every case; what differs goes by e-mail (``notify_known``).

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
    if existing is not None:
        return SignupOutcome(KNOWN, existing, reason)
    email = details.get("email")
    stale = None
    if email:
        # Locked and read again: a sign-up of this address committed by a parallel request
        # after ``find_duplicate`` looked is a known person, never one to renew.
        stale = signups(commune).select_for_update().filter(email__iexact=email).first()
        if stale is not None and not is_expired(stale, now):
            return SignupOutcome(KNOWN, stale, "email")
    if stale is not None:
        # Left unconfirmed past its delay, not yet erased by the daily job: it holds the
        # address (one sign-up per address), so it becomes the new sign-up.
        stale.consents.all().delete()
        for name, value in details.items():
            setattr(stale, name, value)
        stale.created_at = now
        stale.pending_email, stale.pending_email_since = "", None
        volunteer, kind = stale, RENEWED
    else:
        volunteer = Volunteer(
            commune=commune,
            source=Source.VOLUNTEER_LIST,
            status=Status.PENDING,
            created_at=now,
            **details,
        )
        kind = CREATED
    volunteer.save()
    ConsentRecord.objects.create(
        volunteer=volunteer, consent_text=consent_text, method=ConsentMethod.ONLINE, given_at=now
    )
    # Recorded in the sign-up's transaction: a repeat of the same address sent at the same
    # moment sees the sign-up and this e-mail together, and sends nothing more.
    may_send = may_mail_unconfirmed(commune, email) if email else True
    return SignupOutcome(kind, volunteer, may_send=may_send)


def may_tell_known(volunteer, *, already_counted=""):
    """Whether a known person may be told (by e-mail) of a sign-up that used their address,
    phone, or name and year of birth: once per rate window, and an address not yet
    confirmed once per window whatever asks. ``already_counted``: an address whose e-mail
    limit the request has already counted."""
    address = volunteer.email
    if not address:
        return False
    with transaction.atomic():
        # One request at a time per person, so that simultaneous repeats send one e-mail.
        Volunteer.objects.select_for_update().filter(pk=volunteer.pk).first()
        if not ratelimit.hit(KNOWN_SCOPE, volunteer.public_id):
            return False
        unconfirmed = volunteer.status == Status.PENDING
        if unconfirmed and not may_mail_unconfirmed(volunteer.commune_id, address):
            return False
        if address != already_counted and not ratelimit.hit("participation.email", address):
            return False
    return True


EMAIL_CHANGED = "changed"
EMAIL_TAKEN = "taken"


def pending_email(volunteer, now=None):
    """The new address the person asked for, while its link is still valid; else ""."""
    from .tokens import email_change_days

    since = volunteer.pending_email_since
    now = now or timezone.now()
    if not volunteer.pending_email or since is None:
        return ""
    if since < now - timedelta(days=email_change_days()):
        return ""
    return volunteer.pending_email


def _address_taken(volunteer, address):
    return signups(volunteer.commune_id).exclude(pk=volunteer.pk).filter(email__iexact=address)


@transaction.atomic
def correct(volunteer, details, *, new_email="", remove_email=False):
    """Save a correction from the personal page. The answers (``details``, without the
    e-mail address) change at once, and so does an address removed. A new address is kept
    as pending, replacing any other, and used only once confirmed from the link sent to it
    (``confirm_email_change``). Returns True when that link is to be sent: not when the
    address is another sign-up's (told to no one: the page answers the same), nor when the
    address had an e-mail within the rate window."""
    for name, value in details.items():
        setattr(volunteer, name, value)
    send = False
    if remove_email:
        volunteer.email = ""
        volunteer.pending_email, volunteer.pending_email_since = "", None
    elif new_email:
        if _address_taken(volunteer, new_email).exists():
            volunteer.pending_email, volunteer.pending_email_since = "", None
        else:
            volunteer.pending_email = new_email
            volunteer.pending_email_since = timezone.now()
            send = may_mail_unconfirmed(volunteer.commune_id, new_email)
    volunteer.save()
    return send


def confirm_email_change(volunteer, token):
    """Use the pending address (the link sent to it was opened and confirmed).

    Returns (EMAIL_CHANGED or EMAIL_TAKEN, the old address), or (None, "") if the link no
    longer matches (replaced or already used meanwhile)."""
    from .tokens import read_email_change_token

    with transaction.atomic():
        volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        if not pending_email(volunteer) or not read_email_change_token(token, volunteer):
            return None, ""
        old_email, new_email = volunteer.email, volunteer.pending_email
        volunteer.pending_email, volunteer.pending_email_since = "", None
        taken = _address_taken(volunteer, new_email).exists()
        if not taken:
            volunteer.email = new_email
            try:
                with transaction.atomic():
                    volunteer.save()
            except IntegrityError:  # taken by a sign-up at this very moment
                taken = True
                volunteer.email = old_email
        if taken:
            volunteer.save()
            return EMAIL_TAKEN, ""
    return EMAIL_CHANGED, old_email


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
    staff_method = ConsentMethod.STAFF if method == ConsentMethod.ONLINE else method
    record_staff_consent(volunteer, user, consent_text, method=staff_method)
    return volunteer


def record_staff_consent(volunteer, user, consent_text=None, *, method=ConsentMethod.STAFF):
    """Consent given to the town hall (``method``: paper form, by phone, at the counter),
    recorded by ``user``."""
    if consent_text is None:
        consent_text = current_consent_text(volunteer.commune)
    now = timezone.now()
    return ConsentRecord.objects.create(
        volunteer=volunteer,
        consent_text=consent_text,
        method=method,
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


def personal_data(volunteer):
    """Everything the list holds about the person, for them to download, and what the
    modules that use the list add (``participation.api.PERSONAL_DATA_HOOK``)."""
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
    data = {
        "commune": volunteer.commune.title,
        "first_name": volunteer.first_name,
        "last_name": volunteer.last_name,
        "email": volunteer.email,
        "pending_email": pending_email(volunteer) or None,
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
    }
    # What other modules hold about the person (the micro-parliament: their draws, their
    # seat), each under its own keys.
    for contribution in hooks.get_hooks(PERSONAL_DATA_HOOK):
        data.update(contribution(volunteer))
    return data
