"""The relay's publish frames are byte for byte what py-amqp would have sent."""

import amqp
import pytest
from amqp import spec
from amqp.method_framing import frame_writer
from amqp.serialization import dumps

from chancery.messages.amqpframes import publish_frames

HEADERS = {
    "traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    "x-chancery-correlation": "ქართული-ąčę",
}


class _Capture:
    def __init__(self, frame_max: int) -> None:
        self.frame_max = frame_max
        self.written = bytearray()
        self.bytes_sent = 0

    def write(self, data: bytes) -> None:
        self.written += bytes(data)


def _py_amqp(body: bytes, frame_max: int) -> bytes:
    capture = _Capture(frame_max)
    message = amqp.Message(
        body,
        message_id="m-1",
        type="letter.registered",
        content_type="application/json",
        content_encoding="utf-8",
        delivery_mode=2,
        application_headers=dict(HEADERS),
    )
    frame_writer(capture, capture)(
        1,
        7,
        spec.Basic.Publish,
        dumps("Bssbb", (0, "intake.events", "letter.registered.v1", True, False)),
        message,
    )
    return bytes(capture.written)


@pytest.mark.parametrize(("size", "frame_max"), [(770, 131072), (0, 131072), (5000, 4096)])
def test_frames_match_py_amqp(size: int, frame_max: int) -> None:
    body = ("Prašymas dėl Šiaulių gatvės apšvietimo — ".encode() * 200)[:size]
    ours = publish_frames(
        7,
        "intake.events",
        "letter.registered.v1",
        "m-1",
        "letter.registered",
        HEADERS,
        body,
        frame_max,
    )
    assert ours == _py_amqp(body, frame_max)


def test_a_too_long_short_string_is_refused() -> None:
    with pytest.raises(ValueError, match="255 bytes"):
        publish_frames(1, "x" * 256, "k", "m", "t", {}, b"{}", 131072)
