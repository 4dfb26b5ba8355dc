"""A draw by lot: from the frozen pool to the panel, in steps that can only go forward."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DrawStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    FROZEN = "frozen", _("Pool frozen")
    COMPUTING = "computing", _("Computing")
    COMPUTED = "computed", _("Computed")
    PUBLISHED = "published", _("Commitment published")
    DRAWN = "drawn", _("Drawn")
    CANCELLED = "cancelled", _("Cancelled")


class Category(models.TextChoices):
    """What a draw may balance: the answers of the sign-up form and of imported lists."""

    GENDER = "gender", _("Gender")
    AGE_BAND = "age_band", _("Age band")
    HAMLET = "hamlet", _("Hamlet or part of the commune")
    SOCIAL_CATEGORY = "social_category", _("Socio-professional category")


# The category a draw's seats per source are expressed in (quotas with min = max).
SOURCE_CATEGORY = "source"
# The value of a person who did not answer a question.
UNKNOWN_VALUE = "unknown"


def default_categories():
    return [Category.GENDER.value, Category.AGE_BAND.value]


class Draw(models.Model):
    """A draw by lot of a micro-parliament's residents.

    The steps (see ``parliament.draws``): prepare (sources, seats, categories, quotas),
    freeze the pool, compute the LEXIMIN distribution in the background, publish its
    commitment and the public randomness it will use, enter the randomness, invite. A drawn
    draw is final: it can only be cancelled, with a reason.
    """

    commune = models.ForeignKey(
        "home.CommunePage", verbose_name=_("commune"), on_delete=models.CASCADE, related_name="+"
    )
    micro_parliament = models.ForeignKey(
        "parliament.MicroParliamentPage",
        verbose_name=_("micro-parliament"),
        on_delete=models.PROTECT,
        related_name="draws",
        help_text=_("The public draw page is published under this micro-parliament's page."),
    )
    title = models.CharField(
        _("title"), max_length=150, help_text=_("E.g. “Draw of the residents, cycle 1”.")
    )
    panel_size = models.PositiveSmallIntegerField(
        _("seats to draw"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
        help_text=_(
            "The residents' seats; elected officials and local actors are added as members "
            "without a draw."
        ),
    )
    include_volunteer_list = models.BooleanField(_("draw among the volunteer list"), default=True)
    pools = models.ManyToManyField(
        "participation.Pool",
        verbose_name=_("lists imported from files"),
        blank=True,
        related_name="draws",
    )
    seats_per_source = models.JSONField(
        _("seats per source"),
        default=dict,
        blank=True,
        help_text=_("Source → number of seats. Empty: seats go to any source."),
    )
    categories = models.JSONField(_("categories to balance"), default=default_categories)
    quotas = models.JSONField(
        _("quotas"),
        default=list,
        blank=True,
        help_text=_("A list of {category, value, min, max}."),
    )
    cap_highest = models.BooleanField(
        _("also limit the highest chances"),
        default=False,
        help_text=_(
            "The fairest method gives everyone the highest possible lowest chance; this option "
            "also keeps anyone's chance as low as possible at the top (“Goldilocks”)."
        ),
    )
    status = models.CharField(
        pgettext_lazy("draw", "status"),
        max_length=20,
        choices=DrawStatus.choices,
        default=DrawStatus.DRAFT,
    )

    # Frozen pool: pseudonymised people, published with the commitment.
    frozen_at = models.DateTimeField(_("pool frozen on"), null=True, blank=True)
    pool_snapshot = models.JSONField(default=list, blank=True, editable=False)
    freeze_report = models.JSONField(default=dict, blank=True, editable=False)

    # Computation.
    task_id = models.CharField(max_length=64, blank=True, editable=False)
    progress = models.FloatField(default=0, editable=False)
    progress_message = models.CharField(max_length=300, blank=True, editable=False)
    error = models.TextField(blank=True, editable=False)
    feasibility = models.JSONField(default=dict, blank=True, editable=False)
    computed_at = models.DateTimeField(_("computed on"), null=True, blank=True)
    result = models.JSONField(default=dict, blank=True, editable=False)
    lottery = models.JSONField(default=dict, blank=True, editable=False)

    # Publication and draw.
    commitment = models.CharField(_("commitment (SHA-256)"), max_length=64, blank=True)
    randomness_source = models.TextField(
        _("public source of randomness"),
        blank=True,
        help_text=_(
            "Announced before the draw, with the format of its result: e.g. “the Loto draw of "
            "Saturday 12 December 2026” or “dice thrown at the public meeting of 5 December”."
        ),
    )
    randomness_format = models.JSONField(
        _("format of the public randomness"), default=dict, blank=True, editable=False
    )
    # What only the guarantors see: each pseudonym's answers, household and salt (its hash
    # is in the commitment). The public file is ``lottery``.
    audit = models.JSONField(default=dict, blank=True, editable=False)
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)
    randomness = models.TextField(_("randomness"), blank=True)
    drawn_at = models.DateTimeField(_("drawn on"), null=True, blank=True)
    panel_number = models.PositiveIntegerField(_("panel number"), null=True, blank=True)
    selected = models.JSONField(default=list, blank=True, editable=False)
    alternates = models.JSONField(default=list, blank=True, editable=False)

    cancelled_at = models.DateTimeField(_("cancelled on"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)

    class Meta:
        verbose_name = _("draw by lot")
        verbose_name_plural = _("draws by lot")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def locked(self):
        """This draw's row again, locked until the end of the transaction: every step of a
        draw and of its seats starts here, so that two requests never interleave."""
        return type(self).objects.select_for_update().get(pk=self.pk)

    @property
    def is_editable(self):
        """Sources, seats and categories change only before the pool is frozen."""
        return self.status == DrawStatus.DRAFT

    @property
    def quotas_editable(self):
        return self.status in (DrawStatus.DRAFT, DrawStatus.FROZEN, DrawStatus.COMPUTED)


class InvitationStatus(models.TextChoices):
    NOT_INVITED = "", _("Not invited")
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    # Invited, but could not be reached: they may still answer until ``answer_by``; after
    # that day the seat goes to the next alternate.
    UNREACHABLE = "unreachable", _("Could not be reached")
    # An alternate erased from the lists before their turn: passed over, in the seat's
    # history, so that the published order visibly holds.
    SKIPPED = "skipped", _("Passed over (erased from the lists)")


# A seat's holders who still count: the person drawn or called for it, unless they declined,
# were passed over or were erased (an unreachable person counts until their deadline).
HOLDING = (InvitationStatus.NOT_INVITED, InvitationStatus.INVITED, InvitationStatus.ACCEPTED)


class DrawSeat(models.Model):
    """One of a drawn panel's ``panel_size`` seats. Its history is the people it was given
    to (``DrawEntrant.seat``): first the person drawn for it, then the alternates called
    for it, in the published order of the alternates."""

    draw = models.ForeignKey(Draw, on_delete=models.CASCADE, related_name="seats")
    number = models.PositiveSmallIntegerField(_("seat"))

    class Meta:
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        constraints = [
            models.UniqueConstraint(
                fields=["draw", "number"], name="participation_seat_unique_number"
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="participation_seat_number_positive"
            ),
        ]
        ordering = ["draw", "number"]

    def __str__(self):
        return str(self.number)


class DrawEntrant(models.Model):
    """One person of a frozen pool: the private link between a published pseudonym and a
    person of the lists. Erasing the person leaves the pseudonym, not the person."""

    draw = models.ForeignKey(Draw, on_delete=models.CASCADE, related_name="entrants")
    pseudonym = models.CharField(_("pseudonym"), max_length=20)
    volunteer = models.ForeignKey(
        "participation.Volunteer",
        verbose_name=_("person"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="draw_entries",
    )
    invitation = models.CharField(
        _("invitation"),
        max_length=20,
        choices=InvitationStatus.choices,
        default=InvitationStatus.NOT_INVITED,
        blank=True,
    )
    invited_at = models.DateTimeField(_("invited on"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered on"), null=True, blank=True)
    # The seat this person was drawn or called for (none: an alternate not called yet).
    seat = models.ForeignKey(
        DrawSeat,
        verbose_name=_("seat"),
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="holders",
    )
    # The place in the seat's history: 1 for the person drawn for it, then 2, 3… for the
    # alternates called for it in turn (or passed over).
    turn = models.PositiveSmallIntegerField(_("turn on the seat"), null=True, blank=True)
    answer_by = models.DateField(
        _("may answer until"),
        null=True,
        blank=True,
        help_text=_("For someone who could not be reached: the last day to answer."),
    )

    class Meta:
        verbose_name = _("person in a draw")
        verbose_name_plural = _("people in a draw")
        constraints = [
            models.UniqueConstraint(
                fields=["draw", "pseudonym"], name="participation_entrant_unique_pseudonym"
            ),
            # At most one member per seat, and at most one person holding it (drawn or
            # called, not yet refused): the count of members never exceeds the seats.
            models.UniqueConstraint(
                fields=["seat"],
                condition=models.Q(invitation=InvitationStatus.ACCEPTED, volunteer__isnull=False),
                name="participation_seat_one_accepted",
            ),
            models.UniqueConstraint(
                fields=["seat"],
                condition=models.Q(invitation__in=HOLDING, volunteer__isnull=False),
                name="participation_seat_one_holder",
            ),
            models.UniqueConstraint(fields=["seat", "turn"], name="participation_seat_one_turn"),
            models.CheckConstraint(
                condition=models.Q(seat__isnull=True, turn__isnull=True)
                | models.Q(seat__isnull=False, turn__gte=1),
                name="participation_seat_turn_with_seat",
            ),
        ]
        ordering = ["draw", "pseudonym"]

    def __str__(self):
        return self.pseudonym
