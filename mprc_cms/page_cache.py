"""The page cache: public pages served to anonymous visitors from the shared cache, never
stale (docs/page-cache.md, decision 16).

Everything a page shows belongs to a *scope*:

- ``commune:<id>``: a commune's pages and its modules' data;
- ``network``: the network's own pages and data (the template library, the network's
  funding sources, site settings, images…), which every page may show;
- ``any``: bumped by every change; the network's pages (home, catalogue, search, sitemap)
  depend on it, since they show every commune.

Each scope has a *version*, a random token kept in the shared cache (Redis in production,
a file-based cache on one server). A cached page records the versions of the scopes it
depends on; a change of data replaces the versions of its scopes (:func:`changed`, called
by the model signals connected in :func:`connect` and by code that writes in bulk), so
every process sees the page as stale on its next request. A version that the cache lost
is re-created as a new token, so an eviction can only make pages miss, never serve old
ones.

Derived data that many pages need (menus, site settings, module lookups) goes through
:func:`memo`: computed once per version of its scopes, shared by every process, kept in
the process for the request's next uses.
"""

import contextvars
import copy
import hashlib
import logging
import secrets
from collections import OrderedDict
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

ANY = "any"
NETWORK = "network"
VERSION_PREFIX = "mprc:pc:v:"
ENTRY_PREFIX = "mprc:pc:e:"
MEMO_PREFIX = "mprc:pc:m:"
URLS_PREFIX = "mprc:pc:u:"


def commune_scope(commune_or_pk):
    pk = getattr(commune_or_pk, "pk", commune_or_pk)
    return f"commune:{pk}"


def is_enabled():
    return getattr(settings, "MPRC_PAGE_CACHE", True)


def backend():
    return caches[getattr(settings, "MPRC_PAGE_CACHE_ALIAS", "default")]


def page_seconds():
    """How long a page is kept at most (it is purged as soon as its data changes)."""
    return int(getattr(settings, "MPRC_PAGE_CACHE_SECONDS", 3600))


# --- Versions -----------------------------------------------------------------------------

# The versions read during one request, so that a page's memos ask the cache once.
_request_versions = contextvars.ContextVar("mprc_page_cache_versions", default=None)


def _new_token():
    return secrets.token_hex(8)


def versions(scopes, fresh=False):
    """The current version of each scope (a missing one is created); those already read
    in this request are not read again, unless ``fresh``."""
    scopes = list(dict.fromkeys(scopes))
    known = _request_versions.get()
    if not fresh and known is not None and all(scope in known for scope in scopes):
        return {scope: known[scope] for scope in scopes}
    cache = backend()
    keys = {scope: VERSION_PREFIX + scope for scope in scopes}
    found = cache.get_many(list(keys.values()))
    result = {}
    for scope, key in keys.items():
        token = found.get(key)
        if token is None:
            # add() keeps another process's token if it created one first.
            cache.add(key, _new_token(), timeout=None)
            token = cache.get(key)
        result[scope] = token
    if known is not None:
        known.update(result)
    return result


def _bump(scopes):
    if not scopes:
        return
    backend().set_many({VERSION_PREFIX + scope: _new_token() for scope in scopes}, timeout=None)
    known = _request_versions.get()
    if known is not None:
        for scope in scopes:
            known.pop(scope, None)
    _purge_frontend(scopes)


_pending_by_connection = {}


def bump(scopes):
    """Replace the versions of ``scopes`` at once, and again when the current transaction
    commits: a reader that saw the old data in between cannot keep it under the version
    of the new data. The scopes changed in one transaction are bumped together at commit."""
    scopes = set(scopes)
    if not scopes:
        return
    _bump(scopes)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return
    key = id(connection)
    pending = _pending_by_connection.get(key)
    registered = pending is not None and any(
        entry[1] is pending[1] for entry in connection.run_on_commit
    )
    if not registered:
        # None yet, or its callback went with a rolled-back savepoint or transaction.
        pending_scopes = set()

        def flush():
            if _pending_by_connection.get(key, (None,))[0] is pending_scopes:
                del _pending_by_connection[key]
            _bump(pending_scopes)

        pending = _pending_by_connection[key] = (pending_scopes, flush)
        transaction.on_commit(flush)
    pending[0].update(scopes)


