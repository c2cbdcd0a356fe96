"""free_port: a port to listen on that no outgoing connection takes first, not handed out twice."""

from __future__ import annotations

import socket

from chancery.realmode import free_port


def test_ports_are_distinct_outside_the_ephemeral_range_and_bindable() -> None:
    ports = [free_port() for _ in range(50)]

    assert len(set(ports)) == len(ports)
    assert all(20_000 <= port < 32_768 for port in ports)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", ports[-1]))
