"""The legal pages every site has: the legal notice («Mentions légales», LCEN article 6),
the accessibility statement («Déclaration d'accessibilité», RGAA 4.1) and the personal
data page («Données personnelles», GDPR articles 13 and 14).

A *site* here is the network (its home page) or a commune (its page, whether or not it has
its own hostname): each has its pages, as routes of its root page (``LegalPagesMixin``),
and its :class:`~home.models.LegalInformation`, edited by its staff. :class:`SiteFacts`
reads the facts with their defaults: an empty field of a commune falls back to the
commune's own data (its name, its town hall) or to the network's facts (host, data
protection officer, the accessibility audit of the pages every commune shares).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.template.response import TemplateResponse
from django.utils import formats, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from mprc_cms import french, privacy

from .models import CommunePage, LegalInformation, NetworkHomePage, one_per_line

# RGAA conformity states, from the share of criteria met (RGAA 4.1, "obligations"):
# every criterion, fully; at least half, partially; less, or no audit, non-compliant.
FULLY = "full"
PARTIALLY = "partial"
NOT = "none"
CONFORMITY_LABELS = {
    FULLY: gettext_lazy("fully compliant"),
    PARTIALLY: gettext_lazy("partially compliant"),
    NOT: gettext_lazy("non-compliant"),
}
PARTIAL_THRESHOLD = Decimal(50)
RGAA_VERSION = "4.1"
# What the public pages are made of (no script runs on them: see the CSP in settings).
TECHNOLOGIES = ("HTML5", "CSS", "WAI-ARIA", "SVG")

# The Défenseur des droits, whom anyone may turn to when a site does not answer about a
# content they cannot reach (the RGAA model statement).
DEFENSEUR_FORM_URL = "https://formulaire.defenseurdesdroits.fr/"
DEFENSEUR_DELEGATES_URL = "https://www.defenseurdesdroits.fr/saisir/delegues"
DEFENSEUR_ADDRESS = ("Défenseur des droits", "Libre réponse 71120", "75342 Paris CEDEX 07")
# The CNIL, to which anyone may complain about the processing of their personal data.
CNIL_COMPLAINT_URL = "https://www.cnil.fr/fr/plaintes"
CNIL_ADDRESS = ("CNIL", "3 place de Fontenoy", "TSA 80715", "75334 Paris CEDEX 07")


def conformity(rate, audited):
    """The RGAA conformity state of an audit's rate (a percentage)."""
    if not audited or rate is None:
        return NOT
    if rate >= 100:
        return FULLY
    if rate >= PARTIAL_THRESHOLD:
        return PARTIALLY
    return NOT


# Defaults standing for what the editors would type (see _in_content_language).
COMMUNE_PUBLISHER = gettext_noop("Commune of %(commune)s")
COMMUNE_DIRECTOR = gettext_noop("The mayor of %(commune)s")
NETWORK_DIRECTOR = gettext_noop("The legal representative of %(publisher)s")


def _in_content_language(message, **values):
    """A default that stands for what the editors would type, in their language (French):
    “Commune de Saint-Aubin”, “Commune des Essarts” (never “de Les”), “Commune
    d’Aubigny” (mprc_cms.french)."""
    with translation.override(settings.LANGUAGE_CODE):
        return french.contract(_(message) % values, *values.values())


@dataclass
class Contact:
    """A name with its postal address, phone and e-mail (any may be empty)."""

    name: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""

    def __bool__(self):
        return bool(self.name or self.address or self.phone or self.email)


