"""The live grid: publication and sign-ups reach Socket.IO clients; the join state holds the published grid."""
from __future__ import annotations

from tests.conftest import fire_concurrently, wait_for
from tests.live.test_sockets import Inbox, joined
from tests.schedule.conftest import by_topic


def one_session_forum(api, make_forum, seats: int) -> tuple[dict, dict]:
    """A published grid of one room with that many seats, one slot and one session (Alpha)."""
    forum = make_forum(rooms=(("Atelier", seats),), slots=(("09:00", "10:00"),), topics=("Alpha",))
    api("POST", f"{forum['base']}/schedule/auto", forum["org"])
    api("PUT", f"{forum['base']}/schedule/published", forum["org"], json={"published": True})
    return forum, api("GET", f"{forum['base']}/schedule", forum["org"])["sessions"][0]


def test_published_grid_and_seat_counts_reach_a_phone_live(client, api, socket_client, make_forum,
                                                            make_participant):
    forum = make_forum(votes={"ana": {"Alpha": 1}})
    phone, other = make_participant(forum), make_participant(forum)
    api("POST", f"{forum['base']}/schedule/auto", forum["org"])
    sc, state = joined(socket_client, phone["token"], forum["id"])
    inbox = Inbox(sc)
    assert "schedule" not in state  # not published yet: nothing of the grid

    api("PUT", f"{forum['base']}/schedule/published", forum["org"], json={"published": True})
    published = wait_for(lambda: inbox.named("schedule"))[-1]
    alpha = by_topic(published["grid"], forum)["Alpha"]
    client.put(f"/api/v1/sessions/{alpha['id']}/signup", headers=other["headers"])
    counts = wait_for(lambda: len(inbox.named("schedule")) == 2 and inbox.named("schedule"))[-1]

    assert published["version"] > state["version"] and counts["version"] == published["version"] + 1
    assert published["grid"]["published"] is True
    assert sorted(s["title"] for s in published["grid"]["sessions"]) == ["Alpha", "Beta", "Delta", "Gamma"]
    assert (by_topic(counts["grid"], forum)["Alpha"]["confirmed"], alpha["confirmed"]) == (1, 0)
    _, again = joined(socket_client, phone["token"], forum["id"])
    assert by_topic(again["schedule"], forum)["Alpha"]["confirmed"] == 1


def test_unpublishing_tells_screens_without_the_grid(api, socket_client, make_forum):
    forum = make_forum()
    api("POST", f"{forum['base']}/schedule/auto", forum["org"])
    api("PUT", f"{forum['base']}/schedule/published", forum["org"], json={"published": True})
    sc, state = joined(socket_client, "v_" + forum["projector_token"], forum["id"])
    assert len(state["schedule"]["sessions"]) == 4
    inbox = Inbox(sc)

    api("PUT", f"{forum['base']}/schedule/published", forum["org"], json={"published": False})

    assert wait_for(lambda: inbox.named("schedule"))[-1]["grid"] == {"published": False}


def test_a_burst_of_sign_ups_is_coalesced_into_few_grid_messages(client, api, socket_client, make_forum,
                                                                 make_participant):
    forum, alpha = one_session_forum(api, make_forum, seats=100)
    people = [make_participant(forum) for _ in range(30)]
    sc, _ = joined(socket_client, people[0]["token"], forum["id"])
    inbox = Inbox(sc)

    fire_concurrently([lambda p=p: client.put(f"/api/v1/sessions/{alpha['id']}/signup", headers=p["headers"])
                       for p in people])

    last = wait_for(lambda: [m for m in inbox.named("schedule") if m["grid"]["sessions"][0]["confirmed"] == 30])
    messages = inbox.named("schedule")
    assert last[-1] is messages[-1]
    assert len(messages) < 30  # one message per coalescing interval, not one per sign-up
    versions = [m["version"] for m in messages]
    assert versions == sorted(versions) and len(set(versions)) == len(versions)


def test_an_erased_participants_seat_reaches_the_waiting_phone_live(client, api, socket_client, make_forum,
                                                                     make_participant):
    forum, alpha = one_session_forum(api, make_forum, seats=1)
    seated, waiting = make_participant(forum), make_participant(forum)
    for p in (seated, waiting):
        client.put(f"/api/v1/sessions/{alpha['id']}/signup", headers=p["headers"])
    sc, state = joined(socket_client, waiting["token"], forum["id"])
    assert state["schedule"]["sessions"][0]["waiting"] == 1
    inbox = Inbox(sc)

    client.delete(f"{forum['base']}/me", headers=seated["headers"])

    seats = lambda m: (m["grid"]["sessions"][0]["confirmed"], m["grid"]["sessions"][0]["waiting"])
    wait_for(lambda: [m for m in inbox.named("schedule") if seats(m) == (1, 0)])  # the seat went on, not away
    assert seats(inbox.named("schedule")[-1]) == (1, 0)
    me = client.get(f"{forum['base']}/schedule", headers=waiting["headers"]).get_json()["me"]
    assert me == [{"session_id": alpha["id"], "status": "confirmed"}]
