"""Background work shared by every module, on django-tasks (the framework Wagtail uses).

In development and production the queue is the database (django-tasks-db) and
``manage.py run`` starts a worker beside the web server (``manage.py db_worker`` alone in
production). The tests run tasks immediately. An e-mail task's row keeps its recipient and
body: erasing a person erases them (``forget_emails_to``; ``forget_emails_to_all`` for many
people at once), and sent e-mails are purged daily (``purge_sent_emails``).

A screen's «do it now» button (a sync with another site) queues its task with
:func:`enqueue_once`: a second click while the first is waiting or running queues nothing,
and :func:`calls_under_way` tells the screen what is still running.
"""

import unicodedata
from datetime import timedelta
from email.headerregistry import Address
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task


@task()
def send_email(subject, body, to, reply_to=None, from_email=None, headers=None, attachments=None):
    """Send one plain-text e-mail. Enqueue it from a request: ``send_email.enqueue(...)``.
    ``attachments``: ``(filename, content, mimetype)`` lists or tuples, the content a string
    (the task's arguments are stored as JSON), e.g. a meeting's ``.ics``."""
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=from_email,
        to=list(to),
        reply_to=list(reply_to) if reply_to else None,
        headers=dict(headers) if headers else None,
    )
    for filename, content, mimetype in attachments or ():
        message.attach(filename, content, mimetype)
    return message.send()


SEND_EMAIL_TASK = f"{__name__}.send_email"


def _one_line(name):
    """The name on one line, without control characters: a line break in a header would
    start another one (the form refuses them; a page title is not checked as strictly)."""
    spaced = "".join(" " if unicodedata.category(c) == "Cc" else c for c in name)
    return " ".join(spaced.split())


def sender(commune=None):
    """Who an e-mail comes from: the site's sender name (``LegalInformation``'s
    ``email_sender_name``), else the commune's name (or the network's), before the site's
    sending address (``DEFAULT_FROM_EMAIL``), never a software's name. One query."""
    # Not at import time: tasks load before the apps.
    from home.models import LegalInformation, NetworkHomePage

    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    if commune is not None:
        configured = (
            LegalInformation.objects.filter(page_id=commune.pk)
            .values_list("email_sender_name", flat=True)
            .first()
        )
        name = configured or commune.title
    else:
        network = NetworkHomePage.objects.values_list(
            "title", "legal_information__email_sender_name"
        ).first()
        if network is not None:
            name = network[1] or network[0]
    name = _one_line(name or "")
    # Not encoded here: Django encodes the header when it sends the message.
    return str(Address(display_name=name, addr_spec=address)) if name else address


def send_templated_email(
    template, context, to, reply_to=None, headers=None, *, to_resident=False, attachments=None
):
    """Render ``<template>_subject.txt`` and ``<template>.txt`` and queue the e-mail.

    It comes from the context's ``commune`` (else the network). An e-mail to a resident
    (``to_resident``) is answered to the town hall's address when the commune has one,
    unless ``reply_to`` says otherwise. ``attachments``: ``(filename, content str,
    mimetype)`` triples (see ``send_email``)."""
    subject = render_to_string(f"{template}_subject.txt", context)
    body = render_to_string(f"{template}.txt", context)
    commune = context.get("commune")
    if to_resident and reply_to is None and getattr(commune, "email", ""):
        reply_to = [commune.email]
    arguments = [" ".join(subject.split()), body, list(to), reply_to, sender(commune), headers]
    if attachments:
        arguments.append([list(attachment) for attachment in attachments])
    send_email.enqueue(*arguments)


def _email_task_rows():
    """The database queue's rows of e-mail tasks (None without a database queue)."""
    from django.apps import apps

    if not apps.is_installed("django_tasks_db"):
        return None
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=SEND_EMAIL_TASK)


def forget_emails_to(address):
    """Erase the queued or sent e-mails to ``address`` from the task queue: their rows keep
    the recipient and the body. Returns how many rows were deleted."""
    rows = _email_task_rows()
    if rows is None or not address:
        return 0
    deleted, _details = rows.filter(args_kwargs__icontains=address).delete()
    return deleted


# Addresses matched by one DELETE in forget_emails_to_all (one parameter each).
FORGET_BATCH_SIZE = 100


def forget_emails_to_all(addresses):
    """``forget_emails_to`` for many addresses at once: the rows whose arguments contain any
    of ``addresses`` (matched exactly as there: the same case-insensitive lookup, one per
    address, joined by OR), one query per FORGET_BATCH_SIZE addresses rather than one per
    address. Returns how many rows were deleted."""
    rows = _email_task_rows()
    addresses = sorted({address for address in addresses if address})
    if rows is None or not addresses:
        return 0
    deleted = 0
    for start in range(0, len(addresses), FORGET_BATCH_SIZE):
        batch = addresses[start : start + FORGET_BATCH_SIZE]
        matches = Q()
        for address in batch:
            matches |= Q(args_kwargs__icontains=address)
        count, _details = rows.filter(matches).delete()
        deleted += count
    return deleted


# A task waiting or running for longer than this is taken for a worker that died: the
# same call may be queued again.
UNDER_WAY_FOR_AT_MOST = timedelta(hours=1)


def calls_under_way(task):
    """The arguments (each call's list) of ``task``'s calls waiting or running in the
    database queue; none with another backend (the immediate one runs them at once)."""
    from django.apps import apps

    if not apps.is_installed("django_tasks_db"):
        return []
    from django_tasks import TaskResultStatus
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(task.get_backend(), DatabaseBackend):
        return []
    rows = DBTaskResult.objects.filter(
        task_path=task.module_path,
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
        enqueued_at__gte=timezone.now() - UNDER_WAY_FOR_AT_MOST,
    )
    return [row.args_kwargs.get("args", []) for row in rows]


def enqueue_once(task, *args):
    """Queue ``task(*args)`` unless the same call is already waiting or running. Returns
    its result (finished already with the immediate backend), or None when the call was
    under way."""
    if list(args) in calls_under_way(task):
        return None
    return task.enqueue(*args)


# How long an e-mail the site sent stays in the queue (the privacy policy says so).
SENT_EMAILS_KEPT = timedelta(days=1)


def purge_sent_emails(older_than=SENT_EMAILS_KEPT):
    """Delete e-mail task rows finished more than ``older_than`` ago (run daily)."""
    rows = _email_task_rows()
    if rows is None:
        return 0
    limit = timezone.now() - older_than
    deleted, _details = rows.filter(finished_at__lt=limit).delete()
    return deleted
