"""Residents follow a page by e-mail: a project, a micro-parliament, a call for needs.

Which pages: the page types modules declare in ``ModuleInfo.followable_pages``, when the
page is live and public and its module is on for its commune (for a page outside any
commune, e.g. a micro-parliament under the network home: for one of the communes it
serves). A resident asks with the form ``{% follow_form page %}``
(``mprc_cms/templatetags/following.py``) and confirms by the link of an e-mail (double
opt-in); every e-mail then carries a one-click link to stop (``List-Unsubscribe`` headers,
RFC 8058).

A module tells the followers what happened::

    from mprc_cms.following import announce

    announce(page, _("The project moved on to its works"), url=page.full_url)

which records a :class:`~mprc_cms.models.FollowUpdate` and sends it at once to those who
chose «each news»; the others receive one digest a week at most, grouped by address
(:func:`send_digests`, run by ``manage.py daily``).
"""

from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Max
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django_tasks import task

from . import tokens
from .feeds import FEED_PATH, FEED_ROUTE, PageFeed  # noqa: F401 (modules' public face)
from .models import Follower, FollowFrequency, FollowUpdate
from .modules import communes_running, get_modules, module_is_on
from .tasks import send_templated_email, sender

# A follower who does not confirm within this time is erased (daily).
CONFIRMATION_DAYS = 7
# An update is kept this long, then erased (daily).
UPDATES_KEPT_DAYS = 60
# At most one digest per address in this time.
DIGEST_INTERVAL = timedelta(days=7)
# E-mails sent per SMTP connection batch by the digest.
BATCH = 200

CONFIRM_SALT = "following.confirm"
STOP_SALT = "following.stop"
STOP_ALL_SALT = "following.stop_all"
EMAILS = "mprc_cms/following/emails"


# --- Which pages may be followed ---------------------------------------------------------


def followable_models():
    """{model class: module} of the page types the running modules declare followable."""
    found = {}
    for module in get_modules():
        for label in module.info.followable_pages:
            try:
                found[apps.get_model(label)] = module
            except (LookupError, ValueError):
                continue
    return found


def module_of(page):
    """The module that declares ``page``'s type followable, or None."""
    models = followable_models()
    for model, module in models.items():
        if isinstance(page, model):
            return module
    return None


def _commune_of(page):
    """The CommunePage above ``page`` (live or not), or None."""
    CommunePage = apps.get_model("home", "CommunePage")
    return CommunePage.objects.ancestor_of(page).first()


def is_followable(page):
    """Whether residents may follow ``page``: a declared type, live, public, and its
    module on for its commune (or for one of the communes it serves). A memo of the page
    cache, for the versions of the page's commune (known from routing: the network's
    pages, and a page reached otherwise, depend on every change)."""
    if page is None:
        return False
    if page.pk is None:
        return _is_followable(page)
    from . import page_cache

    commune = getattr(page, "__dict__", {}).get("commune")
    scopes = page_cache.commune_scopes(commune) if commune is not None else [page_cache.ANY]
    return page_cache.memo(f"followable:{page.pk}", scopes, lambda: _is_followable(page))


def _is_followable(page):
    page = page.specific_deferred if type(page) is apps.get_model("wagtailcore", "Page") else page
    module = module_of(page)
    if module is None or not page.live:
        return False
    if page.get_view_restrictions().exists():
        return False
    commune = _commune_of(page)
    if commune is not None:
        return commune.live and module_is_on(commune, module)
    served = getattr(page, "served_communes", None)
    communes = list(served()) if callable(served) else None
    if communes is not None:
        communes = [commune for commune in communes if commune.live]
    else:
        CommunePage = apps.get_model("home", "CommunePage")
        communes = CommunePage.objects.live().order_by("path")
    return bool(communes_running(module, communes))


def commune_of(page):
    """The commune whose name e-mails about ``page`` carry (None: the network's)."""
    commune = _commune_of(page)
    return commune if commune is not None and commune.live else None


# --- Tokens and addresses -----------------------------------------------------------------


