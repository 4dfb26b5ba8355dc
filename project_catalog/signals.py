"""Keeping the versions of the templates and the share-back proposals in step with
publishing, however a page is published (editor, bulk action, schedule)."""

from django.utils import timezone
from wagtail.signals import page_published


def record_template_version(sender, instance, revision, **kwargs):
    from .models import TemplateProposal, TemplateVersion

    TemplateVersion.objects.update_or_create(
        template=instance,
        number=instance.version,
        defaults={
            "note": instance.version_note,
            "published_at": timezone.now(),
            "content": revision.content,
        },
    )
    pending = TemplateProposal.objects.filter(
        template=instance, status=TemplateProposal.Status.PENDING
    )
    for proposal in pending:
        from .sharing import accept_proposal

        accept_proposal(proposal, user=revision.user)


def connect():
    from .models import ProjectTemplatePage

    page_published.connect(
        record_template_version,
        sender=ProjectTemplatePage,
        dispatch_uid="project_catalog.record_template_version",
    )
