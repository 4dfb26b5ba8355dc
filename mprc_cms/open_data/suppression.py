"""The statistical secret of the open data: no count under :data:`THRESHOLD` is published.

A count of fewer than five people (sign-ups, posts, needs in a commune in a month) could
point at someone in a village: its cell is left empty (``None``: an empty CSV cell, a JSON
``null``), and the dataset's description says so.

Recomputing a suppressed cell by subtraction: the statistics datasets publish no totals,
no margins and no other breakdown of the same counts (each measure is published once, at
one level of detail; the network's file holds the same cells as the communes' files put
together), so no published sum contains a suppressed cell. A reader adding the published
cells of a row or a column gets a lower bound, never a suppressed value.
"""

from __future__ import annotations

# The smallest count published: the convention of French official statistics.
THRESHOLD = 5


def suppress_small_counts(rows, count_fields, threshold=THRESHOLD):
    """``rows`` (dicts) with every value of ``count_fields`` under ``threshold`` replaced
    by None (an empty cell). Other fields are left as they are; the rows are copied."""
    suppressed = []
    for row in rows:
        row = dict(row)
        for name in count_fields:
            value = row.get(name)
            if value is not None and value < threshold:
                row[name] = None
        suppressed.append(row)
    return suppressed