def confirm_token(follower):
    return tokens.make_token(follower.public_id, CONFIRM_SALT, timestamped=True)


def follower_to_confirm(token):
    public_id = tokens.read_token(token, CONFIRM_SALT, max_age=timedelta(days=CONFIRMATION_DAYS))
    if public_id is None:
        return None
    return Follower.objects.filter(public_id=public_id).select_related("page").first()


def stop_token(follower):
    return tokens.make_token(follower.public_id, STOP_SALT)


def stop_all_token(follower):
    return tokens.make_token(follower.public_id, STOP_ALL_SALT)


def follower_to_stop(token, salt=STOP_SALT):
    public_id = tokens.read_token(token, salt)
    if public_id is None:
        return None
    return Follower.objects.filter(public_id=public_id).select_related("page").first()


def _root_url(page, request=None):
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    site = page.get_site()
    root = site.root_url if site is not None else settings.WAGTAILADMIN_BASE_URL
    return root.rstrip("/")


def _absolute(root, name, token):
    with translation.override(settings.LANGUAGE_CODE):
        return root + reverse(f"following:{name}", args=[token])


def page_url(page, request=None):
    url = page.get_url(request) or "/"
    return url if url.startswith("http") else _root_url(page, request) + url


def _headers(url):
    # RFC 8058: mail clients offer their own button, which POSTs to the URL.
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


# --- The follow form's work ---------------------------------------------------------------


def follow(request, page, email, frequency):
    """Record that ``email`` wants to follow ``page`` and send the confirmation e-mail,
    unless the address already follows it or waits for its confirmation: the resident is
    told the same in every case (nothing tells a stranger who follows what)."""
    now = timezone.now()
    follower = (
        Follower.objects.annotate(lower=Lower("email"))
        .filter(page=page, lower=email.lower())
        .first()
    )
    window = now - timedelta(days=CONFIRMATION_DAYS)
    if follower is None:
        follower = Follower.objects.create(page=page, email=email.lower(), frequency=frequency)
    elif follower.confirmed_at is not None:
        return
    elif follower.created_at > window:
        return  # a confirmation e-mail is already on its way: never twice
    else:
        follower.created_at = now
        follower.frequency = frequency
        follower.save(update_fields=["created_at", "frequency"])
    if pending_for(follower.email, window).exclude(pk=follower.pk).exists():
        # The address waits for the confirmation of another page already: never mail an
        # unconfirmed address twice. Confirming that one confirms this one too.
        return
    send_confirmation(request, page, follower)


def pending_for(email, since):
    """The address's follows waiting for their confirmation, asked since ``since``."""
    return (
        Follower.objects.annotate(lower=Lower("email"))
        .filter(lower=email.lower(), confirmed_at=None, created_at__gt=since)
        .select_related("page")
    )


def confirm(follower, now=None):
    """The address confirmed ``follower`` from its e-mail: it is confirmed, with the
    address's other follows asked within the week (whose confirmation was never mailed,
    see ``follow``) of pages that may still be followed. Returns those others' pages."""
    now = now or timezone.now()
    others = [
        other
        for other in pending_for(follower.email, now - timedelta(days=CONFIRMATION_DAYS)).exclude(
            pk=follower.pk
        )
        if is_followable(other.page.specific)
    ]
    Follower.objects.filter(pk__in=[follower.pk, *[other.pk for other in others]]).update(
        confirmed_at=now
    )
    follower.confirmed_at = now
    return [other.page.specific for other in others]


def send_confirmation(request, page, follower):
    root = _root_url(page, request)
    stop = _absolute(root, "stop", stop_token(follower))
    context = {
        "page": page,
        "commune": commune_of(page),
        "page_url": page_url(page, request),
        "confirm_url": _absolute(root, "confirm", confirm_token(follower)),
        "stop_url": stop,
        "frequency": follower.frequency,
        "confirmation_days": CONFIRMATION_DAYS,
    }
    send_templated_email(
        f"{EMAILS}/confirm", context, [follower.email], headers=_headers(stop), to_resident=True
    )


# --- Telling followers --------------------------------------------------------------------


