"""Settings shared by every environment.

Secrets and the database come from environment variables; SQLite is the default so
that a fresh clone runs with nothing else installed.
"""

import ipaddress
import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from mprc_cms.modules import discover_modules, select_modules

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_storage(name, backend, options=None):
    """A ``STORAGES`` entry: ``backend`` with ``options``, unless the environment variable
    ``name`` gives another backend (a dotted class, e.g. django-storages' S3 storage), with
    its options as a JSON object in ``<name>_OPTIONS`` (docs/deployment.md)."""
    if os.environ.get(name):
        backend = os.environ[name].strip()
        try:
            options = json.loads(os.environ.get(f"{name}_OPTIONS") or "{}")
        except ValueError as error:
            raise ImproperlyConfigured(f"{name}_OPTIONS is not valid JSON: {error}") from error
        if not isinstance(options, dict):
            raise ImproperlyConfigured(f"{name}_OPTIONS must be a JSON object.")
    entry = {"BACKEND": backend}
    if options:
        entry["OPTIONS"] = options
    return entry


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
# The reverse proxies in front of the application servers (addresses or networks,
# comma-separated): behind them the client's address is read from X-Forwarded-For
# (mprc_cms/ratelimit.py:client_ip). None by default: REMOTE_ADDR is the client's.
MPRC_TRUSTED_PROXIES = env_list("MPRC_TRUSTED_PROXIES")
for _proxy in MPRC_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _error:
        raise ImproperlyConfigured(
            f"MPRC_TRUSTED_PROXIES: {_proxy!r} is not an address or a network."
        ) from _error
# Previous secret keys, while they are replaced: sessions, signed links and the secrets
# encrypted in the database (mprc_cms.encryption) made with them stay valid.
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS")
DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# Optional modules: each is a Django app that declares an MPRC module in its AppConfig
# (see mprc_cms/modules.py) and in the entry-point group "mprc_cms.modules" of its package
# (the in-tree ones in pyproject.toml): installing the package adds the module. The
# environment variable MPRC_MODULES picks a subset by key ("projects,funding"), or "none"
# for the core alone; an unknown key stops the start-up. Keys of the modules to run:
AVAILABLE_MODULES = discover_modules()  # key → app dotted name
MPRC_MODULES = select_modules(AVAILABLE_MODULES, os.environ.get("MPRC_MODULES"))

INSTALLED_APPS = [
    "mprc_cms",
    "home",
    *(AVAILABLE_MODULES[key] for key in MPRC_MODULES),
    "wagtail.contrib.forms",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "import_export",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    # The public read-only API (mprc_cms/rest.py, docs/api.md).
    "rest_framework",
    "drf_spectacular",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
    "django.forms",  # the widgets' templates, for FORM_RENDERER below
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every response (see below).
    "mprc_cms.security_headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Public pages for anonymous visitors from the shared cache (mprc_cms/page_cache.py).
    "mprc_cms.page_cache_middleware.PageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: turns a refused sign-in into the lockout page (mprc_cms/accounts.py).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mprc_cms.urls"
WSGI_APPLICATION = "mprc_cms.wsgi.application"

# Forms render with the project's templates engine: mprc_cms/templates/django/forms/ puts
# the options of selects, radio buttons and checkboxes inline (Django includes a template
# per option, a third of a filtered list's time), the same HTML.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "mprc_cms" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one request writes; a busy timeout makes
    # concurrent writers wait for each other instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# French is the default language of everything a user sees; English is available.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Where files are kept (Django's STORAGES): the local disk by default; an S3-compatible
# store for several servers, through django-storages (docs/deployment.md). "default" holds
# the media (images, documents), "private" the staff-only files (below).
STORAGES = {
    "default": env_storage("MPRC_MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage"),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# The shared cache: the page cache, the memos of menus and settings, Wagtail's caches. All
# the server's processes share it: on disk by default (one server, nothing to install),
# Redis with REDIS_URL (several servers; docs/deployment.md).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "mprc"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR", str(BASE_DIR / "var" / "cache")),
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "20000"))},
        }
    }
