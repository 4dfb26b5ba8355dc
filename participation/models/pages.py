"""The sign-up page: the module's page in each commune, and its settings."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.rich_text import expand_db_html

from home.blocks.rich_text import RESTRICTED_FEATURES
from home.models import SiteSectionMixin
from mprc_cms import french

from ..choices import MINIMUM_AGE
from ..retention import DEFAULT_RETENTION_MONTHS


def default_intro():
    return "<p>{}</p><p>{}</p>".format(
        gettext(
            "Our micro-parliament brings together 12 to 15 people — residents drawn by lot, "
            "elected officials and local actors — for three months, to turn the needs of the "
            "village into concrete projects."
        ),
        gettext(
            "Sign up to the volunteer list: the residents' seats are drawn by lot among the "
            "volunteers and the electoral roll, so that the group looks like the commune. "
            "Signing up commits you to nothing: if you are drawn, we will ask you first."
        ),
    )


def default_consent_text():
    return "<p>{}</p><p>{}</p>".format(
        gettext(
            "I agree that the commune keeps the information in this form to draw the members "
            "of its micro-parliament by lot and to contact me about it. Only the town hall "
            "staff who run the draw see it; it is never passed on to anyone else."
        ),
        gettext(
            "It is erased at the end of the cycle plus the delay shown below, or as soon as I "
            "ask. With the personal link in every e-mail I can see it, download it, correct "
            "it or withdraw at any time."
        ),
    )


def default_thank_you_text():
    return "<p>{}</p>".format(
        gettext(
            "Thank you! You are now on the volunteer list. We will write to you before the "
            "draw, and again if you are drawn."
        )
    )


class WhoMaySignUp(models.TextChoices):
    RESIDENTS = "residents", _("people who live in the commune")
    RESIDENTS_AND_WORKERS = "residents_workers", _("people who live or work in the commune")
    ANYONE = "anyone", _("anyone, wherever they live")


class VolunteerSignupPage(RoutablePageMixin, SiteSectionMixin, Page):
    """“Become a volunteer”: the sign-up form, and each volunteer's private pages."""

    intro = RichTextField(
        _("introduction"), features=RESTRICTED_FEATURES, blank=True, default=default_intro
    )
    consent_text = RichTextField(
        _("consent text"),
        features=RESTRICTED_FEATURES,
        default=default_consent_text,
        help_text=_(
            "Shown above the consent box. Every sign-up keeps the exact version its author "
            "agreed to: changing the text never changes past consents."
        ),
    )
    thank_you_text = RichTextField(
        _("thank-you text"),
        features=RESTRICTED_FEATURES,
        default=default_thank_you_text,
        help_text=_("Shown once the resident has confirmed the sign-up."),
    )
    minimum_age = models.PositiveSmallIntegerField(
        _("minimum age"),
        default=MINIMUM_AGE,
        validators=[MinValueValidator(MINIMUM_AGE), MaxValueValidator(25)],
        help_text=_("In years, reached this calendar year. The law allows 16 at the youngest."),
    )
    who_may_sign_up = models.CharField(
        _("who may sign up"),
        max_length=20,
        choices=WhoMaySignUp.choices,
        default=WhoMaySignUp.RESIDENTS,
        help_text=_(
            "Said at the top of the form; unless anyone may, the person ticks a box saying "
            "they do (their answer is not kept)."
        ),
    )
    ask_birth_year = models.BooleanField(_("ask the year of birth"), default=True)
    ask_gender = models.BooleanField(_("ask the gender"), default=True)
    ask_hamlet = models.BooleanField(
        _("ask the hamlet or part of the commune"),
        default=True,
        help_text=_("Only when the commune's page lists its hamlets."),
    )
    ask_social_category = models.BooleanField(
        _("ask the socio-professional category"), default=True
    )
    ask_address = models.BooleanField(
        _("ask the address"),
        default=True,
        help_text=_("Used only to draw at most one person per household."),
    )
    ask_availability = models.BooleanField(_("ask the availability"), default=True)
    cycle_end = models.DateField(
        _("end of the current cycle"),
        null=True,
        blank=True,
        help_text=_(
            "When the micro-parliament's current cycle ends. Empty: three months after each "
            "sign-up."
        ),
    )
    retention_months = models.PositiveSmallIntegerField(
        _("months kept after the cycle"),
        default=DEFAULT_RETENTION_MONTHS,
        validators=[MaxValueValidator(36)],
        help_text=_("Sign-ups and imported lists are erased this many months after the cycle."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("consent_text"),
        FieldPanel("thank_you_text"),
    ]
    form_panels = [
        MultiFieldPanel(
            [FieldPanel("who_may_sign_up"), FieldPanel("minimum_age")],
            heading=_("Who may sign up"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("ask_birth_year"),
                FieldPanel("ask_gender"),
                FieldPanel("ask_hamlet"),
                FieldPanel("ask_social_category"),
                FieldPanel("ask_address"),
                FieldPanel("ask_availability"),
            ],
            heading=_("Optional questions"),
        ),
        MultiFieldPanel(
            [FieldPanel("cycle_end"), FieldPanel("retention_months")],
            heading=_("How long data is kept"),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(form_panels, heading=_("Form and retention")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    parent_page_types = ["home.CommunePage"]
    subpage_types = []
    max_count_per_parent = 1
    template = "participation/signup_page.html"

    def eligibility(self):
        """Who may sign up, in one sentence for the top of the form."""
        commune = self.commune.title if self.commune else ""
        sentences = {
            WhoMaySignUp.RESIDENTS: gettext(
                "Who may sign up: anyone aged %(age)s or over this year who lives in %(commune)s."
            ),
            WhoMaySignUp.RESIDENTS_AND_WORKERS: gettext(
                "Who may sign up: anyone aged %(age)s or over this year who lives or works "
                "in %(commune)s."
            ),
            WhoMaySignUp.ANYONE: gettext("Who may sign up: anyone aged %(age)s or over this year."),
        }
        sentence = sentences[self.who_may_sign_up] % {"age": self.minimum_age, "commune": commune}
        return french.contract(sentence, commune)

    def residence_statement(self):
        """The box the person ticks, or "" when anyone may sign up."""
        commune = self.commune.title if self.commune else ""
        if self.who_may_sign_up == WhoMaySignUp.RESIDENTS:
            statement = gettext("I live in %(commune)s.") % {"commune": commune}
            return french.contract(statement, commune)
        if self.who_may_sign_up == WhoMaySignUp.RESIDENTS_AND_WORKERS:
            statement = gettext("I live or work in %(commune)s.") % {"commune": commune}
            return french.contract(statement, commune)
        return ""

    class Meta:
        verbose_name = _("volunteer sign-up page")
        verbose_name_plural = _("volunteer sign-up pages")

    def rendered_consent_text(self):
        """The consent text exactly as residents see it (links expanded)."""
        return expand_db_html(self.consent_text)

    def hamlets(self):
        commune = self.commune
        return commune.hamlet_list() if (commune is not None and self.ask_hamlet) else []

    def subpage_url(self, request, name, *args):
        """The path of one of the page's routes, e.g. ``("my_data", token)``."""
        return self.get_url(request) + self.reverse_subpage(name, args=args)

    # Routes: the views live in participation/views.py.

    @path("")
    def signup(self, request):
        from ..views import signup

        return signup(request, self)

    @path("merci/")
    def signup_sent(self, request):
        from ..views import signup_sent

        return signup_sent(request, self)

    @path("confirmer/<str:token>/")
    def confirm(self, request, token):
        from ..views import confirm

        return confirm(request, self, token)

    @path("mes-donnees/<str:token>/")
    def my_data(self, request, token):
        from ..views import my_data

        return my_data(request, self, token)

    @path("mes-donnees/<str:token>/telecharger/")
    def download(self, request, token):
        from ..views import download

        return download(request, self, token)

    @path("mes-donnees/<str:token>/retrait/")
    def withdraw(self, request, token):
        from ..views import withdraw

        return withdraw(request, self, token)

    @path("nouvelle-adresse/<str:token>/")
    def confirm_email(self, request, token):
        from ..views import confirm_email

        return confirm_email(request, self, token)

    @path("lien/")
    def link_request(self, request):
        from ..views import link_request

        return link_request(request, self)
