"""The grid API: rooms, slots, auto-schedule, moves, locks, sign-ups, waiting list, ICS, permissions."""
from __future__ import annotations

import icalendar
import pytest

from tests.conftest import error_of, fire_concurrently
from tests.schedule.conftest import by_topic

VOTES = {  # Alpha: 3 voters, Beta: 2, Gamma: 1; Alpha and Beta share voters
    "ana": {"Alpha": 1, "Beta": 1}, "bob": {"Alpha": 1, "Beta": 1}, "chloé": {"Alpha": 1, "Gamma": 1},
}


def test_rooms_and_slots_are_created_and_listed(api, make_forum):
    forum = make_forum()

    rooms = api("GET", f"{forum['base']}/rooms", forum["org"])
    slots = api("GET", f"{forum['base']}/slots", forum["org"])

    assert [(r["name"], r["capacity"]) for r in rooms["rooms"]] == [("Grande salle", 40), ("Petite salle", 10)]
    assert [s["label"] for s in slots["slots"]] == ["09:00–10:00", "10:30–11:30"]
    assert slots["slots"][0]["starts_at"] == "2026-11-24T08:00:00+00:00"  # Paris time stored in UTC


def test_overlapping_slot_is_refused(client, make_forum):
    forum = make_forum()

    r = client.post(f"{forum['base']}/slots", json={"starts_at": "2026-11-24T09:30:00", "ends_at": "2026-11-24T10:15:00"},
                    headers=forum["org"])

    assert error_of(r) == (409, "slot_overlap")


def test_only_the_owner_organiser_changes_the_grid(client, make_forum, make_organiser, make_participant):
    forum = make_forum()
    other = make_organiser()
    participant = make_participant(forum)
    room = {"name": "Salle 3", "capacity": 5}

    assert error_of(client.post(f"{forum['base']}/rooms", json=room)) == (401, "unauthorized")
    assert error_of(client.post(f"{forum['base']}/rooms", json=room, headers=participant["headers"])) == (
        403, "forbidden")
    assert error_of(client.post(f"{forum['base']}/rooms", json=room, headers=other["headers"]))[0] == 403
    assert error_of(client.post(f"{forum['base']}/schedule/auto", headers=participant["headers"])) == (
        403, "forbidden")
    assert error_of(client.put("/api/v1/sessions/1/signup", headers=forum["org"])) == (403, "forbidden")


def test_auto_schedule_puts_bigger_audiences_in_bigger_rooms_and_separates_shared_voters(api, make_forum):
    forum = make_forum(votes=VOTES)

    body = api("POST", f"{forum['base']}/schedule/auto", forum["org"])

    sessions = by_topic(body, forum)
    assert set(sessions) == {"Alpha", "Beta", "Gamma", "Delta"}
    big = forum["rooms"]["Grande salle"]
    assert sessions["Alpha"]["room_id"] == big  # 3 voters
    assert sessions["Alpha"]["slot_id"] != sessions["Beta"]["slot_id"]  # ana and bob want both
    assert sessions["Beta"]["room_id"] == big  # the biggest audience of its slot
    assert body["scheduler"] == {"voters": 3, "satisfied_voters": 3, "top_choices": 6, "attendable_choices": 6,
                                 "person_conflicts": 0, "iterations": 0}
    assert body["baseline"]["satisfied_voters"] == 1  # rank order puts Alpha and Beta in the first slot


def test_auto_schedule_keeps_locked_sessions_and_proposers_apart(api, make_forum):
    forum = make_forum(votes=VOTES, authors={"Gamma": "dora", "Delta": "dora"})
    first = by_topic(api("POST", f"{forum['base']}/schedule/auto", forum["org"]), forum)
    small, late = forum["rooms"]["Petite salle"], forum["slots"][1]
    api("PUT", f"{forum['base']}/schedule/{first['Alpha']['id']}", forum["org"],
        json={"room_id": small, "slot_id": late, "locked": True})

    again = by_topic(api("POST", f"{forum['base']}/schedule/auto", forum["org"]), forum)

    assert (again["Alpha"]["room_id"], again["Alpha"]["slot_id"], again["Alpha"]["locked"]) == (small, late, True)
    assert again["Gamma"]["slot_id"] != again["Delta"]["slot_id"]  # dora proposed both
    cells = [(s["slot_id"], s["room_id"]) for s in again.values()]
    assert len(set(cells)) == 4


