"""The coordinators' screen of the sync with Aides-territoires: the settings (the API key is
write-only: the form never shows it back, the page its last four characters at most), the
last syncs, and "Synchronise now" (a background task). Wired in the admin under
``funding_aides_territoires:``.
Anyone but a network coordinator gets 403, as on the other coordinators' screens."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from mprc_cms.communes import is_network_coordinator
from mprc_cms.tasks import calls_under_way, enqueue_once

from . import aides_territoires
from .models import AidesTerritoiresSettings, AidesTerritoiresSync, FundingSource

LAST_SYNCS = 20


class CoordinatorsOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not is_network_coordinator(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class AidesTerritoiresSettingsForm(forms.ModelForm):
    # Write-only: empty keeps the saved key; the field never renders it.
    new_api_key = forms.CharField(
        label=gettext_lazy("API key"),
        required=False,
        max_length=200,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    remove_api_key = forms.BooleanField(label=gettext_lazy("Remove the API key"), required=False)

    class Meta:
        model = AidesTerritoiresSettings
        fields = ["enabled", "perimeter", "audiences", "categories"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        hint = self.instance.key_hint
        self.fields["new_api_key"].help_text = (
            _("A key ending in %(hint)s is saved; leave empty to keep it.") % {"hint": hint}
            if hint
            else _("The key of the network's account on Aides-territoires (“Mon compte”, API).")
        )

    def clean(self):
        data = super().clean()
        has_key = bool(data.get("new_api_key")) or (
            bool(self.instance.api_key) and not data.get("remove_api_key")
        )
        if data.get("enabled") and not (has_key and data.get("perimeter")):
            raise forms.ValidationError(
                _("Give the API key and the territory before enabling the daily sync.")
            )
        return data

    def save(self, commit=True):
        settings_row = super().save(commit=False)
        if self.cleaned_data.get("remove_api_key"):
            settings_row.api_key = ""
        if self.cleaned_data.get("new_api_key"):
            settings_row.api_key = self.cleaned_data["new_api_key"]
        if commit:
            settings_row.save()
        return settings_row


class AidesTerritoiresView(CoordinatorsOnlyMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "funding/admin/aides_territoires.html"
    page_title = gettext_lazy("Aides-territoires")
    header_icon = "resubmit"
    form_class = AidesTerritoiresSettingsForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = AidesTerritoiresSettings.load()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        settings_row = context["form"].instance
        context.update(
            settings_row=settings_row,
            syncs=AidesTerritoiresSync.objects.all()[:LAST_SYNCS],
            sync_under_way=bool(calls_under_way(aides_territoires.synchronise_in_background)),
            imported=FundingSource.objects.filter(aides_territoires_id__isnull=False).count(),
        )
        return context

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("The Aides-territoires settings are saved."))
        return redirect("funding_aides_territoires:settings")

    def form_invalid(self, form):
        messages.error(self.request, _("Nothing was saved: see the errors below."))
        return super().form_invalid(form)


class SynchroniseView(CoordinatorsOnlyMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        if not AidesTerritoiresSettings.load().is_ready:
            messages.error(request, _("Give the API key and the territory first."))
            return redirect("funding_aides_territoires:settings")
        result = enqueue_once(
            aides_territoires.synchronise_in_background, AidesTerritoiresSync.Trigger.MANUAL
        )
        if result is None:
            messages.warning(
                request, _("A synchronisation is already under way: its outcome will show below.")
            )
        elif not result.is_finished:
            messages.success(
                request,
                _(
                    "The synchronisation has started. Its outcome will show below in a few "
                    "minutes: reload this page."
                ),
            )
        else:  # a queue that runs tasks at once (development without a worker, tests)
            record = AidesTerritoiresSync.objects.filter(pk=result.return_value).first()
            if record is None:
                messages.error(request, _("Give the API key and the territory first."))
            else:
                (messages.success if record.ok else messages.error)(
                    request, aides_territoires.report(record)
                )
        return redirect("funding_aides_territoires:settings")


app_name = "funding_aides_territoires"
urlpatterns = [
    path("", AidesTerritoiresView.as_view(), name="settings"),
    path("synchroniser/", SynchroniseView.as_view(), name="sync"),
]
