"""The server's hand-written WebSocket frames, read back by wsproto's own frame parser."""
import pytest
from wsproto.frame_protocol import FrameProtocol, Opcode

from barcamp.live.frames import frame


@pytest.mark.parametrize("size", [0, 1, 125, 126, 127, 65535, 65536, 200_000],
                         ids=lambda n: f"{n}-bytes")
def test_frame_reads_back_as_one_final_unmasked_message(size):
    text = "é" * (size // 2) + "x" * (size % 2)  # two bytes per "é": exactly `size` bytes
    payload = text.encode("utf-8")
    assert len(payload) == size
    parser = FrameProtocol(client=True, extensions=[])
    parser.receive_bytes(frame(payload))
    frames = list(parser.received_frames())
    assert len(frames) == 1
    assert frames[0].opcode is Opcode.TEXT
    assert frames[0].frame_finished and frames[0].message_finished
    assert frames[0].payload == text


def test_binary_frame_keeps_the_bytes():
    parser = FrameProtocol(client=True, extensions=[])
    parser.receive_bytes(frame(b"\x00\xffdata", 0x2))
    (received,) = list(parser.received_frames())
    assert received.opcode is Opcode.BINARY
    assert bytes(received.payload) == b"\x00\xffdata"
