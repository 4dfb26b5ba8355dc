"""Kept for the volunteer list's migration 0002, written when the draws lived here: it names
``participation.models.draws.default_categories`` as the default of a field, and landed
migrations never change. The draws are the micro-parliament module's
(``parliament/models/draws.py``); this is the default as it was then."""


def default_categories():
    return ["gender", "age_band"]
