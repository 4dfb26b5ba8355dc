"""Reading the public API in tests (mprc_cms/rest.py)."""


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
