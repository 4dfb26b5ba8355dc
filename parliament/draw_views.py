"""The admin screen that runs a draw, step by step (one screen, one form per step)."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log

import sortition
from mprc_cms.views import json_download

from . import draws, invitations
from .draw_forms import CancelForm, PublishForm, QuotaForm, RandomnessForm, UnreachableForm
from .models import DrawEntrant, DrawStatus

REFRESH_SECONDS = 3


class DrawRunView(WagtailAdminTemplateMixin, TemplateView):
    """Everything about one draw: where it stands, and the form of its next step."""

    template_name = "parliament/admin/draw_run.html"
    header_icon = "crosshairs"
    permission_policy = None  # set by the viewset
    index_url_name = None

    def dispatch(self, request, *args, **kwargs):
        scoped = self.permission_policy.instances_user_has_any_permission_for(
            request.user, ["change"]
        )
        self.draw = get_object_or_404(scoped, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.draw.title

    def get_page_subtitle(self):
        return self.draw.get_status_display()

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Draws by lot")},
            {"url": "", "label": self.draw.title},
        ]

    # Forms ---------------------------------------------------------------------------

    def quota_form(self, data=None):
        draw = self.draw
        rows = draws.quota_rows(draw)
        return QuotaForm(data, rows=rows, panel_size=draw.panel_size, prefix="quotas")

    def get_context_data(self, forms=None, **kwargs):
        context = super().get_context_data(**kwargs)
        draw = self.draw
        forms = forms or {}
        context.update(
            draw=draw,
            statuses=DrawStatus,
            categories=[draws.category_label(c) for c in draws.draw_categories(draw)],
            pool_size=draws.pool_size(draw),
            refresh_seconds=REFRESH_SECONDS,
            public_url=self.public_url(),
            history_url=reverse("participation_draws:history", args=[draw.pk]),
        )
        if draw.quotas_editable:
            context["quota_form"] = forms.get("quotas") or self.quota_form()
            context["quota_sums"] = quota_sums(context["quota_form"].rows, draw.quotas)
        if draw.status == DrawStatus.COMPUTED:
            context["publish_form"] = forms.get("publish") or PublishForm()
            context["preview"] = draws.publication_preview(draw)
        if draw.status == DrawStatus.PUBLISHED:
            context["randomness_form"] = forms.get("randomness") or RandomnessForm(
                lottery=draw.lottery
            )
        if draw.audit:
            context["audit_url"] = reverse("participation_draws:audit", args=[draw.pk])
            context["receipt_url"] = reverse("participation_draws:receipt", args=[draw.pk])
        if draw.randomness_format:
            context["randomness_format"] = sortition.describe_format(draw.randomness_format)
        if draw.status != DrawStatus.CANCELLED:
            context["cancel_form"] = forms.get("cancel") or CancelForm()
        if draw.result:
            context["quota_table"] = draws.quota_table(draw)
            context["report"] = draws.probability_report(draw)
            context["forced"] = draw.result.get("forced", [])
        if draw.status == DrawStatus.DRAWN:
            context.update(self.panel_context())
        return context

    def public_url(self):
        if not self.draw.published_at:
            return ""
        page = self.draw.micro_parliament.specific
        url = page.get_url(self.request)
        return url + page.reverse_subpage("draw", args=[self.draw.pk]) if url else ""

    def panel_context(self):
        """The seats and their histories, with only the actions the rules allow: answers
        for a pending invitation, and for each empty seat the next alternate in the
        published order."""
        draw = self.draw
        seats = invitations.seats(draw)
        next_alternate = invitations.next_alternate(draw)
        if next_alternate is not None:
            next_alternate.rank = invitations.alternate_rank(draw, next_alternate.pseudonym)
        return {
            "seats": seats,
            "next_alternate": next_alternate,
            "seats_taken": sum(1 for seat in seats if seat.state == "taken"),
            "unreachable_form": UnreachableForm(),
            "alternates_preview": draw.alternates[:10],
            "to_invite": sum(1 for seat in seats if seat.state == "to_invite"),
        }

    # Steps ---------------------------------------------------------------------------

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "")
        handler = getattr(self, f"do_{action}", None)
        if handler is None:
            raise Http404
        try:
            response = handler(request)
        except (draws.DrawError, invitations.InvitationError) as error:
            messages.error(request, str(error))
            response = None
        return response or redirect(request.path)

    def _invalid(self, name, form):
        messages.error(request=self.request, message=_("Please correct the errors below."))
        self.draw.refresh_from_db()
        return self.render_to_response(self.get_context_data(forms={name: form}))

    def do_freeze(self, request):
        draw = draws.freeze(self.draw, request.user)
        report = draw.freeze_report
        messages.success(
            request,
            _("The pool is frozen: %(people)s people.") % {"people": report["people"]}
            + (
                " "
                + _("%(count)s people on two lists were counted once.")
                % {"count": report["duplicates"]}
                if report.get("duplicates")
                else ""
            ),
        )

    def do_quotas(self, request):
        form = self.quota_form(request.POST)
        if not form.is_valid():
            return self._invalid("quotas", form)
        draws.save_quotas(self.draw, form.quotas, request.user)
        messages.success(request, _("The quotas are saved."))

    def do_proportional(self, request):
        draws.save_quotas(self.draw, draws.proportional_quotas(self.draw), request.user)
        messages.success(request, _("Quotas close to the pool's shares are proposed."))

    def do_relax(self, request):
        relaxation = {
            (change["category"], change["value"]): change
            for change in self.draw.feasibility.get("relaxation", [])
        }
        if not relaxation:
            raise draws.DrawError(_("There is no relaxation to apply."))
        quotas = []
        for row in self.draw.quotas:
            change = relaxation.get((row["category"], row["value"]))
            if change:
                row = {**row, "min": change["new_min"], "max": change["new_max"]}
            quotas.append(row)
        draws.save_quotas(self.draw, quotas, request.user)
        messages.success(request, _("The proposed relaxation is applied to the quotas."))

    def do_compute(self, request):
        draw = draws.start_computation(self.draw, request.user)
        if draw.status == DrawStatus.FROZEN:
            messages.error(request, draw.error)
        elif draw.status == DrawStatus.COMPUTING:
            messages.success(request, _("The computation has started."))

    def do_publish(self, request):
        form = PublishForm(request.POST)
        if not form.is_valid():
            return self._invalid("publish", form)
        draws.publish(
            self.draw,
            form.cleaned_data["randomness_source"],
            form.randomness_format,
            request.user,
        )
        messages.success(request, _("The commitment is published on the public draw page."))

    def do_randomness(self, request):
        form = RandomnessForm(request.POST, lottery=self.draw.lottery)
        if not form.is_valid():
            return self._invalid("randomness", form)
        draw = draws.enter_randomness(self.draw, form.cleaned_data["randomness"], request.user)
        messages.success(
            request,
            _("Panel number %(number)s is drawn.") % {"number": draw.panel_number},
        )

    def do_invite(self, request):
        emailed, to_call = invitations.invite(
            request, self.draw, invitations.drawn_entrants(self.draw), request.user
        )
        messages.success(
            request,
            _("%(emailed)s invitations sent by e-mail; %(to_call)s people to call.")
            % {"emailed": emailed, "to_call": to_call},
        )

    def _entrant(self, request):
        try:
            pk = int(request.POST.get("entrant", ""))
        except ValueError:
            raise Http404 from None
        if not 0 < pk < 2**63:  # beyond the database's integers
            raise Http404
        return get_object_or_404(DrawEntrant, draw=self.draw, pk=pk)

    def _empty_seat(self, request):
        """The seat number posted, or the first empty seat when none is."""
        number = request.POST.get("seat", "")
        if number:
            try:
                return int(number)
            except ValueError:
                raise invitations.InvitationError(
                    _("This draw has no seat %(number)s.") % {"number": number[:10]}
                ) from None
        empty = [seat.number for seat in invitations.seats(self.draw) if seat.empty]
        if not empty:
            raise invitations.InvitationError(
                _(
                    "No seat is empty: an alternate is called only for a seat whose holder "
                    "declined, could not be reached in time or was erased from the lists."
                )
            )
        return empty[0]

    def do_invite_alternate(self, request):
        """Give an empty seat to the next alternate of the published order: the alternate
        posted must be that one."""
        expected = self._entrant(request)
        entrant = invitations.invite_next_alternate(
            request, self.draw, self._empty_seat(request), request.user, expected=expected
        )
        messages.success(
            request,
            _("Seat %(number)s goes to alternate no. %(rank)s, %(pseudonym)s, who is invited.")
            % {
                "number": entrant.seat.number,
                "rank": invitations.alternate_rank(self.draw, entrant.pseudonym),
                "pseudonym": entrant.pseudonym,
            },
        )

    def do_accepted(self, request):
        invitations.accept(self._entrant(request), user=request.user)
        messages.success(
            request, _("The answer is recorded: the person joins the micro-parliament.")
        )

    def do_declined(self, request):
        invitations.decline(self._entrant(request), user=request.user)
        messages.success(request, _("The answer is recorded."))

    def do_unreachable(self, request):
        entrant = self._entrant(request)
        form = UnreachableForm(request.POST)
        if not form.is_valid():
            raise invitations.InvitationError(" ".join(form.errors.get("answer_by", [])))
        entrant = invitations.mark_unreachable(
            entrant, form.cleaned_data["answer_by"], request.user
        )
        messages.success(
            request,
            _(
                "%(pseudonym)s could not be reached and may answer until %(date)s; after "
                "that day, the seat goes to the next alternate."
            )
            % {
                "pseudonym": entrant.pseudonym,
                "date": date_format(entrant.answer_by, "DATE_FORMAT"),
            },
        )

    def do_cancel(self, request):
        form = CancelForm(request.POST)
        if not form.is_valid():
            return self._invalid("cancel", form)
        draws.cancel(self.draw, form.cleaned_data["reason"], request.user)
        messages.success(request, _("The draw is cancelled."))

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if self.draw.status == DrawStatus.COMPUTING:
            # The page follows the computation without JavaScript.
            response["Refresh"] = str(REFRESH_SECONDS)
        return response


class DrawFileView(View):
    """A private file of a published draw, for its commune's staff only (404 elsewhere): the
    audit file for the guarantors, or the receipt of one person of the pool."""

    permission_policy = None  # set by the viewset

    def get(self, request, pk, receipt=False):
        scoped = self.permission_policy.instances_user_has_any_permission_for(
            request.user, ["change"]
        )
        draw = get_object_or_404(scoped, pk=pk)
        if not draw.audit:
            raise Http404
        if not receipt:
            content, name = draw.audit, f"tirage-{draw.pk}-audit.json"
            log(draw, "mprc.draw_audit_downloaded", user=request.user)
        else:
            pseudonym = request.GET.get("pseudonym", "").strip().upper()[:20]
            try:
                content = sortition.receipt(draw.audit, pseudonym)
            except sortition.SortitionError:
                raise Http404 from None
            name = f"tirage-{draw.pk}-recu-{pseudonym}.json"
            log(
                draw,
                "mprc.draw_receipt_downloaded",
                user=request.user,
                data={"pseudonym": pseudonym},
            )
        return json_download(content, name, keep_private=True)


def quota_sums(rows, quotas):
    """Per category: the sum of the minimums and of the maximums, to compare with the seats."""
    current = {(q["category"], q["value"]): q for q in quotas}
    sums = {}
    for row in rows:
        entry = sums.setdefault(
            row["category"], {"label": row["category_label"], "min": 0, "max": 0, "count": 0}
        )
        quota = current.get((row["category"], row["value"]), {})
        entry["min"] += quota.get("min") or 0
        entry["max"] += quota.get("max") or 0
        entry["count"] += row["count"]
    return list(sums.values())
