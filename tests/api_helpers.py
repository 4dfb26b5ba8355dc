"""Reading the public API in tests (mprc_cms/rest.py)."""


def get_json(client, url, expect=200, **params):
    """The JSON answer to ``GET url?params``, after checking its status (``expect``)."""
    response = client.get(url, params)
    assert response.status_code == expect, (url, response.status_code, response.content[:300])
    return response.json()
