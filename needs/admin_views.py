"""Admin screens of the call for needs: one need (moderate it, answer it publicly, decide
its outcome), a need typed by staff for a resident without internet, and the letter that
hands that resident their personal link."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log

from mprc_cms import french, ratelimit
from mprc_cms.channels import Channel
from mprc_cms.printing import render_letter

from . import staff_emails
from .admin_forms import (
    PUBLISH,
    LetterForm,
    ModerationForm,
    OutcomeForm,
    StaffAnswerForm,
    StaffEntryForm,
)
from .models import NeedStatus, Outcome

INDEX = "needs_list:index"


def letter_printable(need):
    """The letter with the personal link is for a need staff typed for a resident (not
    online: that author has their link by e-mail) and that is published, as it says."""
    return need.channel != Channel.ONLINE and need.status == NeedStatus.PUBLISHED


class ScopedNeedView(WagtailAdminTemplateMixin, TemplateView):
    """A screen about one need of the user's communes (404 for any other)."""

    permission_policy = None  # set by the viewset
    index_url_name = None
    header_icon = "help"
    template_name = "needs/admin/need.html"

    def dispatch(self, request, *args, **kwargs):
        scoped = self.permission_policy.instances_user_has_any_permission_for(
            request.user, ["change"]
        )
        self.need = get_object_or_404(
            scoped.with_supports().select_related("call", "commune", "theme", "priority"),
            pk=kwargs["pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.need.title

    def get_page_subtitle(self):
        return self.need.get_status_display()

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Needs and ideas")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        need = self.need
        context.update(
            need=need,
            public_url=(staff_emails.need_url(need, self.request) if need.is_public else ""),
            edit_url=reverse("needs_list:edit", args=[need.pk]),
            delete_url=reverse("needs_list:delete", args=[need.pk]),
            history_url=reverse("needs_list:history", args=[need.pk]),
            moderate_url=reverse("needs_list:moderate", args=[need.pk]),
            answer_url=reverse("needs_list:answer", args=[need.pk]),
            outcome_url=reverse("needs_list:outcome", args=[need.pk]),
            letter_url=reverse("needs_list:letter", args=[need.pk]),
            letter_printable=letter_printable(need),
            letter_form=LetterForm(initial={"recipient": need.first_name}, auto_id="letter-%s"),
            statuses=NeedStatus,
        )
        context.setdefault("form", ModerationForm())
        context.setdefault(
            "answer_form", StaffAnswerForm(initial={"staff_answer": need.staff_answer})
        )
        context.setdefault(
            "outcome_form",
            OutcomeForm(
                need=need,
                initial={
                    "outcome": need.outcome,
                    "priority": need.priority_id,
                    "outcome_note": need.outcome_note,
                },
            ),
        )
        return context


# E-mails staff actions send to residents (moderation outcomes, answers, personal links),
# per staff member: a decision changed back and forth never floods a resident.
STAFF_MAIL_SCOPE = "needs.staff_mail.user"


def may_mail(request, need):
    """Whether an action that e-mails ``need``'s author may run now (True when it sends
    nothing); counts one use of the staff member's limit when it sends."""
    if not need.email:
        return True
    return ratelimit.hit(STAFF_MAIL_SCOPE, request.user.pk)


class ModerationView(ScopedNeedView):
    """Publish a need, or reject or hide it with a reason e-mailed to its author."""

    def post(self, request, *args, **kwargs):
        form = ModerationForm(request.POST)
        need = self.need
        if need.status == NeedStatus.UNCONFIRMED:
            messages.error(request, _("The author has not confirmed this need yet."))
            return redirect("needs_list:moderate", need.pk)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        if not may_mail(request, need):
            messages.error(request, ratelimit.refusal_message())
            return redirect("needs_list:moderate", need.pk)
        action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
        now = timezone.now()
        if action == PUBLISH:
            need.status = NeedStatus.PUBLISHED
            need.published_at = need.published_at or now
            need.closed_at = None
            need.moderation_note = ""
            need.save()
            log(instance=need, action="mprc.need_published", user=request.user)
            staff_emails.send_moderation_outcome(need, request)
            messages.success(request, _("“%(title)s” is published.") % {"title": need})
        else:
            need.status = action
            need.moderation_note = reason
            need.closed_at = now
            need.save()
            log(
                instance=need,
                action=(
                    "mprc.need_rejected" if action == NeedStatus.REJECTED else "mprc.need_hidden"
                ),
                user=request.user,
                data={"reason": reason},
            )
            told = staff_emails.send_moderation_outcome(need, request)
            if told:
                message = _("“%(title)s” is not shown; the author has been told why.")
            else:
                message = _("“%(title)s” is not shown (the author left no e-mail address).")
            messages.success(request, message % {"title": need})
        return redirect(self.index_url_name)


class AnswerView(ScopedNeedView):
    """The town hall's public answer under a need."""

    http_method_names = ["get", "post"]

    def get(self, request, *args, **kwargs):
        return redirect("needs_list:moderate", self.need.pk)

    def post(self, request, *args, **kwargs):
        form = StaffAnswerForm(request.POST)
        need = self.need
        if need.status == NeedStatus.UNCONFIRMED:
            messages.error(request, _("The author has not confirmed this need yet."))
            return redirect("needs_list:moderate", need.pk)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(answer_form=form))
        answer = form.cleaned_data["staff_answer"]
        if answer == need.staff_answer:
            messages.info(request, _("The answer did not change."))
            return redirect("needs_list:moderate", need.pk)
        if answer and need.wants_outcome and not may_mail(request, need):
            messages.error(request, ratelimit.refusal_message())
            return redirect("needs_list:moderate", need.pk)
        need.staff_answer = answer
        need.staff_answer_at = timezone.now() if answer else None
        need.save(update_fields=["staff_answer", "staff_answer_at", "updated_at"])
        log(instance=need, action="mprc.need_answered", user=request.user)
        if answer and staff_emails.send_answer(need, request):
            messages.success(request, _("The answer is published and sent to the author."))
        elif answer:
            messages.success(request, _("The answer is published under the need."))
        else:
            messages.success(request, _("The answer is removed."))
        return redirect("needs_list:moderate", need.pk)


class OutcomeView(ScopedNeedView):
    """What became of a need: kept for a priority, not kept, or under consideration."""

    def get(self, request, *args, **kwargs):
        return redirect("needs_list:moderate", self.need.pk)

    def post(self, request, *args, **kwargs):
        need = self.need
        if need.status == NeedStatus.UNCONFIRMED:
            messages.error(request, _("The author has not confirmed this need yet."))
            return redirect("needs_list:moderate", need.pk)
        form = OutcomeForm(request.POST, need=need)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(outcome_form=form))
        cleaned = form.cleaned_data
        need.outcome = cleaned["outcome"]
        need.priority = cleaned["priority"]
        need.outcome_note = cleaned["outcome_note"]
        need.outcome_decided_at = timezone.now()
        need.save(
            update_fields=[
                "outcome",
                "priority",
                "outcome_note",
                "outcome_decided_at",
                "updated_at",
            ]
        )
        log(
            instance=need,
            action="mprc.need_outcome",
            user=request.user,
            data={
                "outcome": need.outcome,
                "priority": need.priority_id,
                "note": need.outcome_note,
            },
        )
        if need.outcome == Outcome.OPEN:
            message = _("“%(title)s” is under consideration.")
        else:
            message = _(
                "The outcome of “%(title)s” is recorded; its author will be told when the "
                "micro-parliament's page is next published."
            )
        messages.success(request, message % {"title": need})
        return redirect("needs_list:moderate", need.pk)


