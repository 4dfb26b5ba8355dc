"""Admin screens of the communes: the list, creating one, and switching modules on."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView, View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from mprc_cms import french
from mprc_cms.communes import communes_for_user, is_network_coordinator
from mprc_cms.modules import get_module, get_modules, running_modules
from mprc_cms.printing import commune_printables, find_printable, render_printable

from .forms import CommuneCreationForm
from .models import LegalInformation
from .onboarding import (
    ModuleRequirementError,
    create_commune,
    dependent_modules,
    publish_commune,
    switch_module_off,
    switch_module_on,
)

COMMUNES_BREADCRUMB = {
    "url": reverse_lazy("mprc_communes:index"),
    "label": gettext_lazy("Communes"),
}


class CommuneIndexView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "home/admin/commune_index.html"
    page_title = gettext_lazy("Communes")
    header_icon = "site"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": _("Communes")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        communes = list(communes_for_user(self.request.user).order_by("title"))
        modules = get_modules()
        pages = running_modules(communes, modules)
        for commune in communes:
            commune.module_count = len(pages[commune.pk])
        context.update(
            communes=communes,
            modules=modules,
            can_create=is_network_coordinator(self.request.user),
        )
        return context

    def dispatch(self, request, *args, **kwargs):
        if not communes_for_user(request.user).exists() and not is_network_coordinator(
            request.user
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        """A coordinator publishes a commune (its first publication is theirs: see
        ``home.models.CommunePagePermissionTester``)."""
        if not is_network_coordinator(request.user):
            raise PermissionDenied
        commune = get_object_or_404(
            communes_for_user(request.user), pk=request.POST.get("publish") or 0
        )
        if not commune.permissions_for_user(request.user).can_publish():
            raise PermissionDenied
        if commune.live and not commune.has_unpublished_changes:
            messages.info(
                request, _("The commune %(name)s is already online.") % {"name": commune.title}
            )
        else:
            publish_commune(commune, user=request.user)
            messages.success(
                request,
                _("The commune %(name)s is online, with its news and its modules' pages.")
                % {"name": commune.title},
                buttons=[messages.button(commune.url, _("View the site"))] if commune.url else None,
            )
        return redirect("mprc_communes:index")


class CommuneCreateView(WagtailAdminTemplateMixin, FormView):
    template_name = "home/admin/commune_create.html"
    form_class = CommuneCreationForm
    page_title = gettext_lazy("New commune")
    header_icon = "site"

    def dispatch(self, request, *args, **kwargs):
        if not is_network_coordinator(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            COMMUNES_BREADCRUMB,
            {"url": "", "label": _("New commune")},
        ]

    def form_valid(self, form):
        setup = create_commune(user=self.request.user, **form.cleaned_data)
        messages.success(
            self.request,
            _(
                "The commune %(name)s is created, with its editors group and its collection "
                "of images and documents. It is a draft: publish it from the list of "
                "communes once its staff have prepared it."
            )
            % {"name": setup.commune.title},
        )
        return redirect("mprc_communes:modules", setup.commune.pk)


class ModuleState:
    """A module on the Modules screen: whether it is on for the commune, its index page
    (None when it is off or has none) and the labels of the modules it needs."""

    def __init__(self, module, is_on, page, labels):
        self.module, self.is_on, self.page = module, is_on, page
        self.needs = ", ".join(str(labels.get(key, key)) for key in module.requires)

    def __iter__(self):
        # (module, page), as the template unpacked the pairs before.
        return iter((self.module, self.page))


class CommuneModulesView(WagtailAdminTemplateMixin, TemplateView):
    """Every installed module with its state for one commune, and how to switch it."""

    template_name = "home/admin/commune_modules.html"
    header_icon = "cogs"

    def dispatch(self, request, *args, **kwargs):
        self.commune = get_object_or_404(communes_for_user(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        title = self.commune.title
        return french.contract(_("Modules of %(commune)s") % {"commune": title}, title)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            COMMUNES_BREADCRUMB,
            {"url": "", "label": self.commune.title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        modules = get_modules()
        running = running_modules([self.commune], modules)[self.commune.pk]
        labels = {module.key: module.label for module in modules}
        context.update(
            commune=self.commune,
            module_states=[
                ModuleState(module, module.key in running, running.get(module.key), labels)
                for module in modules
            ],
            with_extensions=not all(module.has_index_page for module in modules),
            is_coordinator=is_network_coordinator(self.request.user),
            legal_information=LegalInformation.objects.filter(page_id=self.commune.pk).first(),
        )
        return context

    def post(self, request, *args, **kwargs):
        module = get_module(request.POST.get("module", ""))
        if module is None:
            messages.error(request, _("This module is not installed on the site."))
            return redirect("mprc_communes:modules", self.commune.pk)
        values = {"module": module.label, "commune": self.commune.title}

        def say(text):
            return french.contract(text % values, self.commune.title)

        if module.key in running_modules([self.commune], [module])[self.commune.pk]:
            messages.info(
                request, say(_("The module “%(module)s” was already on for %(commune)s."))
            )
            return redirect("mprc_communes:modules", self.commune.pk)
        try:
            page, _created = switch_module_on(self.commune, module, user=request.user)
        except ModuleRequirementError as error:
            messages.error(request, str(error))
            return redirect("mprc_communes:modules", self.commune.pk)
        if page is None:
            messages.success(request, say(_("The module “%(module)s” is on for %(commune)s.")))
            return redirect("mprc_communes:modules", self.commune.pk)
        edit = [messages.button(reverse("wagtailadmin_pages:edit", args=[page.pk]), _("Edit"))]
        if not page.live:
            text = _(
                "The module “%(module)s” is on for %(commune)s: its page will be "
                "published with the commune."
            )
        else:
            text = _("The module “%(module)s” is on for %(commune)s: its page is published.")
        messages.success(request, say(text), buttons=edit)
        return redirect("mprc_communes:modules", self.commune.pk)


class ModuleOffView(WagtailAdminTemplateMixin, TemplateView):
    """Switching a module off for a commune: a confirmation saying what happens (GET),
    then the switch (POST)."""

    template_name = "home/admin/module_off_confirm.html"
    header_icon = "cogs"

    def dispatch(self, request, *args, **kwargs):
        self.commune = get_object_or_404(communes_for_user(request.user), pk=kwargs["pk"])
        self.module = get_module(kwargs["key"])
        if self.module is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        text = _("Switch “%(module)s” off for %(commune)s") % {
            "module": self.module.label,
            "commune": self.commune.title,
        }
        return french.contract(text, self.commune.title)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            COMMUNES_BREADCRUMB,
            {
                "url": reverse("mprc_communes:modules", args=[self.commune.pk]),
                "label": self.commune.title,
            },
            {"url": "", "label": _("Switch off")},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        dependents = dependent_modules(self.module)
        running = running_modules([self.commune], [self.module, *dependents])[self.commune.pk]
        context.update(
            commune=self.commune,
            module=self.module,
            is_on=self.module.key in running,
            dependents=", ".join(str(other.label) for other in dependents if other.key in running),
        )
        return context

    def post(self, request, *args, **kwargs):
        values = {"module": self.module.label, "commune": self.commune.title}
        if switch_module_off(self.commune, self.module, user=request.user) is None:
            text = _("The module “%(module)s” was already off for %(commune)s.")
            messages.info(request, french.contract(text % values, self.commune.title))
        else:
            text = _(
                "The module “%(module)s” is off for %(commune)s: its pages are "
                "unpublished and its data kept."
            )
            messages.success(request, french.contract(text % values, self.commune.title))
        return redirect("mprc_communes:modules", self.commune.pk)


class CommunePrintablesView(WagtailAdminTemplateMixin, TemplateView):
    """The commune's posters, flyers and paper forms: those of each module on for it
    (``ModuleInfo.printables``, ``mprc_cms/printing.py``)."""

    template_name = "home/admin/commune_printables.html"
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        self.commune = get_object_or_404(communes_for_user(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        title = self.commune.title
        text = _("Posters, flyers and paper forms of %(commune)s") % {"commune": title}
        return french.contract(text, title)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            COMMUNES_BREADCRUMB,
            {
                "url": reverse("mprc_communes:modules", args=[self.commune.pk]),
                "label": self.commune.title,
            },
            {"url": "", "label": _("Posters, flyers and paper forms")},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            commune=self.commune,
            module_printables=commune_printables(self.commune),
        )
        return context


class PrintView(View):
    """One poster, flyer or paper form of the commune, ready to print (no admin around it:
    the browser's Print command gives the sheet)."""

    def get(self, request, pk, module, key, kind):
        commune = get_object_or_404(communes_for_user(request.user), pk=pk)
        printable, print_kind = find_printable(commune, module, key, kind)
        return render_printable(request, printable, print_kind, commune=commune)
