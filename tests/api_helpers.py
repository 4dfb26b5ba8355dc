"""Reading the public API in tests (mprc_cms/rest.py)."""

import re

from hypothesis import strategies as st

# What is not a record's id (ASCII digits): any text, and what a careless reading takes for
# one: a decimal, a float, Python's 1_000, spaces or a sign around digits, another
# script's digits.
NOT_AN_ID = st.one_of(
    st.text(),
    st.decimals().map(str),
    st.floats().map(repr),
    st.integers(min_value=1).map(lambda n: f"{n:_}"),
    st.tuples(st.sampled_from([" ", "+", "-", "0x"]), st.integers(0, 10**6)).map(
        lambda pair: f"{pair[0]}{pair[1]}"
    ),
    st.text(alphabet=st.characters(categories=["Nd"]), min_size=1),
).filter(lambda value: value and not re.fullmatch(r"[0-9]+", value))


def get_json(client, url, expect=200, **params):
    """The JSON answer to ``GET url?params``, after checking its status (``expect``)."""
    response = client.get(url, params)
    assert response.status_code == expect, (url, response.status_code, response.content[:300])
    return response.json()


def api_queries(client, url, params=None):
    """How many queries a second ``GET url?params`` makes (the first warms the memos); the
    answer must hold something, a list's results or a record, or the count proves nothing."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, params or {})
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    found = response.json()
    assert found.get("results", found), f"{url}: nothing to measure"
    return len(context.captured_queries)
