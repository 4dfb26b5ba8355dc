"""Run the web server and, beside it, the background-task worker."""

import os
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Start the development web server together with the background-task worker."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--noreload", action="store_true")

    def handle(self, *args, **options):
        if os.environ.get("RUN_MAIN") == "true":
            # The autoreloader's child process: the parent already started the worker.
            call_command("runserver", options["addrport"], use_reloader=True)
            return
        worker = subprocess.Popen([sys.executable, "manage.py", "db_worker", "--interval", "1"])
        self.stdout.write(f"Background-task worker started (pid {worker.pid}).")
        try:
            call_command("runserver", options["addrport"], use_reloader=not options["noreload"])
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
