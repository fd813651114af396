"""Workshop boards on /live through Flask-SocketIO's test client: rooms, acks after commit, coalesced boards."""
from __future__ import annotations

import time

import pytest

from barcamp.accounts.identity import PROJECTOR_TOKEN_PREFIX
from tests.conftest import wait_for

NS = "/live"


class Inbox:
    def __init__(self, sc):
        self.sc = sc
        self.messages: list[tuple[str, dict]] = []

    def boards(self) -> list[dict]:
        self.messages += [(m["name"], m["args"][0]) for m in self.sc.get_received(NS)]
        return [payload for name, payload in self.messages if name == "board"]


def texts(board: dict) -> list[str]:
    return [c["text"] for s in board["sections"] for c in s["cards"]]


def join(socket_client, token, workshop_id):
    sc = socket_client(token)
    ack = sc.emit("workshop_join", {"workshop_id": workshop_id}, namespace=NS, callback=True)
    assert ack["ok"] is True, ack
    return sc, ack["board"]


@pytest.fixture
def two_workshops(client, board):
    other = client.post(f"/api/v1/events/{board['event']['id']}/workshops", json={"title": "Autre atelier"},
                        headers=board["organiser"]).get_json()
    return board, other["id"]


def test_join_acks_the_full_board_with_a_version(socket_client, board):
    sc, state = join(socket_client, board["alice"]["token"], board["workshop"]["id"])

    assert isinstance(state["version"], int)
    assert state["workshop"]["title"] == "Transition numérique"
    assert [s["key"] for s in state["sections"]][:3] == ["constat", "questions", "propositions"]
    assert state["me"]["remaining"] == 3


def test_card_added_by_a_reaches_b_and_not_another_workshop(socket_client, two_workshops):
    board, other_wid = two_workshops
    wid = board["workshop"]["id"]
    a, _ = join(socket_client, board["alice"]["token"], wid)
    b, before = join(socket_client, board["bob"]["token"], wid)
    elsewhere, _ = join(socket_client, board["organiser"]["Authorization"][7:], other_wid)
    b_inbox, elsewhere_inbox = Inbox(b), Inbox(elsewhere)

    ack = a.emit("card_add", {"workshop_id": wid, "section": "constat", "text": "Le numérique, parcours du combattant"},
                 namespace=NS, callback=True)

    assert ack["ok"] is True and ack["card"]["version"] == 1
    received = wait_for(lambda: [m for m in b_inbox.boards() if texts(m["board"])])
    assert texts(received[-1]["board"]) == ["Le numérique, parcours du combattant"]
    assert received[-1]["workshop_id"] == wid and received[-1]["version"] > before["version"]
    elsewhere.emit("workshop_join", {"workshop_id": other_wid}, namespace=NS, callback=True)  # a round trip
    assert [m for m in elsewhere_inbox.boards() if m["workshop_id"] == wid] == []


def test_stale_edit_is_refused_with_the_current_card(socket_client, board):
    wid = board["workshop"]["id"]
    orga, _ = join(socket_client, board["organiser"]["Authorization"][7:], wid)
    alice, _ = join(socket_client, board["alice"]["token"], wid)
    card = alice.emit("card_add", {"workshop_id": wid, "section": "propositions", "text": "Créer le SANU"},
                      namespace=NS, callback=True)["card"]
    orga.emit("card_edit", {"workshop_id": wid, "card_id": card["id"], "version": 1, "number": 1,
                            "text": "Créer le SANU : service d'assistance numérique d'urgence"},
              namespace=NS, callback=True)

    stale = alice.emit("card_edit", {"workshop_id": wid, "card_id": card["id"], "version": 1, "text": "SANU !"},
                       namespace=NS, callback=True)

    assert stale["ok"] is False
    assert stale["error"]["code"] == "card_conflict"
    assert (stale["error"]["current"]["text"], stale["error"]["current"]["number"]) == (
        "Créer le SANU : service d'assistance numérique d'urgence", 1)