def previous_live_content(page, revision=None):
    """The content (a dict, as revisions store it) of the revision that was live before
    ``revision`` was published, or None when the page was never published before (read
    in a ``page_published`` receiver, which runs before Wagtail logs the publication)."""
    from wagtail.models import PageLogEntry

    entries = PageLogEntry.objects.filter(
        page_id=page.pk, action="wagtail.publish", revision__isnull=False
    )
    if revision is not None:
        entries = entries.exclude(revision_id=revision.pk)
    entry = entries.select_related("revision").order_by("-timestamp", "-pk").first()
    return entry.revision.content if entry is not None else None


def has_followers(page):
    return Follower.objects.filter(page_id=page.pk, confirmed_at__isnull=False).exists()


def already_announced(page, url):
    """Whether an update of ``page`` with this address was recorded (and not erased yet):
    for a module's daily job that announces something once."""
    return FollowUpdate.objects.filter(page_id=page.pk, url=url).exists()


def announce(page, title, *, url="", text=""):
    """Record what happened on ``page`` (a new stage, a meeting, a call opening) and send
    it at once to its confirmed followers who chose «each news»; the others find it in
    their next weekly digest. Returns the FollowUpdate, or None when nobody follows the
    page (nothing is kept then: updates before a confirmation are never sent)."""
    page = page.specific_deferred if type(page) is apps.get_model("wagtailcore", "Page") else page
    if not has_followers(page):
        return None
    update = FollowUpdate.objects.create(
        page=page, title=str(title)[:255], text=str(text or ""), url=url or ""
    )
    followers = list(
        Follower.objects.filter(
            page=page, confirmed_at__isnull=False, frequency=FollowFrequency.EACH
        )
    )
    if not followers or not is_followable(page):
        return update
    root = _root_url(page)
    context = {
        "page": page,
        "commune": commune_of(page),
        "page_url": page_url(page),
        "update": update,
        "update_url": update.url or page_url(page),
    }
    for follower in followers:
        stop = _absolute(root, "stop", stop_token(follower))
        send_templated_email(
            f"{EMAILS}/update",
            {
                **context,
                "stop_url": stop,
                "stop_all_url": _absolute(root, "stop_all", stop_all_token(follower)),
            },
            [follower.email],
            headers=_headers(stop),
            to_resident=True,
        )
    Follower.objects.filter(pk__in=[follower.pk for follower in followers]).update(
        last_sent_at=timezone.now()
    )
    return update


def due_followers(now):
    """The confirmed weekly followers whose address had no digest for a week."""
    weekly = Follower.objects.filter(
        confirmed_at__isnull=False, frequency=FollowFrequency.WEEKLY
    ).annotate(lower=Lower("email"))
    recent = (
        weekly.values("lower")
        .annotate(last=Max("last_sent_at"))
        .filter(last__gt=now - DIGEST_INTERVAL)
        .values("lower")
    )
    return weekly.exclude(lower__in=recent).order_by("lower", "page__path")


