"""The processings of personal data that a site's privacy policy lists («Données
personnelles», ``home/legal.py``), after the CNIL's model: for each, who is responsible,
its purpose, its legal basis, the data, who receives it, how long it is kept and the
rights of the people concerned.

A processing is a :class:`Processing` subclass. The core declares its own
(:data:`CORE_PROCESSINGS`: the staff accounts, the protection of the public forms); each
module lists its own in its ``ModuleInfo.privacy_processings``, so that a module plugs into
the privacy policy without any edit of the core, and a module that is not installed adds
nothing. Retention periods are read from the settings and the records that set them
(never written by hand), so that the policy says what the software does.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .modules import get_modules, running_modules

# The processings of the core, before those of the modules.
CORE_PROCESSINGS = (
    "mprc_cms.privacy.StaffAccounts",
    "mprc_cms.privacy.FormProtection",
    "mprc_cms.privacy.Followers",
)

# Who is responsible for a processing (the controller): the commune whose site it is, or
# the network, which runs the site for every commune.
COMMUNE = "commune"
NETWORK = "network"

# Legal bases (GDPR, article 6.1) and the rights each gives (articles 7 and 15 to 21).
CONSENT = "consent"
PUBLIC_TASK = "public_task"
LEGAL_OBLIGATION = "legal_obligation"

LEGAL_BASES = {
    CONSENT: _("consent (article 6.1.a of the GDPR), which may be withdrawn at any time"),
    PUBLIC_TASK: _("a task carried out in the public interest (article 6.1.e of the GDPR)"),
    LEGAL_OBLIGATION: _("a legal obligation (article 6.1.c of the GDPR)"),
}

ACCESS = _("access (article 15)")
RECTIFICATION = _("rectification (article 16)")
ERASURE = _("erasure (article 17)")
RESTRICTION = _("restriction of processing (article 18)")
PORTABILITY = _("portability (article 20)")
OBJECTION = _("objection (article 21)")
WITHDRAWAL = _("withdrawal of consent, at any time (article 7)")

RIGHTS = {
    CONSENT: (ACCESS, RECTIFICATION, ERASURE, RESTRICTION, PORTABILITY, WITHDRAWAL),
    PUBLIC_TASK: (ACCESS, RECTIFICATION, ERASURE, RESTRICTION, OBJECTION),
    LEGAL_OBLIGATION: (ACCESS, RECTIFICATION, RESTRICTION),
}


def duration(delta):
    """A duration in words: “15 minutes”, “1 day”, “2 weeks”, “52 weeks”."""
    seconds = int(delta.total_seconds())
    if seconds % 86400 == 0:
        days = seconds // 86400
        if days % 7 == 0:
            weeks = days // 7
            return ngettext("%(count)s week", "%(count)s weeks", weeks) % {"count": weeks}
        return days_text(days)
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": hours}
    minutes = max(seconds // 60, 1)
    return ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}


def days_text(days):
    return ngettext("%(count)s day", "%(count)s days", days) % {"count": days}


def months_text(months):
    return ngettext("%(count)s month", "%(count)s months", months) % {"count": months}


class Processing:
    """One processing of personal data, as the privacy policy states it.

    Subclasses set the class attributes (lazy translations) and may compute
    :meth:`retention` from the settings and the commune's records. One instance describes
    the processing for one site: ``commune`` (None on the network's site) and whether its
    module is on there (``module_on``: the commune's index page of the module is
    published)."""

    key = ""
    title = ""
    controller = COMMUNE
    purpose = ""
    # (legal basis, whom or what it covers, or "") pairs: most processings have one.
    legal_bases = ((PUBLIC_TASK, ""),)
    data = ()
    recipients = ()
    # How the people concerned exercise their rights here, beyond writing to the
    # controller (a personal link, an unsubscribe link…).
    how_to_exercise = ""

    def __init__(self, commune=None, module_on=False, today=None):
        self.commune = commune
        self.module_on = module_on
        self.today = today or timezone.localdate()

    def applies(self):
        """Whether the site's policy lists it: when the module is on for the commune, or
        when the commune still holds data of it (a module switched off keeps its data
        until it is erased)."""
        return self.module_on or (self.commune is not None and self.has_data())

    def has_data(self):
        """Whether the commune holds records of this processing (one cheap query)."""
        return False

    def retention(self):
        """How long the data is kept: sentences computed from the settings."""
        return []

    def cookies(self):
        """(name, purpose, lifetime) of the cookies the processing sets on residents'
        browsers, listed with the site's own in the policy's table of cookies."""
        return []

    def legal_bases_display(self):
        return [(LEGAL_BASES[basis], scope) for basis, scope in self.legal_bases]

    def rights(self):
        """The rights the legal bases give, each once, in the GDPR's order."""
        rights = []
        for basis, _scope in self.legal_bases:
            rights.extend(right for right in RIGHTS[basis] if right not in rights)
        order = [ACCESS, RECTIFICATION, ERASURE, RESTRICTION, PORTABILITY, OBJECTION, WITHDRAWAL]
        return sorted(rights, key=order.index)


def processing_classes():
    """(module or None, class) of every processing: the core's, then each installed
    module's, in INSTALLED_APPS order."""
    classes = [(None, import_string(path)) for path in CORE_PROCESSINGS]
    for module in get_modules():
        classes.extend((module, import_string(path)) for path in module.info.privacy_processings)
    return classes


def get_processings(commune=None, today=None):
    """The processings a site's privacy policy lists. A commune's: those of the modules it
    runs (or still holds data of), then the network's own. The network's site: the
    network's own (each commune's policy gives the communes')."""
    classes = processing_classes()
    running = {}
    if commune is not None:
        modules = [module for module, _cls in classes if module is not None]
        running = running_modules([commune], modules)[commune.pk]
    found = []
    for module, cls in classes:
        if commune is None and cls.controller != NETWORK:
            continue
        module_on = module is None or module.key in running
        processing = cls(commune, module_on=module_on, today=today)
        if processing.applies():
            found.append(processing)
    # The commune's own first: it is the one the visitor of its pages deals with.
    return sorted(found, key=lambda processing: processing.controller != COMMUNE)


# --- The cookies of the site ----------------------------------------------------------


def cookies(processings=()):
    """(name, purpose, lifetime) of each cookie the site may set: the core's, from the
    settings, then those of ``processings`` (the policy's, as ``get_processings`` gives
    them). None measures the audience, advertises or comes from another site."""
    session_life = (
        _("until the browser is closed")
        if settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
        else duration(timedelta(seconds=settings.SESSION_COOKIE_AGE))
    )
    language_life = (
        duration(timedelta(seconds=settings.LANGUAGE_COOKIE_AGE))
        if settings.LANGUAGE_COOKIE_AGE
        else _("until the browser is closed")
    )
    found = [
        (
            settings.CSRF_COOKIE_NAME,
            _("protects the site's forms against requests forged by other sites"),
            duration(timedelta(seconds=settings.CSRF_COOKIE_AGE))
            if settings.CSRF_COOKIE_AGE
            else _("until the browser is closed"),
        ),
        (
            settings.LANGUAGE_COOKIE_NAME,
            _("remembers the language chosen at the bottom of the page"),
            language_life,
        ),
        (
            settings.SESSION_COOKIE_NAME,
            _("keeps the staff signed in to the administration"),
            session_life,
        ),
    ]
    storage = getattr(
        settings, "MESSAGE_STORAGE", "django.contrib.messages.storage.fallback.FallbackStorage"
    )
    if storage.rsplit(".", 1)[-1] in {"FallbackStorage", "CookieStorage"}:
        found.append(
            (
                "messages",
                _("carries a message to the next page (“your post is saved”…), then is deleted"),
                _("until the message is shown"),
            )
        )
    for processing in processings:
        found.extend(processing.cookies())
    return found


def sent_emails_kept():
    """How long the e-mails the site sent stay in its sending queue (purged daily)."""
    from .tasks import SENT_EMAILS_KEPT

    return duration(SENT_EMAILS_KEPT)


# --- The core's processings -----------------------------------------------------------


class StaffAccounts(Processing):
    key = "staff-accounts"
    title = _("Staff accounts of the administration")
    controller = NETWORK
    purpose = _(
        "Give the staff of the communes and the network's coordinators access to the "
        "administration of the site, keep the history of who changed what, and protect "
        "sign-in against password guessing."
    )
    data = (
        _("Name, user name, e-mail address and password (kept only as a fingerprint)"),
        _("The communes the account manages, and the date of its last sign-in"),
        _("The history of changes: who did what, and when"),
        _("Failed sign-ins: the user name typed, the address of the connection, the browser"),
    )
    recipients = (
        _("The network's coordinators, who create and close the accounts"),
        _("The staff who edit the same pages, for the history of those pages"),
    )
    how_to_exercise = _(
        "Your account's name and e-mail address can be corrected in the administration "
        "(Account); for anything else, write to the network's coordinators."
    )

    def applies(self):
        return True

    def retention(self):
        cool_off = getattr(settings, "AXES_COOLOFF_TIME", None)
        sentences = [
            _(
                "An account is kept until the network's coordinators delete it; the history "
                "of changes is kept with the site's pages and records."
            )
        ]
        if cool_off:
            sentences.append(
                _(
                    "Failed sign-ins count for %(duration)s after the last one; older ones "
                    "are deleted at the next sign-in."
                )
                % {"duration": duration(cool_off)}
            )
        return sentences


class FormProtection(Processing):
    key = "form-protection"
    title = _("Protection of the public forms against abuse")
    controller = NETWORK
    purpose = _(
        "Limit how often one connection or one e-mail address may use the public forms "
        "(sign-up, posts, messages, links sent again), so that nobody can flood the site "
        "or someone's mailbox."
    )
    data = (
        _(
            "A keyed fingerprint of the address of the connection or of the e-mail address "
            "typed, never the address itself, and the time of each use"
        ),
    )
    recipients = (_("No one: the fingerprints are only counted"),)

    def applies(self):
        return True

    def retention(self):
        from . import ratelimit

        return [
            _("Each use is deleted by the site's daily clean-up once older than %(duration)s.")
            % {"duration": duration(ratelimit.kept_for())}
        ]


class Followers(Processing):
    key = "followers"
    title = _("Following pages by e-mail")
    purpose = _(
        "Tell the residents who asked for it what happens on the pages they follow (a "
        "project, a micro-parliament, a call for needs): at each new development, or in one "
        "e-mail a week at most."
    )
    legal_bases = ((CONSENT, _("given with the form of the page, then confirmed by e-mail")),)
    data = (
        _(
            "E-mail address, the pages followed, how often, and the dates of the request, of "
            "its confirmation and of the last e-mail sent"
        ),
    )
    recipients = (_("No one: the address serves only to send these e-mails"),)
    how_to_exercise = _(
        "Every e-mail carries a link to stop following in one click, which erases your "
        "address, and a link to stop everything."
    )

    def applies(self):
        from .following import followable_models

        return bool(followable_models())

    def retention(self):
        from .following import CONFIRMATION_DAYS

        return [
            _("A request that is not confirmed within %(days)s is erased.")
            % {"days": days_text(CONFIRMATION_DAYS)},
            _("Your address is kept until you stop following, which erases it at once."),
            _("The e-mails sent leave the sending queue %(duration)s after they are sent.")
            % {"duration": sent_emails_kept()},
        ]