@dataclass
class Accessibility:
    """The accessibility statement's facts, as the site shows them."""

    audited: bool
    state: str
    audit_date: datetime.date | None = None
    auditor: str = ""
    rate: Decimal | None = None
    sample: list = field(default_factory=list)
    non_compliant: list = field(default_factory=list)
    derogations: list = field(default_factory=list)
    exempt: list = field(default_factory=list)
    environment: list = field(default_factory=list)
    tools: list = field(default_factory=list)
    declared_on: datetime.date | None = None
    # The network's audit, shown on a commune that has none of its own.
    inherited: bool = False

    @property
    def state_label(self):
        return CONFORMITY_LABELS[self.state]

    @property
    def rate_display(self):
        """The rate as people write it: “76,5”, “100” (not “76,50”, “1E+2”)."""
        if self.rate is None:
            return ""
        value = self.rate.normalize()
        if value == value.to_integral_value():
            value = value.quantize(Decimal(1))
        return formats.number_format(value, use_l10n=True)

    @property
    def has_inaccessible_content(self):
        return bool(self.non_compliant or self.derogations or self.exempt)


class SiteFacts:
    """The facts of one site (the network, or a commune) with their defaults."""

    def __init__(self, root, info, network_info, network_home):
        self.root = root
        self.commune = root if isinstance(root, CommunePage) else None
        self.network_home = network_home
        self.info = info
        self.network = network_info

    @classmethod
    def of(cls, root, network_home=None):
        """The facts of the site whose root page is ``root``, in one query."""
        is_home = isinstance(root, NetworkHomePage)
        home = root if is_home else (network_home or root.network_home)
        ids = {root.pk} | ({home.pk} if home is not None else set())
        rows = {row.page_id: row for row in LegalInformation.objects.filter(page_id__in=ids)}
        info = rows.get(root.pk) or LegalInformation(page_id=root.pk)
        if home is None or home.pk == root.pk:
            network_info = info
        else:
            network_info = rows.get(home.pk) or LegalInformation(page_id=home.pk)
        return cls(root, info, network_info, home)

    @property
    def is_commune(self):
        return self.commune is not None

    # --- Publisher, director, host (LCEN article 6) --------------------------------------

    @cached_property
    def publisher(self):
        info, commune = self.info, self.commune
        if commune is not None:
            name = info.publisher_name or _in_content_language(
                COMMUNE_PUBLISHER, commune=commune.title
            )
            return Contact(
                name=name,
                address=info.publisher_address or commune.address,
                phone=info.publisher_phone or commune.phone,
                email=info.publisher_email or commune.email,
            )
        return Contact(
            name=info.publisher_name or self.root.title,
            address=info.publisher_address,
            phone=info.publisher_phone,
            email=info.publisher_email,
        )

    @property
    def registration(self):
        return self.info.publisher_registration

    @cached_property
    def director(self):
        if self.info.publication_director:
            return self.info.publication_director
        if self.commune is not None:
            return _in_content_language(COMMUNE_DIRECTOR, commune=self.commune.title)
        return _in_content_language(NETWORK_DIRECTOR, publisher=self.publisher.name)

    @cached_property
    def host(self):
        """The commune's host if it gave one, else the network's (empty if neither did)."""
        info = self.info if self.info.host_name else self.network
        return Contact(name=info.host_name, address=info.host_address, phone=info.host_phone)

    # --- Data protection -----------------------------------------------------------------

    def _dpo_of(self, info):
        return Contact(name=info.dpo_name, address=info.dpo_address, email=info.dpo_email)

    @cached_property
    def dpo(self):
        """The data protection officer of the site's own processings: the commune's if it
        gave one, else the network's (empty if neither did)."""
        return self._dpo_of(self.info) or self._dpo_of(self.network)

    @cached_property
    def network_dpo(self):
        return self._dpo_of(self.network)

    @cached_property
    def network_facts(self):
        if self.commune is None or self.network_home is None:
            return self
        return SiteFacts(self.network_home, self.network, self.network, self.network_home)

    @property
    def network_publisher(self):
        return self.network_facts.publisher

    # --- Accessibility (RGAA) ------------------------------------------------------------

    @cached_property
    def accessibility(self):
        info, network = self.info, self.network
        own = info.accessibility_audit_date is not None or info is network
        audit = info if own else network
        lists = {
            name: one_per_line(getattr(audit, f"accessibility_{name}"))
            for name in ("non_compliant", "derogations", "exempt")
        }
        if not own:
            # The network's audit covers the shared pages; the commune adds its own content.
            for name in lists:
                extra = one_per_line(getattr(info, f"accessibility_{name}"))
                lists[name] += [item for item in extra if item not in lists[name]]
        audited = audit.accessibility_audit_date is not None
        return Accessibility(
            audited=audited,
            state=conformity(audit.accessibility_rate, audited),
            audit_date=audit.accessibility_audit_date,
            auditor=audit.accessibility_auditor,
            rate=audit.accessibility_rate,
            sample=one_per_line(audit.accessibility_sample),
            environment=one_per_line(audit.accessibility_environment),
            tools=one_per_line(audit.accessibility_tools),
            declared_on=audit.accessibility_declared_on or audit.accessibility_audit_date,
            inherited=audited and not own,
            **lists,
        )

    @cached_property
    def accessibility_email(self):
        return (
            self.info.accessibility_email
            or self.publisher.email
            or self.network.accessibility_email
            or self.network_publisher.email
        )


