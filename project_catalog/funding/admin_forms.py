"""Forms of the funding guide's admin: which choices each user may make.

The admin views call ``limit_choices(user)`` after the shared commune scoping
(mprc_cms.communes.scope_choices), which would otherwise narrow every select to the user's
communes' own records (and so hide the network's sources).
"""

import os

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from home.models import CommunePage
from mprc_cms.communes import communes_for_user, is_network_coordinator, subtree_condition
from project_catalog.api import ProjectPage

from .models import FundingSource


def projects_of(communes):
    """The projects under the given communes, in one query."""
    return ProjectPage.objects.filter(subtree_condition(communes.values_list("path", flat=True)))


def commune_of(project, communes):
    """The commune (among ``communes``) the project belongs to, or None."""
    for commune in communes:
        if project.path.startswith(commune.path):
            return commune
    return None


class FundingSourceForm(WagtailAdminModelForm):
    """A coordinator may leave the commune empty (a source of the whole network); commune
    staff record their own communes' sources only."""

    def limit_choices(self, user):
        communes = communes_for_user(user).order_by("title")
        commune = self.fields.get("commune")
        if commune is not None:
            commune.queryset = communes
            if is_network_coordinator(user):
                commune.required = False
                commune.empty_label = _("None: a source of the whole network")
            else:
                commune.required = True
                commune.help_text = _(
                    "Your commune's own source. Tick “shared with the network” below to show "
                    "it in the other communes' guides too."
                )
        territory = self.fields.get("territory_communes")
        if territory is not None:
            # Naming the communes a territory covers tells nothing private: every commune
            # of the network may be chosen.
            territory.queryset = CommunePage.objects.order_by("title")
        checked_by = self.fields.get("checked_by")
        if checked_by is not None and not self.instance.pk:
            checked_by.initial = user.get_full_name() or user.get_username()


class FundingApplicationForm(WagtailAdminModelForm):
    """The project and the source are chosen among the user's communes' projects and the
    sources those communes may use; the commune follows from the project when left
    empty. The model's clean() checks that they agree."""

    def limit_choices(self, user):
        communes = communes_for_user(user).order_by("title")
        self.user_communes = list(communes)
        commune = self.fields.get("commune")
        if commune is not None:
            commune.queryset = communes
            commune.required = False
            commune.help_text = _("Left empty, the project's commune.")
        project = self.fields.get("project")
        if project is not None:
            project.queryset = projects_of(communes).order_by("title", "pk")
            if len(self.user_communes) > 1:
                titles = {c.path: c.title for c in self.user_communes}

                def label(page):
                    owner = commune_of(page, self.user_communes)
                    return f"{page.title} — {titles[owner.path]}" if owner else page.title

                project.label_from_instance = label
        source = self.fields.get("source")
        if source is not None:
            source.queryset = FundingSource.objects.visible_to(communes).order_by("name", "pk")

    def clean(self):
        cleaned_data = super().clean()
        project = cleaned_data.get("project")
        if (
            project is not None
            and not cleaned_data.get("commune")
            and "commune" in self.fields
            and not self.has_error("commune")
        ):
            owner = commune_of(project, getattr(self, "user_communes", []))
            if owner is None:
                self.add_error("commune", _("Choose the commune."))
            else:
                cleaned_data["commune"] = owner
        return cleaned_data


class PrivateDocumentInput(forms.ClearableFileInput):
    """A document's file input whose current file links to the staff-only download view
    (never to a public media address)."""

    template_name = "funding/admin/widgets/document_input.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        document = getattr(value, "instance", None)
        widget["download_url"] = ""
        widget["file_name"] = ""
        if widget["is_initial"] and document is not None and document.pk:
            widget["download_url"] = reverse("funding_applications:document", args=[document.pk])
            widget["file_name"] = os.path.basename(value.name)
        return context