class EnteredView(ScopedNeedView):
    """After staff typed a need: how the resident gets their personal link (404 for a need
    proposed online: its private link is its author's alone)."""

    template_name = "needs/admin/entered.html"

    def get(self, request, *args, **kwargs):
        if self.need.channel == Channel.ONLINE:
            raise Http404
        return super().get(request, *args, **kwargs)


class LetterView(ScopedNeedView):
    """The printable letter with the resident's personal link; the recipient and postal
    address come by POST (never in a web address, which logs keep) and are never stored."""

    def get(self, request, *args, **kwargs):
        return redirect("needs_list:moderate", self.need.pk)

    def post(self, request, *args, **kwargs):
        need = self.need
        if not letter_printable(need):
            # The letter says the resident told the town hall and that the need is published.
            raise Http404
        recipient, lines = LetterForm(request.POST).recipient_and_lines()
        commune = need.commune
        paragraphs = [
            french.contract(
                _("You told the town hall of %(commune)s about a need or an idea: “%(title)s”.")
                % {"commune": commune.title, "title": need.title},
                commune.title,
            ),
            _(
                "It is published on the page of the call “%(call)s”, where your neighbours "
                "can support it. The micro-parliament starts from the most supported needs "
                "and ideas; the page will say what becomes of yours."
            )
            % {"call": need.call.title},
            _(
                "With the personal link below you can read it, and change or withdraw it "
                "while the call is open."
            ),
        ]
        log(instance=need, action="mprc.need_letter", user=request.user)
        return render_letter(
            request,
            commune=commune,
            recipient=recipient,
            address_lines=lines,
            subject=_("Your need: “%(title)s”") % {"title": need.title},
            paragraphs=paragraphs,
            link_url=staff_emails.manage_url(need, request),
            link_label=_("Your personal link to your need"),
        )


def entry_view_mixin(viewset_add_view_class):
    """The viewset's add view, made into the staff entry of a resident's need."""

    class StaffEntryView(viewset_add_view_class):
        template_name = "needs/admin/add.html"

        def get_panel(self):
            return None

        def get_form_class(self):
            # The viewset hands its edit form to the view: the entry has its own.
            return StaffEntryForm

        def get_form_kwargs(self):
            kwargs = super().get_form_kwargs()
            kwargs["communes"] = self.permission_policy.communes(self.request.user)
            return kwargs

        def save_instance(self):
            self.form.fill(self.request.user)
            return super().save_instance()

        def is_valid(self, form):
            valid = super().is_valid(form)
            if (
                valid
                and form.cleaned_data.get("email")
                and not ratelimit.hit(STAFF_MAIL_SCOPE, self.request.user.pk)
            ):
                # Nothing is recorded; the answers stay in the form (the need may be typed
                # without the address, with a printed letter).
                form.add_error(None, ratelimit.refusal_message())
                self.produced_error_code = "validation_error"
                self.produced_error_message = self.get_error_message()
                return False
            return valid

        def form_valid(self, form):
            response = super().form_valid(form)
            if self.object.email:
                staff_emails.send_entry_links(self.object, self.request)
            return response

        def get_success_url(self):
            return reverse("needs_list:entered", args=[self.object.pk])

        def get_success_buttons(self):
            return []

    return StaffEntryView
