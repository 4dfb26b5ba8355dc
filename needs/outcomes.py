"""Telling residents what became of their need, when the micro-parliament publishes its
page (``wagtail.signals.page_published`` for ``parliament.api.MicroParliamentPage``,
connected in wagtail_hooks.py).

Each author who asked to know (``wants_outcome``, with an e-mail address, not told yet)
of a published need with a decided outcome receives one e-mail: kept for a priority of that
micro-parliament, or not kept in a closed call whose micro-parliament it is (chosen on the
call, or serving the commune when the call chose none). ``outcome_sent_at`` records it: a
later publication sends nothing more."""

from django.db.models import Q
from django.utils import timezone

from mprc_cms.tasks import send_templated_email

from . import staff_emails
from .models import Need, NeedStatus, Outcome

TEMPLATE = "needs/emails/outcome"


def needs_to_tell(page, today=None):
    """The needs whose author is to be told, now that ``page`` is published."""
    today = today or timezone.localdate()
    served = [commune.pk for commune in page.served_communes()]
    not_kept_here = Q(call__micro_parliament=page) | Q(
        call__micro_parliament__isnull=True, commune__in=served
    )
    return (
        Need.objects.filter(
            status=NeedStatus.PUBLISHED,
            wants_outcome=True,
            outcome_sent_at__isnull=True,
            outcome_decided_at__isnull=False,
        )
        .exclude(email="")
        .filter(
            Q(outcome=Outcome.KEPT, priority__page=page)
            | (Q(outcome=Outcome.NOT_KEPT, call__closes_on__lt=today) & not_kept_here)
        )
        .select_related("call", "commune", "priority")
        .order_by("pk")
    )


def tell_authors(sender, instance, **kwargs):
    """One e-mail per need; each need's author is told once."""
    page = instance
    page_url = page.get_full_url()
    told = 0
    for need in needs_to_tell(page):
        # Marked first: two publications at once still send one e-mail.
        marked = Need.objects.filter(pk=need.pk, outcome_sent_at__isnull=True).update(
            outcome_sent_at=timezone.now()
        )
        if not marked:
            continue
        context = {
            "commune": need.commune,
            "call": need.call,
            "need": need,
            "need_url": staff_emails.need_url(need),
            "manage_url": staff_emails.manage_url(need),
            "parliament": page,
            "parliament_url": page_url,
        }
        send_templated_email(TEMPLATE, context, [need.email], to_resident=True)
        told += 1
    return told
