"""The baseline task of benchmarks/follow_digest.py (imported only inside Django: the
worker imports the task by its path)."""

from django.core.mail import EmailMessage, get_connection
from django_tasks import task


@task()
def send_plain(count):
    """``count`` plain e-mails of a digest's size, sent on one connection as the digest does."""
    body = ("Les travaux commencent lundi. https://example.org/projets/projet-1/\n" * 12)[:900]
    messages = [
        EmailMessage("Cette semaine", body, None, [f"habitant{n}@example.org"])
        for n in range(count)
    ]
    connection = get_connection()
    for start in range(0, len(messages), 200):
        connection.send_messages(messages[start : start + 200])
    return len(messages)
