"""AMQP 0-9-1 ``basic.publish`` frames, encoded in bulk for the outbox relay.

py-amqp encodes every publish through general-purpose serialisation and
then polls the socket; at thousands of messages per second that Python work
is most of the relay's time. The relay's messages all have the same shape
(JSON, persistent, a message id, a type and string headers), so their
frames are packed here directly and a whole slice of a batch goes out in
one write. The connection, the handshake and the confirms stay py-amqp's.
A unit test checks the bytes against py-amqp's own encoder.
"""

from __future__ import annotations

from collections.abc import Mapping
from struct import Struct

FRAME_END = b"\xce"
_FRAME_HEADER = Struct(">BHI")
_PUBLISH_METHOD = Struct(">HHH").pack(60, 40, 0)  # basic.publish, reserved ticket
_CONTENT_HEADER = Struct(">HHQH")
_LONG = Struct(">I")
_METHOD, _HEADER, _BODY = 1, 2, 3
# Basic properties present: content-type, content-encoding, headers,
# delivery-mode, message-id, type (bits 15, 14, 13, 12, 7, 5).
_PROPERTY_FLAGS = (1 << 15) | (1 << 14) | (1 << 13) | (1 << 12) | (1 << 7) | (1 << 5)
_MANDATORY = b"\x01"
_PERSISTENT = b"\x02"
_JSON_UTF8 = b"\x10application/json\x05utf-8"


def _shortstr(value: str) -> bytes:
    encoded = value.encode("utf-8")
    if len(encoded) > 255:
        raise ValueError(f"a short string is at most 255 bytes: {value[:40]!r}...")
    return bytes((len(encoded),)) + encoded


def _table(headers: Mapping[str, str]) -> bytes:
    entries = b"".join(
        _shortstr(key) + b"S" + _LONG.pack(len(raw)) + raw
        for key, raw in ((k, str(v).encode("utf-8")) for k, v in headers.items())
    )
    return _LONG.pack(len(entries)) + entries


def _frame(kind: int, channel: int, payload: bytes) -> bytes:
    return _FRAME_HEADER.pack(kind, channel, len(payload)) + payload + FRAME_END


def publish_frames(
    channel: int,
    exchange: str,
    routing_key: str,
    message_id: str,
    message_type: str,
    headers: Mapping[str, str],
    body: bytes,
    frame_max: int,
) -> bytes:
    """The method, content-header and body frames of one mandatory, persistent publish."""
    method = _PUBLISH_METHOD + _shortstr(exchange) + _shortstr(routing_key) + _MANDATORY
    properties = (
        _JSON_UTF8 + _table(headers) + _PERSISTENT + _shortstr(message_id) + _shortstr(message_type)
    )
    header = _CONTENT_HEADER.pack(60, 0, len(body), _PROPERTY_FLAGS) + properties
    chunk = frame_max - 8
    frames = [_frame(_METHOD, channel, method), _frame(_HEADER, channel, header)]
    frames += [
        _frame(_BODY, channel, body[start : start + chunk]) for start in range(0, len(body), chunk)
    ]
    return b"".join(frames)
