from django.urls import path

from . import exports, views

app_name = "mprc_imports"
urlpatterns = [
    path("<slug:app_label>/<slug:model_name>/", views.ImportUploadView.as_view(), name="upload"),
    path(
        "<slug:app_label>/<slug:model_name>/template.csv",
        views.ImportTemplateView.as_view(),
        name="template",
    ),
    path(
        "<slug:app_label>/<slug:model_name>/export/",
        exports.ExportView.as_view(),
        name="export",
    ),
    path(
        "<slug:app_label>/<slug:model_name>/preview/<str:token>/",
        views.ImportPreviewView.as_view(),
        name="preview",
    ),
]
