"""Live mode over real Socket.IO: answers acknowledged after commit, state resynced after a reconnect."""
from __future__ import annotations

import threading

import pytest
import requests
import socketio

from tests.conftest import hang_up

pytestmark = pytest.mark.server


def _api(server, method, path, token, **kw):
    r = requests.request(method, f"{server.url}/api/v1{path}", headers={"Authorization": f"Bearer {token}"},
                         timeout=10, **kw)
    assert r.status_code < 300, r.text
    return r.json()


class Phone:
    """A python-socketio client on /live that records the messages it hears."""

    def __init__(self, url: str, token: str) -> None:
        self.url, self.token = url, token
        self.messages: list[dict] = []
        self.got_quiz = threading.Event()
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("quiz", self._on_quiz, namespace="/live")

    def _on_quiz(self, msg):
        self.messages.append(msg)
        self.got_quiz.set()

    def connect(self, event_id: int) -> dict:
        self.sio.connect(self.url, namespaces=["/live"], auth={"token": self.token}, transports=["websocket"],
                         wait_timeout=10)
        ack = self.sio.call("join", {"event_id": event_id}, namespace="/live", timeout=10)
        assert ack["ok"], ack
        return ack["state"]

    def call(self, name, payload):
        return self.sio.call(name, payload, namespace="/live", timeout=10)


def test_live_quiz_survives_a_reconnect(live_server):
    token = live_server.organiser_token()
    event = _api(live_server, "POST", "/events", token, json={"title": "Brise-glace"})
    _api(live_server, "PUT", f"/events/{event['id']}/quiz/settings", token, json={"mode": "live"})
    _api(live_server, "PUT", f"/events/{event['id']}/phase", token, json={"phase": "icebreaker"})
    person = requests.post(f"{live_server.url}/api/v1/join", json={"code": event["join_code"]}, timeout=10).json()
    phone = Phone(live_server.url, person["token"])
    state = phone.connect(event["id"])
    assert state["quiz"]["state"]["status"] == "waiting" and state["quiz"]["state"]["question"] is None

    _api(live_server, "POST", f"/events/{event['id']}/quiz/control", token, json={"action": "open"})
    assert phone.got_quiz.wait(10)
    opened = phone.messages[-1]
    ack = phone.call("quiz_answer", {"question": 0, "choice": 3})
    changed = phone.call("quiz_answer", {"question": 0, "choice": 1})
    _api(live_server, "POST", f"/events/{event['id']}/quiz/control", token, json={"action": "close"})
    _api(live_server, "POST", f"/events/{event['id']}/quiz/control", token, json={"action": "open"})
    hang_up(phone.sio)
    phone2 = Phone(live_server.url, person["token"])
    resynced = phone2.connect(event["id"])
    hang_up(phone2.sio)

    assert opened["kind"] == "state" and opened["state"]["question"] == 0 and opened["event_id"] == event["id"]
    assert ack["ok"] and ack["me"]["answers"] == {"0": 3}
    assert changed["me"]["answers"] == {"0": 1} and changed["me"]["profile"]["symbols"] == ["¥"]
    quiz = resynced["quiz"]
    assert quiz["state"]["question"] == 1 and quiz["state"]["status"] == "open"
    assert quiz["me"]["answers"] == {"0": 1}
    assert resynced["version"] >= opened["version"]


def test_answer_counts_reach_the_projector_coalesced(live_server):
    token = live_server.organiser_token()
    event = _api(live_server, "POST", "/events", token, json={"title": "Brise-glace"})
    _api(live_server, "PUT", f"/events/{event['id']}/quiz/settings", token, json={"mode": "live"})
    _api(live_server, "PUT", f"/events/{event['id']}/phase", token, json={"phase": "icebreaker"})
    projector = Phone(live_server.url, "v_" + event["projector_url"].rsplit("/", 1)[1])
    projector.connect(event["id"])
    _api(live_server, "POST", f"/events/{event['id']}/quiz/control", token, json={"action": "open"})
    people = [requests.post(f"{live_server.url}/api/v1/join", json={"code": event["join_code"]}, timeout=10).json()
              for _ in range(5)]
    for i, p in enumerate(people):
        _api(live_server, "PUT", f"/events/{event['id']}/quiz/answers/0", p["token"], json={"choice": i % 4})

    deadline_ok = False
    for _ in range(50):
        counts = [m for m in projector.messages if m.get("kind") == "counts"]
        if counts and counts[-1]["answered"] == 5:
            deadline_ok = True
            break
        threading.Event().wait(0.1)
    hang_up(projector.sio)

    assert deadline_ok, projector.messages
    last = [m for m in projector.messages if m.get("kind") == "counts"][-1]
    assert last["counts"] == [2, 1, 1, 1] and last["question"] == 0
    # the forum's sequence and the counts' own stream each grow strictly
    for stream in (None, "quiz"):
        versions = [m["version"] for m in projector.messages if m.get("stream") == stream]
        assert versions == sorted(versions) and len(set(versions)) == len(versions)
    assert all(m["stream"] == "quiz" for m in projector.messages if m.get("kind") == "counts")