def test_move_swaps_with_an_unlocked_occupant_and_refuses_a_locked_one(client, api, make_forum):
    forum = make_forum(votes=VOTES)
    s = by_topic(api("POST", f"{forum['base']}/schedule/auto", forum["org"]), forum)
    alpha_cell, beta_cell = (s["Alpha"]["room_id"], s["Alpha"]["slot_id"]), (s["Beta"]["room_id"], s["Beta"]["slot_id"])

    api("PUT", f"{forum['base']}/schedule/{s['Alpha']['id']}", forum["org"],
        json={"room_id": beta_cell[0], "slot_id": beta_cell[1], "format": "super-agent-public"})
    grid = by_topic(api("GET", f"{forum['base']}/schedule", forum["org"]), forum)
    api("PUT", f"{forum['base']}/schedule/{s['Beta']['id']}", forum["org"],
        json={"room_id": beta_cell[0], "slot_id": beta_cell[1], "locked": True})
    refused = client.put(f"{forum['base']}/schedule/{s['Gamma']['id']}", headers=forum["org"],
                         json={"room_id": beta_cell[0], "slot_id": beta_cell[1]})

    assert (grid["Alpha"]["room_id"], grid["Alpha"]["slot_id"]) == beta_cell
    assert (grid["Beta"]["room_id"], grid["Beta"]["slot_id"]) == alpha_cell
    assert (grid["Alpha"]["format_name"], grid["Alpha"]["capacity"]) == ("Super-agent-public", 12)  # jauge < 40
    assert error_of(refused) == (409, "cell_locked")


@pytest.fixture
def published(api, make_forum, make_participant):
    """A published grid with the small room (capacity 10) holding Alpha in the first slot."""
    forum = make_forum(votes=VOTES)
    s = by_topic(api("POST", f"{forum['base']}/schedule/auto", forum["org"]), forum)
    small, first, second = forum["rooms"]["Petite salle"], forum["slots"][0], forum["slots"][1]
    api("PUT", f"{forum['base']}/schedule/{s['Alpha']['id']}", forum["org"], json={"room_id": small, "slot_id": first})
    api("PUT", f"{forum['base']}/schedule/published", forum["org"], json={"published": True})
    s = by_topic(api("GET", f"{forum['base']}/schedule", forum["org"]), forum)
    forum["sessions"] = s
    forum["same_slot"] = next(t for t, x in s.items() if x["slot_id"] == first and t != "Alpha")
    forum["other_slot"] = next(t for t, x in s.items() if x["slot_id"] == second)
    return forum


def signup(client, forum, topic, who, method="PUT"):
    return client.open(f"/api/v1/sessions/{forum['sessions'][topic]['id']}/signup", method=method,
                       headers=who["headers"])


def test_sign_up_before_publication_is_refused(client, api, make_forum, make_participant):
    forum = make_forum(votes=VOTES)
    session = api("POST", f"{forum['base']}/schedule/auto", forum["org"])["sessions"][0]
    p = make_participant(forum)

    r = client.put(f"/api/v1/sessions/{session['id']}/signup", headers=p["headers"])

    assert error_of(r) == (409, "grid_not_published")