def run_digests(now=None, connection=None):
    """Send each address whose week is over one e-mail listing what happened on every page
    it follows since its last digest (or its confirmation). A fixed number of queries
    whatever the number of followers (and one per followed page for its site and module).
    Returns how many e-mails were sent."""
    now = now or timezone.now()
    followers = list(due_followers(now).select_related("page"))
    if not followers:
        return 0
    page_ids = {follower.page_id for follower in followers}
    since = min(follower.last_sent_at or follower.confirmed_at for follower in followers)
    updates = {}
    for update in FollowUpdate.objects.filter(
        page_id__in=page_ids, created_at__gt=since, created_at__lte=now
    ).order_by("created_at", "pk"):
        updates.setdefault(update.page_id, []).append(update)
    pages = {}  # page id → (specific page, followable, url, root, commune)

    def page_info(page):
        if page.pk not in pages:
            specific = page.specific
            followable = is_followable(specific)
            commune = commune_of(specific) if followable else None
            pages[page.pk] = (
                specific,
                followable,
                page_url(specific) if followable else "",
                _root_url(specific) if followable else "",
                commune,
            )
        return pages[page.pk]

    by_address = {}
    for follower in followers:
        by_address.setdefault(follower.lower, []).append(follower)
    senders = {}
    messages, sent_ids = [], []
    for own in by_address.values():
        sections = []
        for follower in own:
            start = follower.last_sent_at or follower.confirmed_at
            news = [u for u in updates.get(follower.page_id, []) if u.created_at > start]
            if not news:
                continue
            specific, followable, url, root, commune = page_info(follower.page)
            if not followable:
                continue
            sections.append(
                {
                    "page": specific,
                    "page_url": url,
                    "commune": commune,
                    "updates": news,
                    "root": root,
                    "stop_url": _absolute(root, "stop", stop_token(follower)),
                }
            )
        if not sections:
            continue
        communes = {section["commune"].pk if section["commune"] else None for section in sections}
        commune = sections[0]["commune"] if len(communes) == 1 else None
        key = commune.pk if commune else None
        if key not in senders:
            senders[key] = sender(commune)
        stop_all = _absolute(sections[0]["root"], "stop_all", stop_all_token(own[0]))
        context = {"sections": sections, "commune": commune, "stop_all_url": stop_all}
        subject = render_to_string(f"{EMAILS}/digest_subject.txt", context)
        body = render_to_string(f"{EMAILS}/digest.txt", context)
        reply_to = [commune.email] if commune is not None and commune.email else None
        messages.append(
            EmailMessage(
                subject=" ".join(subject.split()),
                body=body,
                from_email=senders[key],
                to=[own[0].email],
                reply_to=reply_to,
                headers=_headers(stop_all),
            )
        )
        sent_ids.extend(follower.pk for follower in own)
    connection = connection or get_connection()
    for start in range(0, len(messages), BATCH):
        connection.send_messages(messages[start : start + BATCH])
    if sent_ids:
        Follower.objects.filter(pk__in=sent_ids).update(last_sent_at=now)
    return len(messages)


@task()
def send_digests(now=None):
    """The weekly digests, as a background task (``now``: an ISO date-time, or None)."""
    when = parse_datetime(now) if isinstance(now, str) else now
    return run_digests(when)


# --- The daily clean-up -------------------------------------------------------------------


def purge(now=None):
    """Erase the followers who never confirmed and the old updates; returns the counts."""
    now = now or timezone.now()
    followers, _details = Follower.objects.filter(
        confirmed_at__isnull=True, created_at__lt=now - timedelta(days=CONFIRMATION_DAYS)
    ).delete()
    updates, _details = FollowUpdate.objects.filter(
        created_at__lt=now - timedelta(days=UPDATES_KEPT_DAYS)
    ).delete()
    return followers, updates


def daily(now=None):
    """The core's daily work for followers (``manage.py daily``): the clean-up, then the
    weekly digests queued as a background task."""
    now = now or timezone.now()
    followers, updates = purge(now)
    send_digests.enqueue(now.isoformat())
    return followers, updates


def forget(email):
    """Erase everything the site keeps to tell ``email`` what happened (erasure)."""
    deleted, _details = (
        Follower.objects.annotate(lower=Lower("email")).filter(lower=email.lower()).delete()
    )
    return deleted


# --- The demo network -----------------------------------------------------------------------

DEMO_FOLLOWERS = (
    ("camille.habitante@example.org", FollowFrequency.WEEKLY),
    ("dominique.voisin@example.org", FollowFrequency.EACH),
)


def load_demo(per_type=2):
    """Confirmed followers (example.org addresses) of the first live pages of every
    followable type (``manage.py load_demo``, after the modules' demo content; idempotent).
    Returns how many followers were added."""
    added = 0
    now = timezone.now()
    for model in followable_models():
        pages = model.objects.live().public().order_by("path")[:20]
        for page in [page for page in pages if is_followable(page)][:per_type]:
            for email, frequency in DEMO_FOLLOWERS:
                _follower, created = Follower.objects.get_or_create(
                    page=page,
                    email=email,
                    defaults={"frequency": frequency, "confirmed_at": now},
                )
                added += created
    return added
