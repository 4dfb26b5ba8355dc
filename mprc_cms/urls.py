from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from home import views as home_views
from mprc_cms import (
    accounts,
    admin_scoping,
    following_views,
    reports,
    rest,
    site_files,
    views,
)
from mprc_cms.modules import get_modules
from mprc_cms.open_data import views as open_data_views

urlpatterns = [
    # Wagtail's reports, kept inside the user's communes (before the admin's own URLs).
    path("admin/reports/", include(reports.urlpatterns)),
    # Wagtail's password reset, its e-mails limited (before the admin's own URLs).
    path("admin/password_reset/", accounts.PasswordResetView.as_view()),
    # Wagtail screens that would show other communes' drafts or data (before the admin).
    path("admin/", include(admin_scoping.get_urlpatterns())),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # The footer's language form (it moves the page to come back to into the language).
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("healthz", views.healthz, name="healthz"),
    # Asked for by crawlers and browsers, one of each per site, in no language.
    path("sitemap.xml", site_files.sitemap, name="sitemap"),
    path("robots.txt", site_files.robots_txt, name="robots_txt"),
    path("favicon.ico", site_files.favicon, name="favicon"),
    # The public read-only API, in French, in no language prefix (mprc_cms/rest.py).
    *rest.get_urlpatterns(),
    # The open data files as the daily job wrote them, in no language (no database query).
    path(
        f"{open_data_views.FILES_URL_PREFIX}<str:scope>/<str:name>",
        open_data_views.download,
        name="open_data_file",
    ),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Public pages: French at the root, the English interface under /en/.
urlpatterns += i18n_patterns(
    path("recherche/", home_views.search, name="search"),
    # Following a page by e-mail (mprc_cms/following.py): the form, the links of e-mails.
    path("suivre/", include(following_views, namespace="following")),
    *[
        path(f"{module.key}/", include(module.info.urls))
        for module in get_modules()
        if module.info.urls
    ],
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