# Wagtail's renditions cache: the shared one, without rewriting a rendition on every
# picture shown (mprc_cms/renditions_cache.py).
CACHES["renditions"] = {
    "BACKEND": "mprc_cms.renditions_cache.RenditionsCache",
    "LOCATION": "default",
}
# Anonymous visitors' pages are kept at most this long (they are purged at once when what
# they show changes), and never past midnight.
MPRC_PAGE_CACHE = env_bool("MPRC_PAGE_CACHE", True)
MPRC_PAGE_CACHE_SECONDS = int(os.environ.get("MPRC_PAGE_CACHE_SECONDS", "3600"))
# A reverse proxy or CDN purged through wagtail.contrib.frontend_cache (README, production):
# WAGTAILFRONTENDCACHE, e.g. from MPRC_FRONTEND_CACHE_URL for a Varnish or nginx that
# accepts PURGE requests. Pages then carry `Cache-Control: s-maxage`.
if os.environ.get("MPRC_FRONTEND_CACHE_URL"):
    WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": os.environ["MPRC_FRONTEND_CACHE_URL"],
            **(
                {"HOSTNAMES": env_list("MPRC_FRONTEND_CACHE_HOSTNAMES")}
                if os.environ.get("MPRC_FRONTEND_CACHE_HOSTNAMES")
                else {}
            ),
        }
    }

WAGTAIL_SITE_NAME = _("Micro-parlements ruraux connectés")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = [
    "csv",
    "docx",
    "key",
    "odt",
    "ods",
    "odp",
    "pdf",
    "pptx",
    "rtf",
    "txt",
    "xlsx",
]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
# An uploaded image is decoded whole before it is stored (mprc_cms/images.py): a broken
# file is a form error. At most 10 MB and 50 million pixels (the largest phone photos).
WAGTAILIMAGES_IMAGE_FORM_BASE = "mprc_cms.images.ImageForm"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 50_000_000
WAGTAIL_I18N_ENABLED = False
# Nothing is fetched from other sites: no Gravatar avatars, no upgrade check, no banner.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILADMIN_COMMENTS_ENABLED = True
# Wagtail's sign-in form with a translated password label (mprc_cms/accounts.py).
WAGTAILADMIN_USER_LOGIN_FORM = "mprc_cms.accounts.LoginForm"

# Content-Security-Policy (django-csp) and Permissions-Policy, written on every response
# by mprc_cms.security_headers.SecurityHeadersMiddleware. Everything comes from the site
# itself. Public pages run no inline script or style and cannot be framed. Wagtail's admin
# still writes inline scripts (panels, date pickers) and styles, so its screens allow
# inline code, still nothing from elsewhere, and may frame the site (the live preview).
_CSP_SELF = ["'self'"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": _CSP_SELF,
        "script-src": _CSP_SELF,
        "style-src": _CSP_SELF,
        "img-src": _CSP_SELF,
        "font-src": _CSP_SELF,
        "connect-src": _CSP_SELF,
        "media-src": _CSP_SELF,
        "object-src": ["'none'"],
        "base-uri": _CSP_SELF,
        "form-action": _CSP_SELF,
        "frame-ancestors": ["'none'"],
    }
}
MPRC_ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [*_CSP_SELF, "'unsafe-inline'"],
        "style-src": [*_CSP_SELF, "'unsafe-inline'"],
        "img-src": [*_CSP_SELF, "data:", "blob:"],
        "frame-src": _CSP_SELF,
        "frame-ancestors": _CSP_SELF,
    }
}
# No page of the site needs these powerful browser features.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)

