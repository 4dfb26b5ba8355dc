"""Public URLs of the module that cannot be page routes (served under /exchange/)."""

from django.urls import path

from . import views

app_name = "exchange"
urlpatterns = [
    path("desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
