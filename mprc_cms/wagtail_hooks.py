from django.urls import include, path
from wagtail import hooks

from mprc_cms.imports import urls as import_urls


@hooks.register("register_admin_urls")
def register_import_admin_urls():
    return [
        path(
            "imports/",
            include((import_urls.urlpatterns, import_urls.app_name), namespace="mprc_imports"),
        )
    ]
