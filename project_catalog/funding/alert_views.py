"""A staff member's own deadline alerts: for each commune they manage, no alert or an
e-mail some days before the deadlines of the sources that fit its projects (sent by the
daily job, see alerts.py). Wired in the admin under ``funding_alerts:settings``."""

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from mprc_cms.communes import communes_for_user

from .alerts import deadlines_within
from .models import DeadlineAlert, FundingGuidePage


class AlertRowForm(forms.Form):
    """One commune: no alert, or how many days before the deadlines."""

    commune = forms.ModelChoiceField(
        queryset=None,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": gettext_lazy("You do not manage this commune.")},
    )
    days = forms.TypedChoiceField(
        label=gettext_lazy("Warn me"),
        choices=[("", gettext_lazy("No alert")), *DeadlineAlert.Days.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes


class BaseAlertFormSet(forms.BaseFormSet):
    def __init__(self, *args, has_email=True, **kwargs):
        self.has_email = has_email
        super().__init__(*args, **kwargs)

    def clean(self):
        if any(self.errors):
            return
        communes = [form.cleaned_data["commune"].pk for form in self.forms]
        if len(set(communes)) != len(communes):
            raise ValidationError(_("Each commune may have one alert only."))
        if not self.has_email and any(form.cleaned_data.get("days") for form in self.forms):
            raise ValidationError(
                _("Add an e-mail address to your account first: the alerts are sent by e-mail.")
            )


def alert_formset(count):
    return forms.formset_factory(
        AlertRowForm,
        formset=BaseAlertFormSet,
        extra=0,
        max_num=count,
        absolute_max=count,
        validate_max=True,
    )


def guides_by_commune(communes):
    """{commune pk: its live funding guide}, in one query (a guide's parent is the page
    whose path is its own without the last step)."""
    parents = {commune.path: commune.pk for commune in communes}
    if not parents:
        return {}
    steplen = FundingGuidePage.steplen
    guides = FundingGuidePage.objects.live().order_by("path")
    by_commune = {}
    for guide in guides:
        commune_pk = parents.get(guide.path[:-steplen])
        if commune_pk is not None:
            by_commune.setdefault(commune_pk, guide)
    return by_commune


class AlertSettingsView(WagtailAdminTemplateMixin, FormView):
    """The user's alerts, one row per commune they manage."""

    template_name = "funding/admin/alerts.html"
    page_title = gettext_lazy("My deadline alerts")
    header_icon = "mail"
    prefix = "alertes"

    def dispatch(self, request, *args, **kwargs):
        self.communes = list(communes_for_user(request.user).order_by("title", "pk"))
        self.alerts = {
            alert.commune_id: alert
            for alert in DeadlineAlert.objects.filter(
                user=request.user, commune__in=[c.pk for c in self.communes]
            )
        }
        return super().dispatch(request, *args, **kwargs)

    @property
    def has_email(self):
        return bool(self.request.user.email)

    def get_form_class(self):
        return alert_formset(len(self.communes))

    def get_initial(self):
        return [
            {
                "commune": commune.pk,
                "days": self.alerts[commune.pk].days if commune.pk in self.alerts else None,
            }
            for commune in self.communes
        ]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["form_kwargs"] = {"communes": communes_for_user(self.request.user)}
        kwargs["has_email"] = self.has_email
        return kwargs

    def route_url(self, guide, name, *args):
        """The full address of one of the guide's routes ("" without a guide)."""
        if guide is None:
            return ""
        return guide.get_full_url(self.request) + guide.reverse_subpage(name, args=args)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        formset = context["form"]
        today = timezone.localdate()
        guides = guides_by_commune(self.communes)
        rows = []
        for commune, form in zip(self.communes, formset.forms, strict=False):
            form.fields["days"].label = _("Alert for %(commune)s") % {"commune": commune.title}
            guide = guides.get(commune.pk)
            alert = self.alerts.get(commune.pk)
            preview = []
            if alert is not None:
                preview = [
                    (source, self.route_url(guide, "source", source.slug))
                    for source in deadlines_within(commune, today, alert.days)
                ]
            rows.append(
                {
                    "commune": commune,
                    "form": form,
                    "alert": alert,
                    "preview": preview,
                    "feed_url": self.route_url(guide, "deadlines"),
                }
            )
        context.update(
            formset=formset,
            rows=rows,
            has_email=self.has_email,
            account_url=reverse("wagtailadmin_account"),
            today=today,
        )
        return context

    def form_valid(self, formset):
        user = self.request.user
        changed = 0
        for form in formset.forms:
            commune, days = form.cleaned_data["commune"], form.cleaned_data["days"]
            alert = self.alerts.get(commune.pk)
            if days is None:
                if alert is not None:
                    alert.delete()
                    changed += 1
            elif alert is None:
                DeadlineAlert.objects.create(user=user, commune=commune, days=days)
                changed += 1
            elif alert.days != days:
                alert.days = days
                alert.save(update_fields=["days"])
                changed += 1
        if changed:
            messages.success(self.request, _("Your deadline alerts are saved."))
        else:
            messages.info(self.request, _("Nothing changed."))
        return redirect(self.request.path)

    def form_invalid(self, formset):
        messages.error(self.request, _("Nothing was saved: see the errors below."))
        return super().form_invalid(formset)


app_name = "funding_alerts"
urlpatterns = [path("", AlertSettingsView.as_view(), name="settings")]