def test_capacity_holds_under_50_concurrent_sign_ups_to_the_last_seat(client, published, make_participant):
    people = [make_participant(published) for _ in range(59)]
    for p in people[:9]:  # 9 of the 10 seats taken
        assert signup(client, published, "Alpha", p).get_json() == {"status": "confirmed"}

    results = fire_concurrently([lambda p=p: signup(client, published, "Alpha", p) for p in people[9:]])

    bodies = [r.get_json() for r in results]
    assert all(r.status_code == 200 for r in results)
    assert sum(b["status"] == "confirmed" for b in bodies) == 1
    assert sorted(b["position"] for b in bodies if b["status"] == "waiting") == list(range(1, 50))
    grid = by_topic(client.get(f"{published['base']}/schedule", headers=published["org"]).get_json(), published)
    assert (grid["Alpha"]["capacity"], grid["Alpha"]["confirmed"], grid["Alpha"]["waiting"]) == (10, 10, 49)


def test_waiting_list_is_promoted_in_order(client, published, make_participant):
    people = [make_participant(published) for _ in range(13)]
    answers = [signup(client, published, "Alpha", p).get_json() for p in people]
    assert answers == [{"status": "confirmed"}] * 10 + [{"status": "waiting", "position": n} for n in (1, 2, 3)]

    left = signup(client, published, "Alpha", people[0], method="DELETE")
    second_leaves = signup(client, published, "Alpha", people[11], method="DELETE")  # waiting n°2 gives up

    assert left.get_json() == {"status": "cancelled"} and second_leaves.get_json() == {"status": "cancelled"}
    mine = lambda p: client.get(f"{published['base']}/schedule", headers=p["headers"]).get_json()["me"]
    assert mine(people[10]) == [{"session_id": published["sessions"]["Alpha"]["id"], "status": "confirmed"}]
    assert mine(people[12]) == [{"session_id": published["sessions"]["Alpha"]["id"], "status": "waiting",
                                 "position": 1}]
    assert signup(client, published, "Alpha", people[0]).get_json() == {"status": "waiting", "position": 2}


def test_second_sign_up_in_the_same_slot_is_refused(client, published, make_participant):
    p = make_participant(published)
    assert signup(client, published, "Alpha", p).get_json() == {"status": "confirmed"}

    same = signup(client, published, published["same_slot"], p)
    other = signup(client, published, published["other_slot"], p)
    again = signup(client, published, "Alpha", p)

    assert error_of(same) == (409, "slot_taken")
    assert other.get_json() == {"status": "confirmed"}
    assert again.get_json() == {"status": "confirmed"}  # idempotent


def test_auto_schedule_never_puts_a_participants_sessions_in_one_slot(client, api, published, make_participant):
    p = make_participant(published)
    signup(client, published, "Alpha", p)
    signup(client, published, published["other_slot"], p)

    again = by_topic(api("POST", f"{published['base']}/schedule/auto", published["org"]), published)

    assert again["Alpha"]["slot_id"] != again[published["other_slot"]]["slot_id"]
    assert again["Alpha"]["confirmed"] == 1


def test_ics_files_parse_and_hold_the_right_events(client, published, make_participant):
    p = make_participant(published)
    signup(client, published, "Alpha", p)

    whole = client.get(f"{published['base']}/agenda.ics", headers=p["headers"])
    mine = client.get(f"{published['base']}/me/agenda.ics", headers=p["headers"])

    assert whole.mimetype == "text/calendar"
    events = icalendar.Calendar.from_ical(whole.data).walk("VEVENT")
    assert sorted(str(e["summary"]) for e in events) == ["Alpha", "Beta", "Delta", "Gamma"]
    own = icalendar.Calendar.from_ical(mine.data).walk("VEVENT")
    assert [(str(e["summary"]), str(e["location"])) for e in own] == [("Alpha", "Petite salle")]
    assert own[0].decoded("dtstart").isoformat() == "2026-11-24T08:00:00+00:00"
    assert own[0].decoded("dtend").isoformat() == "2026-11-24T09:00:00+00:00"


def test_my_agenda_needs_a_participant(client, published):
    assert error_of(client.get(f"{published['base']}/me/agenda.ics")) == (401, "unauthorized")
    assert error_of(client.get(f"{published['base']}/me/agenda.ics", headers=published["org"])) == (403, "forbidden")


