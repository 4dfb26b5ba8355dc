"""A task for the deployment tests only: it records, in a table the test creates, which
worker process ran which task."""

import os
import time

from django.db import connection
from django_tasks import task


@task()
def record_run(number):
    time.sleep(0.02)  # long enough for both workers to be busy at once
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO deployment_test_task_runs (number, pid) VALUES (%s, %s)",
            [number, os.getpid()],
        )
    return number