def test_dots_over_the_socket_ack_after_commit(socket_client, board, fresh_db):
    wid = board["workshop"]["id"]
    orga, _ = join(socket_client, board["organiser"]["Authorization"][7:], wid)
    card = orga.emit("card_add", {"workshop_id": wid, "section": "propositions", "text": "Créer le SANU"},
                     namespace=NS, callback=True)["card"]
    alice, _ = join(socket_client, board["alice"]["token"], wid)

    ack = alice.emit("workshop_dot", {"workshop_id": wid, "card_id": card["id"], "value": 2}, namespace=NS,
                     callback=True)
    refused = orga.emit("workshop_dot", {"workshop_id": wid, "card_id": card["id"], "value": 1}, namespace=NS,
                        callback=True)

    assert ack == {"ok": True, "value": 2, "remaining": 1}
    assert fresh_db("SELECT value FROM card_dots WHERE card_id = :c", c=card["id"]) == [(2,)]
    assert refused["error"]["code"] == "participants_only"


def test_reconnect_resyncs_the_board(socket_client, client, board):
    wid = board["workshop"]["id"]
    b, _ = join(socket_client, board["bob"]["token"], wid)
    b.disconnect(namespace=NS)
    client.post(f"/api/v1/workshops/{wid}/cards", json={"section": "questions", "text": "Qui anime ?"},
                headers=board["alice"]["headers"])

    _, state = join(socket_client, board["bob"]["token"], wid)

    assert texts(state) == ["Qui anime ?"]


@pytest.mark.parametrize("who", ["stranger", "projector"])
def test_room_and_writes_of_another_forum_are_refused(socket_client, board, make_event, make_participant, who):
    other = make_event(phase="closed")
    token = (make_participant(other)["token"] if who == "stranger"
             else PROJECTOR_TOKEN_PREFIX + other["projector_token"])
    sc = socket_client(token)

    joined = sc.emit("workshop_join", {"workshop_id": board["workshop"]["id"]}, namespace=NS, callback=True)
    added = sc.emit("card_add", {"workshop_id": board["workshop"]["id"], "section": "constat", "text": "Intrus"},
                    namespace=NS, callback=True)

    assert (joined["ok"], joined["error"]["code"]) == (False, "not_in_event")
    assert (added["ok"], added["error"]["code"]) == (False, "not_in_event")


def test_projector_of_the_forum_reads_the_board_but_cannot_write(socket_client, board):
    token = PROJECTOR_TOKEN_PREFIX + board["event"]["projector_token"]
    sc, state = join(socket_client, token, board["workshop"]["id"])

    added = sc.emit("card_add", {"workshop_id": board["workshop"]["id"], "section": "constat", "text": "Non"},
                    namespace=NS, callback=True)

    assert state["me"]["kind"] == "projector"
    assert added["error"]["code"] == "forbidden"


def test_board_messages_are_coalesced(app, socket_client, client, board):
    wid = board["workshop"]["id"]
    b, before = join(socket_client, board["bob"]["token"], wid)
    inbox = Inbox(b)
    started = time.monotonic()

    for i in range(20):
        client.post(f"/api/v1/workshops/{wid}/cards", json={"section": "pistes", "text": f"Piste {i}"},
                    headers=board["alice"]["headers"])
    boards = wait_for(lambda: (m := inbox.boards()) and len(texts(m[-1]["board"])) == 20 and m)
    elapsed = time.monotonic() - started

    assert len(boards) <= elapsed / app.config.get("BOARD_INTERVAL", 0.1) + 2
    versions = [m["version"] for m in boards]
    assert all(y > x for x, y in zip([before["version"], *versions], versions))


def test_reports_over_the_socket_reach_the_queue_and_hide_the_card_for_everyone(socket_client, client, board,
                                                                                make_participant):
    wid, event = board["workshop"]["id"], board["event"]
    author, _ = join(socket_client, board["alice"]["token"], wid)
    card = author.emit("card_add", {"workshop_id": wid, "section": "constat", "text": "Carte injurieuse"},
                       namespace=NS, callback=True)["card"]
    inbox = Inbox(author)
    reporters = [board["bob"], make_participant(event, "Carla"), make_participant(event, "Driss")]
    phones = [join(socket_client, r["token"], wid)[0] for r in reporters]

    own = author.emit("card_report", {"workshop_id": wid, "card_id": card["id"]}, namespace=NS, callback=True)
    acks = [phone.emit("card_report", {"workshop_id": wid, "card_id": card["id"], "reason": "injurieux"},
                       namespace=NS, callback=True) for phone in phones]
    again = phones[0].emit("card_report", {"workshop_id": wid, "card_id": card["id"]}, namespace=NS, callback=True)

    assert own["error"]["code"] == "own_card"
    assert acks == [{"ok": True, "card_id": card["id"], "status": status} for status in ("visible", "visible",
                                                                                          "hidden")]
    assert again == {"ok": True, "card_id": card["id"], "status": "hidden"}  # once per participant
    queue = client.get(f"/api/v1/events/{event['id']}/reports", headers=board["organiser"]).get_json()
    assert queue["cards"] == [{"card_id": card["id"], "workshop_id": wid, "text": "Carte injurieuse",
                               "status": "hidden", "reports": 3, "reasons": ["injurieux"] * 3}]
    last = wait_for(lambda: (m := inbox.boards()) and "Carte injurieuse" not in texts(m[-1]["board"]) and m[-1])
    assert texts(last["board"]) == []
    _, rejoined = join(socket_client, board["bob"]["token"], wid)
    assert rejoined["me"]["reported"] == [card["id"]]