def test_bigger_room_promotes_the_waiting_list_and_a_clashing_move_cancels_the_moved_sign_up(
        client, api, published, make_participant):
    people = [make_participant(published) for _ in range(12)]
    for p in people:
        signup(client, published, "Alpha", p)
    other = published["other_slot"]
    signup(client, published, other, people[0])  # people[0] also holds a seat in the second slot
    big = published["rooms"]["Grande salle"]
    alpha, moved = published["sessions"]["Alpha"], published["sessions"][other]

    api("PUT", f"{published['base']}/schedule/{alpha['id']}", published["org"],
        json={"room_id": big, "slot_id": alpha["slot_id"]})  # swaps with the first slot's big-room session
    grown = by_topic(api("GET", f"{published['base']}/schedule", published["org"]), published)["Alpha"]
    api("PUT", f"{published['base']}/schedule/{moved['id']}", published["org"],
        json={"room_id": published["rooms"]["Petite salle"], "slot_id": alpha["slot_id"]})
    after = by_topic(api("GET", f"{published['base']}/schedule", published["org"]), published)

    assert (grown["capacity"], grown["confirmed"], grown["waiting"]) == (40, 12, 0)
    assert after[other]["slot_id"] == alpha["slot_id"] and after[other]["confirmed"] == 0  # clash: cancelled
    assert client.get(f"{published['base']}/schedule", headers=people[0]["headers"]).get_json()["me"] == [
        {"session_id": alpha["id"], "status": "confirmed"}]


def test_participants_see_nothing_of_an_unpublished_grid(client, api, make_forum, make_participant):
    forum = make_forum()
    api("POST", f"{forum['base']}/schedule/auto", forum["org"])
    p = make_participant(forum)

    assert client.get(f"{forum['base']}/schedule", headers=p["headers"]).get_json() == {"published": False}
    assert error_of(client.get(f"{forum['base']}/agenda.ics", headers=p["headers"])) == (409, "grid_not_published")


def test_sessions_rooms_and_formats_of_another_forum_are_refused(client, api, make_forum):
    forum, other = make_forum(), make_forum()
    session = api("POST", f"{forum['base']}/schedule/auto", forum["org"])["sessions"][0]
    foreign_room = other["rooms"]["Grande salle"]
    url = f"{forum['base']}/schedule/{session['id']}"

    assert error_of(client.put(url, headers=forum["org"], json={"room_id": foreign_room,
                                                                "slot_id": forum["slots"][0]})) == (404, "room_not_found")
    assert error_of(client.put(url, headers=forum["org"], json={"room_id": None, "slot_id": forum["slots"][0]})) == (
        422, "incomplete_cell")
    assert error_of(client.put(url, headers=forum["org"], json={"room_id": None, "slot_id": None,
                                                                "format": "inconnu"})) == (422, "unknown_format")
    assert error_of(client.put(f"{other['base']}/schedule/{session['id']}", headers=other["org"],
                               json={"room_id": None, "slot_id": None})) == (404, "session_not_found")


def test_auto_schedule_keeps_a_co_proposer_out_of_two_sessions_at_once(app, api, make_forum):
    from barcamp.common.db import write_transaction
    from barcamp.extensions import db
    from barcamp.proposals.models import Coproposer

    # Beta, Gamma and Delta each share a voter with Alpha: without dora, all three would sit in the
    # slot Alpha is not in (3 rooms) and every voter could attend all their top choices.
    votes = {**VOTES, "eve": {"Alpha": 1, "Delta": 1}}
    forum = make_forum(rooms=(("A", 30), ("B", 20), ("C", 10)), votes=votes, authors={"Delta": "dora"})
    with app.app_context(), write_transaction():  # dora also carries Gamma (e.g. after a merge)
        db.session.add(Coproposer(proposal_id=forum["topics"]["Gamma"], participant_id=forum["people"]["dora"]["id"]))

    body = api("POST", f"{forum['base']}/schedule/auto", forum["org"])

    grid = by_topic(body, forum)
    assert grid["Gamma"]["slot_id"] != grid["Delta"]["slot_id"]
    assert (body["scheduler"]["person_conflicts"], body["scheduler"]["satisfied_voters"]) == (0, 3)


