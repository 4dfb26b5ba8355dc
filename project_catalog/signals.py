"""Keeping the versions of the templates and the share-back proposals in step with
publishing, however a page is published (editor, bulk action, schedule)."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from wagtail.signals import page_published


def record_template_version(sender, instance, revision, **kwargs):
    from .models import TemplateProposal, TemplateVersion

    # A revision just saved holds Python values (dates…): store them as its JSON does.
    content = json.loads(json.dumps(revision.content, cls=DjangoJSONEncoder))
    TemplateVersion.objects.update_or_create(
        template=instance,
        number=instance.version,
        defaults={
            "note": instance.version_note,
            "published_at": timezone.now(),
            "content": content,
        },
    )
    pending = TemplateProposal.objects.filter(
        template=instance, status=TemplateProposal.Status.PENDING
    )
    for proposal in pending:
        from .sharing import accept_proposal

        # The signal does not say who published. The page editor publishes a revision
        # saved by the person publishing: its author is the reviewer. The proposer's own
        # draft published as it is (bulk action, schedule) leaves the reviewer unknown.
        reviewer = revision.user if revision.user_id != proposal.proposed_by_id else None
        accept_proposal(proposal, user=reviewer)


def connect():
    from .models import ProjectTemplatePage

    page_published.connect(
        record_template_version,
        sender=ProjectTemplatePage,
        dispatch_uid="project_catalog.record_template_version",
    )
    # Telling a project's followers of its new stage and updates (project_catalog/following.py).
    from .following import connect as connect_following

    connect_following()