def site_root_of(page, request=None):
    """The root of the legal pages a page links to: its commune, else the network home.
    Without a page (the 404 page), the root of the request's site."""
    if page is not None:
        commune = getattr(page, "commune", None)
        if commune is not None:
            return commune
        home = getattr(page, "network_home", None)
        if home is not None:
            return home
    if request is not None:
        from wagtail.models import Site

        site = Site.find_for_request(request)
        if site is not None:
            root = site.root_page.specific
            if isinstance(root, (CommunePage, NetworkHomePage)):
                return root
    return NetworkHomePage.objects.first()


def legal_urls(root, request):
    """The addresses of the site's three legal pages, and of its open data page (the
    footer links to it with them)."""
    base = root.get_url(request)
    if base is None:
        return {}
    return {
        name: base + root.reverse_subpage(name)
        for name in ("legal_notice", "accessibility", "privacy", "open_data")
    }


# --- The views (routes of the site's root page) --------------------------------------


def _render(request, root, template, title, context):
    facts = SiteFacts.of(root)
    context = {
        "page": root,
        "self": root,
        "facts": facts,
        "legal_title": title,
        "legal_urls": legal_urls(root, request),
        **context,
    }
    if root.depth > 2:
        # The breadcrumbs end with the legal page, after its site's page.
        context["subpage_title"] = title
    return TemplateResponse(request, f"home/legal/{template}", context)


def legal_notice(request, root):
    return _render(request, root, "legal_notice.html", _("Legal notice"), {})


def accessibility_statement(request, root):
    return _render(
        request,
        root,
        "accessibility.html",
        _("Accessibility statement"),
        {
            "rgaa_version": RGAA_VERSION,
            "technologies": TECHNOLOGIES,
            "site_url": root.get_full_url(request),
            "defenseur_form_url": DEFENSEUR_FORM_URL,
            "defenseur_delegates_url": DEFENSEUR_DELEGATES_URL,
            "defenseur_address": DEFENSEUR_ADDRESS,
        },
    )


def privacy_policy(request, root):
    commune = root if isinstance(root, CommunePage) else None
    processings = privacy.get_processings(commune)
    communes = []
    if commune is None:
        communes = [
            (item, legal_urls(item, request).get("privacy"))
            for item in CommunePage.objects.child_of(root).live().public().order_by("title")
        ]
    return _render(
        request,
        root,
        "privacy.html",
        _("Personal data"),
        {
            "processings": processings,
            "commune_processings": [p for p in processings if p.controller == privacy.COMMUNE],
            "network_processings": [p for p in processings if p.controller == privacy.NETWORK],
            "communes": communes,
            "cookies": privacy.cookies(processings),
            "sent_emails_kept": privacy.sent_emails_kept(),
            "cnil_complaint_url": CNIL_COMPLAINT_URL,
            "cnil_address": CNIL_ADDRESS,
        },
    )