def test_only_participants_report_cards_of_the_board(socket_client, client, board, two_workshops):
    _, other_wid = two_workshops
    wid = board["workshop"]["id"]
    card = client.post(f"/api/v1/workshops/{wid}/cards", json={"section": "constat", "text": "Une carte"},
                       headers=board["alice"]["headers"]).get_json()
    organiser, _ = join(socket_client, board["organiser"]["Authorization"][7:], wid)
    bob, _ = join(socket_client, board["bob"]["token"], wid)

    by_organiser = organiser.emit("card_report", {"workshop_id": wid, "card_id": card["id"]}, namespace=NS,
                                  callback=True)
    wrong_board = bob.emit("card_report", {"workshop_id": other_wid, "card_id": card["id"]}, namespace=NS,
                           callback=True)

    assert by_organiser["error"]["code"] == "participants_only"
    assert wrong_board["error"]["code"] == "card_not_found"


def test_open_boards_hear_a_rename_then_the_deletion(socket_client, client, board):
    wid = board["workshop"]["id"]
    bob, _ = join(socket_client, board["bob"]["token"], wid)
    inbox = Inbox(bob)

    client.patch(f"/api/v1/workshops/{wid}", json={"title": "Numérique pour tous"}, headers=board["organiser"])
    renamed = wait_for(lambda: (m := inbox.boards()) and m[-1]["board"]["workshop"]["title"] == "Numérique pour tous"
                       and m[-1])
    client.delete(f"/api/v1/workshops/{wid}", headers=board["organiser"])
    gone = wait_for(lambda: (m := inbox.boards()) and m[-1]["board"]["workshop"]["deleted"] and m[-1])
    rejoined = bob.emit("workshop_join", {"workshop_id": wid}, namespace=NS, callback=True)

    assert renamed["board"]["workshop"]["deleted"] is False
    assert gone["version"] > renamed["version"]
    assert (rejoined["ok"], rejoined["error"]["code"]) == (False, "workshop_not_found")


def test_a_participants_erasure_reaches_open_boards(socket_client, client, board):
    wid = board["workshop"]["id"]
    alice = board["alice"]
    bob, _ = join(socket_client, board["bob"]["token"], wid)
    inbox = Inbox(bob)
    client.post(f"/api/v1/workshops/{wid}/cards", json={"section": "constat", "text": "Carte d'Alice"},
                headers=alice["headers"])
    proposal = client.post(f"/api/v1/workshops/{wid}/cards", json={"section": "propositions",
                                                                   "text": "Proposition de Bob"},
                           headers=board["bob"]["headers"]).get_json()["id"]
    client.put(f"/api/v1/workshops/{wid}/dots/{proposal}", json={"value": 2}, headers=alice["headers"])
    before = wait_for(lambda: (m := inbox.boards()) and len(texts(m[-1]["board"])) == 2
                      and m[-1]["board"]["sections"][2]["cards"][0]["dots"] == 2 and m[-1])

    erased = client.delete(f"/api/v1/events/{board['event']['id']}/me", headers=alice["headers"])

    assert erased.status_code == 200 and erased.get_json()["cards"] == 1
    after = wait_for(lambda: (m := inbox.boards()) and m[-1]["version"] > before["version"] and m[-1])
    assert texts(after["board"]) == ["Proposition de Bob"]
    assert after["board"]["sections"][2]["cards"][0]["dots"] == 0
