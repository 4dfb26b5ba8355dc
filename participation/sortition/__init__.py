"""``python -m participation.sortition``: the command that the public page of every draw
published so far tells residents to run to check it. The engine lives in :mod:`sortition`
(pure Python, no Django); this package only forwards to its command line, so that the
published instructions keep working."""