def writing_uncommitted():
    """Whether this connection changed what pages show in a transaction still open (not
    a test case's own): what it computes now may be rolled back, so it is not kept —
    the versions it bumped would otherwise keep it after a rollback."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return False
    pending = _pending_by_connection.get(id(connection))
    if pending is None or not any(entry[1] is pending[1] for entry in connection.run_on_commit):
        return False
    return any(
        not getattr(block, "_from_testcase", False)
        for block in getattr(connection, "atomic_blocks", [])
    )


# --- Which scopes an object belongs to ------------------------------------------------------


def _commune_model():
    from django.apps import apps

    return apps.get_model("home", "CommunePage")


def ancestor_paths(path):
    """A page's tree path, then its parent's, and so on up to the root's."""
    from wagtail.models import Page

    steplen = Page.steplen
    return [path[: depth * steplen] for depth in range(len(path) // steplen, 0, -1)]


def _communes_of_path(path):
    """The pk of the commune whose subtree holds a page's tree path, or None."""
    return list(
        _commune_model().objects.filter(path__in=ancestor_paths(path)).values_list("pk", flat=True)
    )


def scopes_for(obj):
    """The scopes whose pages may show ``obj``: its commune's (and the communes a model
    lists through ``page_cache_communes()`` or a many-to-many to communes), else the
    network's."""
    from wagtail.models import Page

    communes = set()
    try:
        if isinstance(obj, Page):
            communes.update(_communes_of_path(obj.path))
        else:
            communes.update(_communes_of_record(obj, depth=0))
        extra = getattr(obj, "page_cache_communes", None)
        if extra is not None:
            communes.update(getattr(c, "pk", c) for c in extra())
    except Exception:  # a half-deleted object: purge everything rather than guess
        logger.debug("page cache: scopes of %r unknown, purging all", obj, exc_info=True)
        return {NETWORK, ANY}
    communes.discard(None)
    if not communes:
        return {NETWORK, ANY}
    return {ANY, *(commune_scope(pk) for pk in communes)}


def _commune_fields(model):
    """(direct commune FK fields, many-to-many to communes, parent FK fields) of a model."""
    cached = _FIELDS.get(model)
    if cached is not None:
        return cached
    from wagtail.models import Page

    commune_model = _commune_model()
    direct, many, parents = [], [], []
    for field in model._meta.get_fields():
        if not getattr(field, "is_relation", False) or field.auto_created:
            continue
        related = field.related_model
        if related is None:
            continue
        if field.many_to_many:
            if issubclass(related, commune_model):
                many.append(field.name)
            continue
        if not (field.many_to_one or field.one_to_one):
            continue
        if field.name == "commune" or issubclass(related, commune_model):
            direct.append(field.name)
        elif issubclass(related, Page) or related._meta.app_label in _data_apps():
            parents.append(field.name)
    _FIELDS[model] = (direct, many, parents)
    return _FIELDS[model]


_FIELDS = {}


def _data_apps():
    from mprc_cms.modules import get_modules

    labels = {"home", "mprc_cms"}
    for module in get_modules():
        labels.add(module.app_label)
    return labels


def _commune_pk_of(value):
    return getattr(value, "pk", value)


def _communes_of_record(obj, depth):
    from wagtail.models import Page

    if isinstance(obj, Page):
        return set(_communes_of_path(obj.path))
    direct, many, parents = _commune_fields(type(obj))
    communes = set()
    for name in direct:
        pk = getattr(obj, f"{name}_id", None)
        if pk is not None:
            related = type(obj)._meta.get_field(name).related_model
            if issubclass(related, _commune_model()):
                communes.add(pk)
            else:  # a FK to wagtailcore.Page named "commune"
                value = getattr(obj, name)
                communes.update(_communes_of_path(value.path))
    if obj.pk is not None:
        for name in many:
            communes.update(getattr(obj, name).values_list("pk", flat=True))
    if depth >= 3:
        return communes
    # The parents' communes too: a member of commune B on commune A's micro-parliament
    # shows on both.
    for name in parents:
        if getattr(obj, f"{name}_id", None) is None:
            continue
        parent = getattr(obj, name)
        communes.update(_communes_of_record(parent, depth + 1))
        extra = getattr(parent, "page_cache_communes", None)
        if extra is not None:
            communes.update(_commune_pk_of(c) for c in extra())
    return communes


def changed(*objects):
    """Purge the pages that show these objects (model instances, pages or communes), once
    the current transaction commits. Code that writes without model signals
    (``bulk_create``, ``QuerySet.update``, raw SQL) calls it; the signals do it for the rest.
    """
    if not is_enabled_for_data():
        return
    scopes = set()
    for obj in objects:
        scopes |= scopes_for(obj)
    bump(scopes)


def changed_everywhere():
    """Purge every page (a change whose reach is not known)."""
    if is_enabled_for_data():
        bump({NETWORK, ANY})


def is_enabled_for_data():
    return getattr(settings, "MPRC_PAGE_CACHE_INVALIDATION", True)


# --- Memos ----------------------------------------------------------------------------------

_local_memos = OrderedDict()
_LOCAL_MEMO_SIZE = 8192
_MISSING = object()


def memo(name, scopes, compute, timeout=None, keep=None):
    """``compute()``, cached under ``name`` for the current versions of ``scopes``: shared
    by every process through the cache, kept in this process too. Values must pickle.
    Inside a transaction that changed data and may still roll back, nothing is kept; nor
    is a value for which ``keep(value)`` is false. ``timeout`` may be a callable of the
    value (seconds; 0 or less: not kept)."""
    if writing_uncommitted():
        return compute()
    current = versions(scopes)
    digest = hashlib.sha256(
        "\x00".join([name, *(f"{s}={current[s]}" for s in sorted(current))]).encode()
    ).hexdigest()
    value = _local_memos.get(digest, _MISSING)
    if value is not _MISSING:
        _local_memos.move_to_end(digest)
        return value
    cache = backend()
    key = MEMO_PREFIX + digest
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        if keep is not None and not keep(value):
            return value
        seconds = timeout(value) if callable(timeout) else timeout or page_seconds()
        if seconds <= 0:
            return value
        cache.set(key, value, timeout=seconds)
    _local_memos[digest] = value
    if len(_local_memos) > _LOCAL_MEMO_SIZE:
        _local_memos.popitem(last=False)
    return value


def page_memo(request, name, compute):
    """:func:`memo` of what a page lists (``name`` names the page), valid until anything
    changes; computed afresh for a preview, whose lists may be unsaved."""
    if getattr(request, "is_preview", False):
        return compute()
    return memo(name, [ANY], compute)


def site_for_request(request):
    """Wagtail's Site for ``request`` with its root page (specific) loaded: a memo per host
    and port, so that serving a page asks the database for neither. Each request gets its
    own copy (pages learn their commune and parents while they are served)."""
    from django.http.request import split_domain_port
    from wagtail.models import Site

    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()

    def compute():
        site = Site._find_for_request(request)
        if site is not None:
            site.root_page = site.root_page.specific
        return site

    return copy.deepcopy(memo(f"site:{hostname}:{port}", [ANY], compute))


def private_sections():
    """(path, depth) of every page under a view restriction: what Wagtail's
    ``PageQuerySet.private_q()`` asks the database for on every ``.public()`` (a dozen
    times on a search page). A memo of every change (restrictions are rare)."""
    from wagtail.models import PageViewRestriction

    def compute():
        return sorted(set(PageViewRestriction.objects.values_list("page__path", "page__depth")))

    return memo("private-sections", [ANY], compute)


def private_q(queryset=None):
    """Wagtail's ``PageQuerySet.private_q()`` from :func:`private_sections`: the pages in a
    section under a view restriction (none: matches nothing). Installed in place of
    Wagtail's at start-up (mprc_cms/apps.py), so that every ``.public()`` — the project's
    and Wagtail's own — filters without a query."""
    from django.db.models import Q

    q = Q()
    for path, depth in private_sections():
        q |= Q(path__startswith=path) & Q(depth__gte=depth)
    return q if q else Q(pk__in=[])


def depends_on(request, scopes):
    """Say that the page served for ``request`` also shows data of ``scopes``, beyond its
    own commune's (a section that lists records of other communes): the page cache keeps
    the page for their versions too."""
    if request is not None:
        extra = getattr(request, "page_cache_extra_scopes", None)
        if extra is None:
            extra = request.page_cache_extra_scopes = set()
        extra.update(scopes)


def communes_of(obj):
    """The pks of the communes whose data ``obj`` is, without a query (a memo of the
    communes' paths): a page's commune, a record's ``commune_id``; None when that is not
    known for sure (a page or record of the network, one that lists communes of its own),
    which makes a fragment depend on every change."""
    from wagtail.models import Page

    if obj is None or getattr(obj, "page_cache_communes", None) is not None:
        return None
    if isinstance(obj, Page):
        paths = memo(
            "communes:paths",
            [ANY],
            lambda: dict(_commune_model().objects.values_list("path", "pk")),
        )
        for path in ancestor_paths(obj.path):
            pk = paths.get(path)
            if pk is not None:
                return [pk]
        return None
    pk = getattr(obj, "commune_id", None)
    return None if pk is None else [pk]


def load_on_miss(objects, load):
    """``objects`` (a list, returned), with ``load(objects)`` called once for all of them
    when the fragment of one of them is rendered (``{% fragment … of=object %}``): what
    only the cards show (their relations, a count) need not be read when every card comes
    from its memo. Whichever card misses first loads it for the whole list."""
    objects = list(objects)
    done = []

    def on_miss():
        if not done:
            done.append(True)
            load(objects)

    for obj in objects:
        obj._load_on_miss = on_miss
    return objects


def prefetch_on_miss(objects, *lookups):
    """:func:`load_on_miss` for Django's ``prefetch_related`` ``lookups``."""
    from django.db.models import prefetch_related_objects

    return load_on_miss(objects, lambda found: prefetch_related_objects(found, *lookups))


def before_fragment(obj):
    """What ``obj`` needs before a fragment of it is rendered (see :func:`load_on_miss`)."""
    load = getattr(obj, "_load_on_miss", None)
    if load is not None:
        load()


# What rendering a fragment may say about the page it is part of (see :func:`fragment`).
_EFFECTS = ("page_cache_until", "page_cache_extra_scopes", "page_cache_exempt")


def _effects(request):
    return {name: copy.copy(getattr(request, name, None)) for name in _EFFECTS}


def fragment(request, name, vary, render, communes=None):
    """The HTML that ``render()`` returns for a part of a page (a card, a filter form),
    a memo for anonymous visitors: under the versions of the network's scope and those
    of ``communes`` (commune pages or pks: the communes whose data the part shows), or
    of every change when ``communes`` is None. ``vary`` lists what else the HTML depends
    on; the language, the site's host and the day are always part of the key.

    What the render said about the page (:func:`valid_until`, :func:`depends_on`,
    :func:`exempt`) is said again when the memo is used; a part valid only until later
    today, or that carries a CSRF token, is not kept. Signed-in users and previews get
    ``render()`` itself."""
    from django.utils.translation import get_language

    user = getattr(request, "user", None)
    if (
        request is None
        or (user is not None and user.is_authenticated)
        or getattr(request, "is_preview", False)
    ):
        return render()
    if communes is None:
        scopes = [ANY]
    else:
        if not isinstance(communes, (list, tuple, set, frozenset)):
            communes = [communes]
        pks = {getattr(commune, "pk", commune) for commune in communes}
        scopes = [ANY] if None in pks else [NETWORK, *sorted(commune_scope(pk) for pk in pks)]
    today = timezone.localdate()
    key = "\x00".join(
        [f"fragment:{name}", get_language() or "", request.get_host(), today.isoformat()]
        + [str(getattr(value, "pk", value)) for value in vary]
    )

    def compute():
        # The render starts from a page that has said nothing, so that what it says is
        # all recorded (even what the page had already said: a sooner limit, the same
        # scope); the page's own effects are put back, and the fragment's said again.
        before = {
            effect: request.__dict__.pop(effect)
            for effect in _EFFECTS
            if effect in request.__dict__
        }
        try:
            html = str(render())
            said = _effects(request)
        finally:
            for effect in _EFFECTS:
                request.__dict__.pop(effect, None)
            request.__dict__.update(before)
        return html, {effect: value for effect, value in said.items() if value}

    midnight = next_midnight()

    def keep(value):
        html, effects = value
        until = effects.get("page_cache_until")
        return "csrfmiddlewaretoken" not in html and (until is None or until >= midnight)

    def seconds(value):
        return min(page_seconds(), int((midnight - timezone.now()).total_seconds()))

    html, effects = memo(key, scopes, compute, timeout=seconds, keep=keep)
    if "page_cache_until" in effects:
        valid_until(request, effects["page_cache_until"])
    if effects.get("page_cache_extra_scopes"):
        depends_on(request, effects["page_cache_extra_scopes"])
    if effects.get("page_cache_exempt"):
        exempt(request)
    return html


def forget_local_memos():
    """Drop the memos kept in this process (tests, after a rollback)."""
    _local_memos.clear()


def commune_scopes(commune):
    """The scopes a commune's pages depend on."""
    if commune is None:
        return [ANY]
    return [NETWORK, commune_scope(commune)]


# --- Time limits ----------------------------------------------------------------------------


def next_midnight(now=None):
    """The next local midnight: dates shown as «today», «in 3 days», «open» turn then."""
    now = timezone.localtime(now)
    tomorrow = now.date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(tomorrow, time.min))


def valid_until(request, moment):
    """Keep the page being served no later than ``moment`` (a post that expires, a call
    that closes, a meeting that starts): views call it for every time-bound thing shown."""
    if request is None or moment is None:
        return
    if isinstance(moment, datetime) and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    elif not isinstance(moment, datetime):  # a date: the midnight that starts it
        moment = timezone.make_aware(datetime.combine(moment, time.min))
    current = getattr(request, "page_cache_until", None)
    if current is None or moment < current:
        request.page_cache_until = moment


def exempt(request):
    """Never cache the response to this request (a personal page, a form with a token)."""
    if request is not None:
        request.page_cache_exempt = True


# --- Reverse proxies and CDNs ----------------------------------------------------------------


def frontend_cache_configured():
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def proxy_seconds():
    """``s-maxage`` for proxies: only when they can be purged (frontend cache configured)."""
    if not frontend_cache_configured():
        return 0  # a proxy that cannot be told to drop a page must not keep it
    return int(getattr(settings, "MPRC_PROXY_CACHE_SECONDS", page_seconds()))


_MAX_URLS_PER_SCOPE = 5000


def remember_url(scopes, url):
    """Note that a proxy may hold ``url`` until one of ``scopes`` changes."""
    if not frontend_cache_configured():
        return
    cache = backend()
    for scope in scopes:
        key = URLS_PREFIX + scope
        urls = cache.get(key) or []
        if url in urls:
            continue
        urls = [*urls, url][-_MAX_URLS_PER_SCOPE:]
        cache.set(key, urls, timeout=None)


def _purge_frontend(scopes):
    if not frontend_cache_configured():
        return
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    cache = backend()
    keys = [URLS_PREFIX + scope for scope in scopes]
    urls = set()
    for found in cache.get_many(keys).values():
        urls.update(found or [])
    cache.delete_many(keys)
    if urls:
        try:
            purge_urls_from_cache(sorted(urls))
        except Exception:  # a proxy down must not break a publish
            logger.exception("page cache: purging %d URLs from the proxy failed", len(urls))


def start_request():
    """Reset the request's known versions (the middleware calls it)."""
    return _request_versions.set({})


def seed_versions(found):
    """Versions the middleware read with the page's entry: {scope: token}."""
    known = _request_versions.get()
    if known is not None:
        known.update({scope: token for scope, token in found.items() if token is not None})


def end_request(token):
    _request_versions.reset(token)


# --- Model signals ----------------------------------------------------------------------------

# Apps and models whose rows no public page shows: their writes purge nothing (and their
# deletions stay fast, without a signal per row). A model of this project says the same
# with ``shown_on_public_pages = False``.
IGNORED_APPS = {
    "admin",
    "auth",
    "axes",
    "contenttypes",
    "django_tasks_db",
    "sessions",
    "wagtailadmin",
    "wagtailembeds",
    "wagtailsearch",
    "wagtailusers",
}
IGNORED_MODELS = {
    "wagtailcore.comment",
    "wagtailcore.commentreply",
    "wagtailcore.groupapprovaltask",
    "wagtailcore.groupcollectionpermission",
    "wagtailcore.grouppagepermission",
    "wagtailcore.modellogentry",
    "wagtailcore.pagelogentry",
    "wagtailcore.pagesubscription",
    "wagtailcore.referenceindex",
    "wagtailcore.revision",
    "wagtailcore.task",
    "wagtailcore.taskstate",
    "wagtailcore.uploadedfile",
    "wagtailcore.workflow",
    "wagtailcore.workflowcontenttype",
    "wagtailcore.workflowpage",
    "wagtailcore.workflowstate",
    "wagtailcore.workflowtask",
    "wagtaildocs.uploadeddocument",
    "wagtailimages.rendition",
    "wagtailimages.uploadedimage",
}
# Saving only these fields of a page (a draft, a lock) changes nothing a visitor sees.
DRAFT_FIELDS = {
    "draft_title",
    "has_unpublished_changes",
    "latest_revision",
    "latest_revision_created_at",
    "locked",
    "locked_at",
    "locked_by",
}


def watched(model):
    """Whether a change of this model's rows purges pages."""
    meta = model._meta
    if meta.app_label in IGNORED_APPS or meta.label_lower in IGNORED_MODELS:
        return False
    if not getattr(model, "shown_on_public_pages", True):
        return False
    return not (meta.proxy and not watched(meta.concrete_model))


def _on_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    """A record moved to another commune or parent: the pages of its old place show it
    too, until purged. Pages move only through ``move()`` (``post_page_move``)."""
    from wagtail.models import Page

    if raw or instance._state.adding or instance.pk is None or isinstance(instance, Page):
        return
    if update_fields and set(update_fields) <= DRAFT_FIELDS:
        return
    if not is_enabled_for_data():
        return
    stored = sender._base_manager.filter(pk=instance.pk).first()
    if stored is not None:
        instance._page_cache_old_scopes = scopes_for(stored)


def _on_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    if update_fields and set(update_fields) <= DRAFT_FIELDS:
        return
    old = instance.__dict__.pop("_page_cache_old_scopes", None)
    if old and is_enabled_for_data():
        bump(old)
    changed(instance)


def _on_delete(sender, instance, **kwargs):
    changed(instance)


def _on_m2m(sender, instance, action, model=None, pk_set=None, **kwargs):
    if action in ("pre_clear", "post_add", "post_remove", "post_clear"):
        # pre_clear: the communes the instance is about to lose still count.
        changed(instance)
    if (
        action in ("post_add", "post_remove")
        and pk_set
        and model is not None
        and issubclass(model, _commune_model())
        and is_enabled_for_data()
    ):
        # The communes removed (or added) showed (or will show) the instance.
        bump({commune_scope(pk) for pk in pk_set})


def _on_page_event(sender, instance, **kwargs):
    changed(instance)


def _on_page_move(sender, instance, **kwargs):
    # Its old and new places, the menus and listings of both: purge everything.
    changed_everywhere()


def _on_migrate(sender, **kwargs):
    """After ``migrate``, which every upgrade runs: purge every page, memo and fragment, so
    that what the code before it wrote (its templates, its translations, the shape of its
    memos) is never served by the code after it. A cache out of reach does not stop the
    migration: its entries end with their time limit (``MPRC_PAGE_CACHE_SECONDS``)."""
    try:
        changed_everywhere()
    except Exception:  # the cache server down: migrating matters more
        logger.warning("page cache: not purged after migrate", exc_info=True)


def connect():
    """Connect the model signals of every watched model (called by the core's AppConfig).
    Receivers are connected per model, never for all senders, so that models no page
    shows keep Django's fast deletion."""
    from django.apps import apps
    from django.db.models.signals import (
        m2m_changed,
        post_delete,
        post_migrate,
        post_save,
        pre_save,
    )
    from wagtail.signals import page_published, page_unpublished, post_page_move

    for model in apps.get_models():
        if not watched(model):
            continue
        uid = f"mprc_page_cache.{model._meta.label_lower}"
        pre_save.connect(_on_pre_save, sender=model, dispatch_uid=uid)
        post_save.connect(_on_save, sender=model, dispatch_uid=uid)
        post_delete.connect(_on_delete, sender=model, dispatch_uid=uid)
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if isinstance(through, type):
                m2m_changed.connect(_on_m2m, sender=through, dispatch_uid=f"{uid}.{field.name}")
    # Sent once per app after ``migrate``: the core's is enough.
    post_migrate.connect(
        _on_migrate, sender=apps.get_app_config("mprc_cms"), dispatch_uid="mprc_page_cache.migrate"
    )
    page_published.connect(_on_page_event, dispatch_uid="mprc_page_cache.published")
    page_unpublished.connect(_on_page_event, dispatch_uid="mprc_page_cache.unpublished")
    post_page_move.connect(_on_page_move, dispatch_uid="mprc_page_cache.moved")
