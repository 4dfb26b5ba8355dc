"""The site's URLs, plus the uploaded media (served by the web server in production and by
the dev settings' DEBUG-only route otherwise)."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from mprc_cms.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    *site_urlpatterns,
]
