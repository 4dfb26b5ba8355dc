"""The coordinators' screen of the libraries the network follows (library_follow.py):
follow a library by its site's address, synchronise now, stop following, and accept or
decline what they propose. Anyone but a network coordinator gets 404."""

from django import forms
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from mprc_cms.communes import is_network_coordinator
from mprc_cms.tasks import calls_under_way, enqueue_once

from . import library_follow
from .models import FollowedLibrary, LibraryProposal

REVIEWED_SHOWN = 20


class CoordinatorsOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not is_network_coordinator(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


def _formfield(field, **kwargs):
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"  # an address typed without its scheme
    return field.formfield(**kwargs)


class FollowForm(forms.ModelForm):
    class Meta:
        model = FollowedLibrary
        fields = ["name", "url"]
        formfield_callback = _formfield

    def clean_url(self):
        try:
            url = library_follow.site_url(self.cleaned_data["url"])
            library_follow.check_address(url)
        except library_follow.LibraryFollowError as error:
            raise forms.ValidationError(str(error)) from error
        if FollowedLibrary.objects.filter(url=url).exists():
            raise forms.ValidationError(_("This library is already followed."))
        return url


class FollowedLibrariesView(CoordinatorsOnlyMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "project_catalog/admin/followed_libraries.html"
    page_title = gettext_lazy("Followed libraries")
    header_icon = "link-external"
    form_class = FollowForm

    def get_context_data(self, **kwargs):
        proposals = LibraryProposal.objects.select_related("library", "template")
        return super().get_context_data(
            libraries=FollowedLibrary.objects.all(),
            under_way={
                args[0] for args in calls_under_way(library_follow.synchronise_in_background)
            },
            pending=proposals.filter(status=LibraryProposal.Status.PENDING).order_by(
                "library__name", "title", "version"
            ),
            reviewed=proposals.exclude(status=LibraryProposal.Status.PENDING).order_by(
                "-reviewed_at", "-pk"
            )[:REVIEWED_SHOWN],
            **kwargs,
        )

    def form_valid(self, form):
        library = form.save(commit=False)
        library.created_by = self.request.user
        library.save()
        messages.success(
            self.request,
            _("The library of %(name)s is followed: synchronise it now to see its templates.")
            % {"name": library.name},
        )
        return redirect("project_catalog_libraries:index")

    def form_invalid(self, form):
        messages.error(self.request, _("Nothing was saved: see the errors below."))
        return super().form_invalid(form)


class LibraryActionView(CoordinatorsOnlyMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        library = get_object_or_404(FollowedLibrary, pk=pk)
        self.act(request, library)
        return redirect("project_catalog_libraries:index")


class SynchroniseView(LibraryActionView):
    def act(self, request, library):
        result = enqueue_once(library_follow.synchronise_in_background, library.pk)
        if result is None:
            messages.warning(
                request,
                _("%(name)s: a synchronisation is already under way.") % {"name": library.name},
            )
        elif not result.is_finished:
            messages.success(
                request,
                _(
                    "%(name)s: the synchronisation has started. Its outcome will show below in "
                    "a few minutes: reload this page."
                )
                % {"name": library.name},
            )
        else:  # a queue that runs tasks at once (development without a worker, tests)
            library.refresh_from_db()
            text = f"{library.name} : {library.last_sync_message}"
            (messages.success if library.last_sync_ok else messages.error)(request, text)


class UnfollowView(LibraryActionView):
    def act(self, request, library):
        library.delete()
        messages.success(
            request, _("The library of %(name)s is no longer followed.") % {"name": library.name}
        )


class ProposalActionView(CoordinatorsOnlyMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        proposal = get_object_or_404(
            LibraryProposal.objects.select_related("library"),
            pk=pk,
            status=LibraryProposal.Status.PENDING,
        )
        try:
            response = self.act(request, proposal)
        except library_follow.ProposalImportError as error:
            messages.error(
                request,
                _("“%(title)s” cannot be imported, nothing changed: %(errors)s")
                % {"title": proposal.title, "errors": error},
            )
            return redirect("project_catalog_libraries:index")
        return response or redirect("project_catalog_libraries:index")


class AcceptView(ProposalActionView):
    def act(self, request, proposal):
        template = library_follow.accept(proposal, request.user)
        messages.success(
            request,
            _("“%(title)s” is in the library as a draft: review it, then publish it.")
            % {"title": template.title},
        )
        return redirect("wagtailadmin_pages:edit", template.pk)


class DeclineView(ProposalActionView):
    def act(self, request, proposal):
        library_follow.decline(proposal, request.user)
        messages.success(
            request,
            _("The proposal “%(title)s” is declined: this version will not be proposed again.")
            % {"title": proposal.title},
        )


app_name = "project_catalog_libraries"
urlpatterns = [
    path("", FollowedLibrariesView.as_view(), name="index"),
    path("<int:pk>/synchroniser/", SynchroniseView.as_view(), name="sync"),
    path("<int:pk>/ne-plus-suivre/", UnfollowView.as_view(), name="unfollow"),
    path("propositions/<int:pk>/accepter/", AcceptView.as_view(), name="accept"),
    path("propositions/<int:pk>/refuser/", DeclineView.as_view(), name="decline"),
]
