"""Webhooks: where they may go, how they are signed (Standard Webhooks), how they are sent.

A destination is ``https`` (``http`` only when the deployment allows it, for
development) and every address its host resolves to must be public: not
loopback, private, link-local, multicast or otherwise reserved, unless an
operator put the host on the allow-list. The check runs when a webhook is
registered and again before every send; the request then goes to the very
address that was checked (a DNS answer that changes between the check and
the connection cannot point it inside), with the host name kept for the
``Host`` header and TLS. Redirects are not followed.

Signatures follow Standard Webhooks: ``webhook-id`` (the delivery id, the same
on every retry), ``webhook-timestamp`` (Unix seconds) and
``webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">``, one
signature per valid secret (two while a rotated secret overlaps the new one).
Secrets are ``whsec_`` and the base64 of 32 random bytes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import secrets
import socket
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import urllib3

SECRET_PREFIX = "whsec_"
Resolver = Callable[[str, int], list[str]]


class UnsafeDestination(ValueError):
    """A webhook URL the policy refuses; the message says why (it names no secret)."""


class UnresolvedDestination(UnsafeDestination):
    """The host name did not resolve (now): perhaps later."""


@dataclass(frozen=True)
class Destination:
    """A checked webhook URL and the address the request is pinned to."""

    scheme: str
    host: str
    port: int
    address: str
    target: str

    @property
    def host_header(self) -> str:
        """``Host`` as the URL names it (the port only when it is not the scheme's own)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (the system's resolver)."""
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnresolvedDestination(f"{host} does not resolve") from exc
    return list(dict.fromkeys(str(answer[4][0]) for answer in answers))


def _refusal(address: str) -> str | None:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    for name, hit in (
        ("loopback", ip.is_loopback),
        ("unspecified", ip.is_unspecified),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
    ):
        if hit:
            return name
    return None if ip.is_global else "reserved"


class DestinationPolicy:
    """Which webhook URLs may be called (see the module's docstring)."""

    def __init__(
        self, allow_http: bool, allowed_hosts: Sequence[str], resolver: Resolver = resolve
    ) -> None:
        self._allow_http = allow_http
        self._allowed = frozenset(host.strip().lower() for host in allowed_hosts if host.strip())
        self._resolve = resolver

    def check(self, url: str) -> Destination:
        """The destination to send to, or :class:`UnsafeDestination` saying why not."""
        parts = urlsplit(url)
        schemes = ("https", "http") if self._allow_http else ("https",)
        if parts.scheme not in schemes:
            raise UnsafeDestination(f"the scheme must be {' or '.join(schemes)}")
        if parts.username is not None or parts.password is not None:
            raise UnsafeDestination("credentials do not belong in the URL")
        host = (parts.hostname or "").lower()
        if not host:
            raise UnsafeDestination("the URL names no host")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as exc:
            raise UnsafeDestination("the port is not a number from 1 to 65535") from exc
        addresses = self._resolve(host, port)
        if not addresses:
            raise UnresolvedDestination(f"{host} does not resolve")
        if host not in self._allowed:
            for address in addresses:
                refusal = _refusal(address)
                if refusal:
                    raise UnsafeDestination(
                        f"{host} resolves to {address}, a {refusal} address; only hosts on "
                        "the operators' allow-list may"
                    )
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        return Destination(parts.scheme, host, port, addresses[0], target)


def new_secret() -> str:
    """A fresh signing secret: ``whsec_`` and the base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """``v1,<base64>``: HMAC-SHA256 over ``<id>.<timestamp>.<body>`` with the secret's key."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    digest = hmac.new(key, f"{message_id}.{timestamp}.".encode() + body, hashlib.sha256)
    return "v1," + base64.b64encode(digest.digest()).decode()


def signed_headers(
    secrets_in_force: Sequence[str], message_id: str, timestamp: int, body: bytes
) -> dict[str, str]:
    """The Standard Webhooks headers, with one signature for each secret in force."""
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(
            sign(secret, message_id, timestamp, body) for secret in secrets_in_force
        ),
    }


def post_pinned(
    destination: Destination,
    body: bytes,
    headers: dict[str, str],
    timeout: float,
    tls: ssl.SSLContext | None = None,
) -> int:
    """POST ``body`` to the checked address; the status code (the body is never read)."""
    limit = urllib3.Timeout(total=timeout)
    pool: urllib3.HTTPConnectionPool
    if destination.scheme == "https":
        # SNI and the certificate check use the host name, not the pinned address.
        pool = urllib3.HTTPSConnectionPool(
            destination.address,
            destination.port,
            server_hostname=destination.host,
            assert_hostname=destination.host,
            ssl_context=tls or ssl.create_default_context(),
            timeout=limit,
            retries=False,
            maxsize=1,
        )
    else:
        pool = urllib3.HTTPConnectionPool(
            destination.address, destination.port, timeout=limit, retries=False, maxsize=1
        )
    with pool:
        response = pool.urlopen(
            "POST",
            destination.target,
            body=body,
            redirect=False,
            assert_same_host=False,
            preload_content=False,
            headers={**headers, "Host": destination.host_header},
        )
        status = response.status
        response.release_conn()
    return status
