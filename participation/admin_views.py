"""The admin screens that hand a person typed in by staff their personal link: a letter
ready to print (with the link and its QR code), or one e-mail."""

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from mprc_cms import french, ratelimit
from mprc_cms.printing import LetterAddressForm, render_letter

from . import emails, registration
from .models import VolunteerSignupPage
from .tokens import make_token

# Personal-link e-mails one staff member may send per window (mprc_cms.ratelimit).
STAFF_LINK_SCOPE = "participation.staff_link.user"


def signup_page(commune):
    return VolunteerSignupPage.objects.child_of(commune).first() if commune else None


def may_have_link(volunteer):
    """A person staff put on the volunteer list with their consent (not one of an imported
    list, who never asked for anything)."""
    return (
        volunteer.pool_id is None
        and volunteer.consents.exclude(confirmed_at=None).exists()
        and not registration.is_expired(volunteer)
    )


def personal_link(request, page, volunteer):
    path = page.subpage_url(request, "my_data", make_token(volunteer))
    return request.build_absolute_uri(path)


class PersonalLinkMixin(WagtailAdminTemplateMixin):
    """A person of the user's communes (404 otherwise) who may receive their link."""

    permission_policy = None  # set by the viewset
    index_url_name = None
    header_icon = "link"

    def dispatch(self, request, *args, **kwargs):
        scoped = self.permission_policy.instances_user_has_any_permission_for(
            request.user, ["change"]
        )
        self.volunteer = get_object_or_404(scoped.select_related("commune"), pk=kwargs["pk"])
        self.page = signup_page(self.volunteer.commune)
        refusal = None
        if self.page is None:
            refusal = _("The commune has no “Become a volunteer” page: no personal link yet.")
        elif not may_have_link(self.volunteer):
            refusal = _(
                "A personal link is sent only to a person put on the volunteer list with their "
                "consent."
            )
        if refusal:
            messages.error(request, refusal)
            return redirect(reverse("participation_volunteers:edit", args=[self.volunteer.pk]))
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("People")},
            {
                "url": reverse("participation_volunteers:edit", args=[self.volunteer.pk]),
                "label": self.volunteer.full_name,
            },
            {"url": "", "label": self.get_page_title()},
        ]


class PersonalLinkView(PersonalLinkMixin, TemplateView):
    """What staff can do to hand the person their link: print a letter (address typed
    here, not kept), or send it by e-mail when the person has an address."""

    template_name = "participation/admin/personal_link.html"

    def get_page_title(self):
        return _("Personal link")

    def get_page_subtitle(self):
        return self.volunteer.full_name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            volunteer=self.volunteer,
            address_form=LetterAddressForm(initial={"address": self.volunteer.address}),
            letter_url=reverse("participation_volunteers:letter", args=[self.volunteer.pk]),
        )
        return context

    def post(self, request, *args, **kwargs):
        """Send the link by e-mail, once: an address nobody has confirmed gets at most one
        e-mail per window, and each staff member may send only so many."""
        volunteer = self.volunteer
        if not volunteer.email:
            messages.error(request, _("This person has no e-mail address."))
        elif not ratelimit.hit(STAFF_LINK_SCOPE, request.user.pk):
            messages.error(request, ratelimit.refusal_message())
        elif not registration.may_mail_unconfirmed(volunteer.commune, volunteer.email):
            messages.error(
                request,
                _(
                    "An e-mail was already sent to this address a short while ago. Print the "
                    "letter instead, or try again later."
                ),
            )
        else:
            emails.send_staff_link(request, self.page, volunteer)
            messages.success(
                request,
                _("The personal link was sent to %(email)s.") % {"email": volunteer.email},
            )
        return redirect(reverse("participation_volunteers:personal_link", args=[volunteer.pk]))


class LetterView(PersonalLinkMixin, TemplateView):
    """The letter, ready to print: the person's name, the address typed on the previous
    screen (sent by POST: a name and an address never travel in a web address, which
    logs and the browser's history keep), a few words, and their personal link with its
    QR code."""

    def get(self, request, *args, **kwargs):
        return redirect(reverse("participation_volunteers:personal_link", args=[self.volunteer.pk]))

    def post(self, request, *args, **kwargs):
        volunteer = self.volunteer
        commune = volunteer.commune
        form = LetterAddressForm(request.POST)
        return render_letter(
            request,
            commune=commune,
            recipient=volunteer.full_name,
            address_lines=form.lines(),
            subject=_("Your place on the volunteer list"),
            paragraphs=[
                _("Hello %(name)s,") % {"name": volunteer.first_name},
                french.contract(
                    _(
                        "As you asked the town hall, you are now on the volunteer list of "
                        "%(commune)s: you may be drawn by lot to take part in the "
                        "micro-parliament."
                    )
                    % {"commune": commune.title},
                    commune.title,
                ),
                _(
                    "With your personal link below, you can see, download, correct or erase "
                    "your information at any time, without an account. If you did not ask to "
                    "be on the list, use it to erase your information, or tell the town hall."
                ),
            ],
            link_url=personal_link(request, self.page, volunteer),
            link_label=_("Your personal link"),
        )
