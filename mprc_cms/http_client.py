"""Reading another site's JSON API: the one HTTP client of the sync jobs (Aides-territoires,
the followed template libraries).

Whatever the other site does, the caller gets its data or its own error with a message a
coordinator can read: timeouts (to connect, to read, and for the whole answer), an answer
larger than ``max_bytes`` refused before it is read whole, redirections followed by hand
(each address checked by :meth:`JsonClient.check_address`), invalid JSON. A subclass gives
its error class and its words (:meth:`JsonClient.message`).

Checking an address before the request is not enough when the host's DNS answer may
change between the check and the connection (DNS rebinding): every connection's peer is
checked too, once the socket is connected and before a byte is sent
(:meth:`JsonClient.check_peer`).
"""

import contextlib
import json
import time

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool


class PeerCheckingAdapter(HTTPAdapter):
    """requests' adapter whose connections call ``check_peer(host, address)`` with the
    address the socket actually reached, before TLS or the request: what it raises ends
    the request (the socket closed)."""

    def __init__(self, check_peer, **kwargs):
        self.check_peer = check_peer
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        check_peer = self.check_peer

        def checked(connection_class):
            class CheckedConnection(connection_class):
                def _new_conn(self):
                    sock = super()._new_conn()
                    try:
                        check_peer(self.host, sock.getpeername()[0])
                    except BaseException:
                        sock.close()
                        raise
                    return sock

            return CheckedConnection

        class CheckedHTTPPool(HTTPConnectionPool):
            ConnectionCls = checked(HTTPConnection)

        class CheckedHTTPSPool(HTTPSConnectionPool):
            ConnectionCls = checked(HTTPSConnection)

        self.poolmanager.pool_classes_by_scheme = {
            "http": CheckedHTTPPool,
            "https": CheckedHTTPSPool,
        }


class JsonClient:
    error_class = Exception
    timeout = (10, 30)  # seconds: to connect, to read
    max_bytes = 5 * 1024 * 1024
    max_seconds = 60  # for a whole answer, however slowly it comes
    max_redirects = 3
    trust_env = True  # proxies from the environment

    def __init__(self, timeout=None, max_bytes=None):
        self.timeout = timeout or type(self).timeout
        self.max_bytes = max_bytes or type(self).max_bytes
        self.session = requests.Session()
        self.session.headers["Accept"] = "application/json"
        self.session.trust_env = self.trust_env
        adapter = PeerCheckingAdapter(self.check_peer)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def close(self):
        self.session.close()

    def message(self, kind, **params):
        """The words of a failure: ``kind`` is one of ``timeout`` (``seconds``),
        ``unreachable`` (``error``), ``http`` (``status``), ``not_json``, ``too_large``
        (``size`` in MB) or ``redirects``."""
        raise NotImplementedError

    def fail(self, kind, **params):
        return self.error_class(self.message(kind, **params))

    def check_address(self, url):
        """Raise the client's error for an address it must not call (every hop)."""

    def check_peer(self, host, address):
        """Raise the client's error for a connection to ``host`` that reached the IP
        ``address`` (every connection, after the DNS answer the connection used)."""

    @contextlib.contextmanager
    def network_errors(self):
        """A timeout or a connection error, as the client's own error."""
        try:
            yield
        except requests.Timeout as error:
            raise self.fail("timeout", seconds=self.read_timeout()) from error
        except requests.RequestException as error:
            raise self.fail("unreachable", error=type(error).__name__) from error

    def read_timeout(self):
        return self.timeout[-1] if isinstance(self.timeout, tuple) else self.timeout

    def send(self, method, url, **kwargs):
        """The response to ``method url`` (its body not read yet: :meth:`read_json`),
        redirections followed, each address checked."""
        for _redirect in range(self.max_redirects + 1):
            self.check_address(url)
            with self.network_errors():
                response = self.session.request(
                    method, url, timeout=self.timeout, stream=True, allow_redirects=False, **kwargs
                )
            if not response.is_redirect:
                return response
            response.close()
            url = requests.compat.urljoin(url, response.headers["Location"])
            if response.status_code in (301, 302, 303):
                method = "GET"
        raise self.fail("redirects")

    def read(self, response):
        """The body, up to ``max_bytes`` and ``max_seconds``."""
        too_large = self.fail("too_large", size=round(self.max_bytes / 1024 / 1024, 1))
        try:
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > self.max_bytes:
                raise too_large
            started, chunks, size = time.monotonic(), [], 0
            with self.network_errors():
                for chunk in response.iter_content(64 * 1024):
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise too_large
                    if time.monotonic() - started > self.max_seconds:
                        raise self.fail("timeout", seconds=self.max_seconds)
                    chunks.append(chunk)
            return b"".join(chunks)
        finally:
            response.close()

    def read_json(self, response):
        body = self.read(response)
        try:
            return json.loads(body)
        except (ValueError, RecursionError) as error:
            raise self.fail("not_json") from error

    def get_json(self, url, **kwargs):
        """The JSON of ``GET url``; any status but 200 is an error."""
        response = self.send("GET", url, **kwargs)
        if response.status_code != 200:
            response.close()
            raise self.fail("http", status=response.status_code)
        return self.read_json(response)
