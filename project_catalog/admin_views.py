"""Admin screens of the catalogue: adopt a template, propose a project as a template,
review a proposal."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from mprc_cms import french
from mprc_cms.communes import communes_for_user, is_network_coordinator

from .adoption import adopt_template
from .comparison import proposal_comparison
from .forms import AdoptForm, DeclineForm, ProposalForm
from .models import ProjectPage, ProjectStatus, ProjectTemplatePage, TemplateProposal
from .sharing import decline_proposal, propose_template


class AdoptView(WagtailAdminTemplateMixin, FormView):
    """From a template, a draft project in one of the user's communes, in one action."""

    template_name = "project_catalog/admin/adopt.html"
    form_class = AdoptForm
    page_title = gettext_lazy("Adopt a template")
    header_icon = "copy"

    def dispatch(self, request, *args, template_id, **kwargs):
        self.template = get_object_or_404(ProjectTemplatePage.objects.live(), pk=template_id)
        self.communes = communes_for_user(request.user).live().order_by("title")
        if request.user.is_authenticated and not self.communes.exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.template.title

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "communes": self.communes}

    def get_context_data(self, **kwargs):
        return super().get_context_data(template=self.template, **kwargs)

    def form_valid(self, form):
        commune = form.cleaned_data["commune"]
        project = adopt_template(self.template, commune, self.request.user)
        messages.success(
            self.request,
            french.contract(
                _(
                    "The draft project “%(title)s” is created in %(commune)s from the "
                    "template. Adapt it, then publish it."
                )
                % {"title": project.title, "commune": commune.title},
                commune.title,
            ),
        )
        return redirect("wagtailadmin_pages:edit", project.pk)


class ProposeView(WagtailAdminTemplateMixin, FormView):
    """Share back: propose a completed project to the network's library."""

    template_name = "project_catalog/admin/propose.html"
    form_class = ProposalForm
    page_title = gettext_lazy("Share with the network")
    header_icon = "upload"

    def dispatch(self, request, *args, project_id, **kwargs):
        project = get_object_or_404(ProjectPage, pk=project_id)
        if not project.permissions_for_user(request.user).can_edit():
            raise Http404
        self.project = project
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.project.title

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "project": self.project}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            project=self.project,
            completed=self.project.status == ProjectStatus.COMPLETED,
            pending=self.project.proposals.filter(status=TemplateProposal.Status.PENDING).first(),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            propose_template(self.project, user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "Thank you! The network's coordinators will review your proposal; you will "
                "get an e-mail when they decide."
            ),
        )
        return redirect("wagtailadmin_pages:edit", self.project.pk)


class ProposalReviewView(WagtailAdminTemplateMixin, FormView):
    """A proposal, its draft, and (for coordinators) the way to decline it."""

    template_name = "project_catalog/admin/proposal.html"
    form_class = DeclineForm
    page_title = gettext_lazy("Template proposal")
    header_icon = "clipboard-list"

    def dispatch(self, request, *args, pk, **kwargs):
        proposals = TemplateProposal.objects.filter(commune__in=communes_for_user(request.user))
        self.proposal = get_object_or_404(
            proposals.select_related("project", "commune", "template", "proposed_by"), pk=pk
        )
        self.is_coordinator = is_network_coordinator(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.proposal.project.title

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            proposal=self.proposal,
            comparison=proposal_comparison(self.proposal),
            is_coordinator=self.is_coordinator,
            can_review=self.is_coordinator
            and self.proposal.status == TemplateProposal.Status.PENDING,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not self.is_coordinator or self.proposal.status != TemplateProposal.Status.PENDING:
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        decline_proposal(self.proposal, user=self.request.user, note=form.cleaned_data["note"])
        messages.success(self.request, _("The proposal is declined and its draft discarded."))
        return redirect(reverse("project_catalog_admin:proposal", args=[self.proposal.pk]))
