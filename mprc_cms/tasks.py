"""Background work shared by every module, on django-tasks (the framework Wagtail uses).

In development and production the queue is the database (django-tasks-db) and
``manage.py run`` starts a worker beside the web server (``manage.py db_worker`` alone in
production). The tests run tasks immediately.
"""

from django.core.mail import EmailMessage
from django_tasks import task


@task()
def send_email(subject, body, to, reply_to=None, from_email=None):
    """Send one plain-text e-mail. Enqueue it from a request: ``send_email.enqueue(...)``."""
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=from_email,
        to=list(to),
        reply_to=list(reply_to) if reply_to else None,
    )
    return message.send()