# Background work (e-mails, long computations) goes through django-tasks, the task
# framework Wagtail itself uses, on a database-backed queue; `manage.py run` starts a
# worker beside the web server.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# Uploaded import files wait here, private (never under MEDIA_ROOT), between the preview
# and the confirmation; they expire after MPRC_IMPORTS_MAX_AGE seconds.
MPRC_IMPORTS_DIR = Path(os.environ.get("MPRC_IMPORTS_DIR", BASE_DIR / "var" / "imports"))
# Kept in the storage "imports": that folder (mprc_cms/imports/store.py), or the store
# MPRC_IMPORTS_STORAGE names, shared by every server (docs/deployment.md).
STORAGES["imports"] = env_storage(
    "MPRC_IMPORTS_STORAGE", "mprc_cms.imports.store.ImportsFolderStorage"
)
# Staff-only files (funding applications' documents): never under MEDIA_ROOT, served by
# an admin view to the staff of their commune.
MPRC_PRIVATE_FILES_DIR = Path(
    os.environ.get("MPRC_PRIVATE_FILES_DIR", BASE_DIR / "var" / "private")
)
# Read and written only through the storage "private" (django.core.files.storage.storages):
# that folder by default, or the store MPRC_PRIVATE_STORAGE names.
STORAGES["private"] = env_storage(
    "MPRC_PRIVATE_STORAGE",
    "django.core.files.storage.FileSystemStorage",
    {"location": str(MPRC_PRIVATE_FILES_DIR)},
)
MPRC_IMPORTS_MAX_AGE = 3600

# django-import-export: everything is written in one transaction, or nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = True

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "MPRC <ne-pas-repondre@mprc.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("EMAIL_FILE_PATH"):
    EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]

LOGIN_URL = "wagtailadmin_login"

# Failed sign-ins are counted by django-axes in the database, per account and per client
# address: after AXES_FAILURE_LIMIT failures within AXES_COOLOFF_TIME, the account (from
# every address) or the address (for every account) is refused until AXES_COOLOFF_TIME
# after the last failure, even with the right password; network coordinators may unlock
# earlier (Settings › Sign-in lockouts). See mprc_cms/accounts.py.
AUTHENTICATION_BACKENDS = [
    "mprc_cms.accounts.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = timedelta(minutes=15)
# A successful sign-in clears that account's failures from that address only.
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "mprc_cms.accounts.LoginAttemptHandler"
# The client address is the rate limits' (mprc_cms/ratelimit.py: REMOTE_ADDR, or behind
# the reverse proxies of MPRC_TRUSTED_PROXIES what they forwarded).
AXES_CLIENT_IP_CALLABLE = "mprc_cms.accounts.client_ip_address"
AXES_LOCKOUT_CALLABLE = "mprc_cms.accounts.lockout_response"
# Successful sign-ins are not kept (nothing would ever delete them).
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The public read-only API (mprc_cms/rest.py, docs/api.md): its OpenAPI document, and the
# requests per address that reach the application (the page cache answers the others).
# The public API is anonymous: mprc_cms.rest.PublicApiView, the base of each of its views,
# reads no credentials (no password oracle, no sign-in failure counted). The default
# authentication stays DRF's: Wagtail's admin API (images, documents) relies on it.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "MPRC CMS — API publique",
    "DESCRIPTION": (
        "Les données publiques du réseau : communes, projets, modèles de projets, sources de "
        "financement… En lecture seule, sans compte, sous Licence Ouverte 2.0."
    ),
    "VERSION": "1",
    "LICENSE": {
        "name": "Licence Ouverte / Open Licence 2.0",
        "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    },
    "SERVE_INCLUDE_SCHEMA": False,
    # Its deploy check documents every DRF view of the URLconf, Wagtail's admin API
    # included; the public API's document is checked by tests/mprc_cms/test_rest.py.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
    "COMPONENT_SPLIT_REQUEST": True,
}
MPRC_API_RATE = os.environ.get("MPRC_API_RATE", "600/hour")