def test_erasing_a_participant_gives_their_seat_to_the_first_waiting(client, published, make_participant):
    people = [make_participant(published) for _ in range(12)]
    for p in people:
        signup(client, published, "Alpha", p)  # 10 seats, then waiting n°1 and n°2
    signup(client, published, published["other_slot"], people[0])
    mine = lambda p: client.get(f"{published['base']}/schedule", headers=p["headers"]).get_json()["me"]

    erased = client.delete(f"{published['base']}/me", headers=people[0]["headers"])

    assert erased.status_code == 200
    alpha = published["sessions"]["Alpha"]["id"]
    assert mine(people[10]) == [{"session_id": alpha, "status": "confirmed"}]
    assert mine(people[11]) == [{"session_id": alpha, "status": "waiting", "position": 1}]
    grid = by_topic(client.get(f"{published['base']}/schedule", headers=published["org"]).get_json(), published)
    assert (grid["Alpha"]["confirmed"], grid["Alpha"]["waiting"]) == (10, 1)
    assert grid[published["other_slot"]]["confirmed"] == 0


def test_erasing_a_waiting_participant_moves_the_others_up(client, published, make_participant):
    people = [make_participant(published) for _ in range(13)]
    for p in people:
        signup(client, published, "Alpha", p)  # waiting n°1, n°2, n°3

    client.delete(f"{published['base']}/me", headers=people[11]["headers"])

    me = client.get(f"{published['base']}/schedule", headers=people[12]["headers"]).get_json()["me"]
    assert me == [{"session_id": published["sessions"]["Alpha"]["id"], "status": "waiting", "position": 2}]


@pytest.mark.parametrize("kind", ["rooms", "slots"])
def test_a_room_or_slot_holding_sign_ups_cannot_be_deleted(client, published, make_participant, kind):
    alpha = published["sessions"]["Alpha"]
    target = alpha["room_id"] if kind == "rooms" else alpha["slot_id"]
    signup(client, published, "Alpha", make_participant(published))

    refused = client.delete(f"{published['base']}/{kind}/{target}", headers=published["org"])

    assert error_of(refused) == (409, "room_in_use" if kind == "rooms" else "slot_in_use")
    assert "« Alpha »" in refused.get_json()["error"]["message"]
    after = by_topic(client.get(f"{published['base']}/schedule", headers=published["org"]).get_json(), published)
    assert (after["Alpha"]["room_id"], after["Alpha"]["slot_id"], after["Alpha"]["confirmed"]) == (
        alpha["room_id"], alpha["slot_id"], 1)


@pytest.mark.parametrize("kind", ["rooms", "slots"])
def test_deleting_a_room_or_slot_without_sign_ups_sends_its_sessions_to_the_bench(client, published, kind):
    alpha = published["sessions"]["Alpha"]
    target = alpha["room_id"] if kind == "rooms" else alpha["slot_id"]

    deleted = client.delete(f"{published['base']}/{kind}/{target}", headers=published["org"])

    assert deleted.status_code == 204
    grid = client.get(f"{published['base']}/schedule", headers=published["org"]).get_json()
    assert target not in [row["id"] for row in grid[kind]]
    after = by_topic(grid, published)
    assert (after["Alpha"]["room_id"], after["Alpha"]["slot_id"], after["Alpha"]["locked"]) == (None, None, False)
    assert len(after) == 4  # every topic keeps its session


def test_deleting_a_room_of_another_forum_is_refused(client, published, make_forum):
    other = make_forum()

    r = client.delete(f"{published['base']}/rooms/{other['rooms']['Grande salle']}", headers=published["org"])

    assert error_of(r) == (404, "room_not_found")
