"""The grid pages without JavaScript: the organiser's select form, the phone's sign-up form, the projector."""
from __future__ import annotations

from tests.schedule.conftest import by_topic


def login(client, organiser):
    client.post("/organiser/login", data={"email": organiser["email"], "password": organiser["password"]})


def test_organiser_moves_and_locks_a_session_with_the_select_form(client, api, make_forum):
    forum = make_forum()
    login(client, forum["organiser"])
    client.post(f"/organiser/events/{forum['id']}/grille/auto")
    alpha = by_topic(api("GET", f"{forum['base']}/schedule", forum["org"]), forum)["Alpha"]
    room, slot = forum["rooms"]["Petite salle"], forum["slots"][1]

    page = client.get(f"/organiser/events/{forum['id']}/grille")
    r = client.post(f"/organiser/events/{forum['id']}/grille/sessions/{alpha['id']}",
                    data={"room_id": room, "slot_id": slot, "locked": "y", "format": "stimuler-son-imaginaire"})

    assert page.status_code == 200 and f'id="room-{alpha["id"]}"' in page.get_data(as_text=True)
    assert r.status_code == 302
    moved = by_topic(api("GET", f"{forum['base']}/schedule", forum["org"]), forum)["Alpha"]
    assert (moved["room_id"], moved["slot_id"], moved["locked"], moved["format_name"], moved["capacity"]) == (
        room, slot, True, "Stimuler son imaginaire", 10)


def test_dashboard_links_to_the_grid_page(client, make_forum):
    forum = make_forum()
    login(client, forum["organiser"])

    html = client.get(f"/organiser/events/{forum['id']}").get_data(as_text=True)

    assert f'href="/organiser/events/{forum["id"]}/grille"' in html


def test_phone_signs_up_without_javascript_and_sees_mon_programme(client, api, make_forum):
    forum = make_forum()
    api("POST", f"{forum['base']}/schedule/auto", forum["org"])
    api("PUT", f"{forum['base']}/schedule/published", forum["org"], json={"published": True})
    alpha = by_topic(api("GET", f"{forum['base']}/schedule", forum["org"]), forum)["Alpha"]
    client.post("/api/v1/join", json={"code": forum["join_code"]})  # API join: no cookie
    client.post(f"/j/{forum['join_code']}", data={"name": "Ana"})  # page join: the phone's cookie

    r = client.post(f"/e/{forum['id']}/programme/{alpha['id']}", data={"action": "join"})
    page = client.get(f"/e/{forum['id']}/programme").get_data(as_text=True)
    ics = client.get(f"{forum['base']}/me/agenda.ics")

    assert r.status_code == 302
    assert "Inscription confirmée." in page and "Mon programme" in page and "Me désinscrire" in page
    assert ics.status_code == 200 and b"SUMMARY:Alpha" in ics.data


def test_projector_shows_the_published_grid(client, api, make_forum):
    forum = make_forum()
    api("POST", f"{forum['base']}/schedule/auto", forum["org"])
    before = client.get(f"/projector/{forum['projector_token']}/grille").get_data(as_text=True)
    api("PUT", f"{forum['base']}/schedule/published", forum["org"], json={"published": True})

    after = client.get(f"/projector/{forum['projector_token']}/grille").get_data(as_text=True)

    assert "Alpha" not in before and "Le programme sera affiché ici" in before
    assert all(t in after for t in ("Alpha", "Beta", "Gamma", "Delta", "09:00–10:00", "Grande salle"))


def test_organiser_page_explains_why_a_room_holding_sign_ups_stays(client, api, make_forum, make_participant):
    forum = make_forum()
    api("POST", f"{forum['base']}/schedule/auto", forum["org"])
    api("PUT", f"{forum['base']}/schedule/published", forum["org"], json={"published": True})
    alpha = by_topic(api("GET", f"{forum['base']}/schedule", forum["org"]), forum)["Alpha"]
    client.put(f"/api/v1/sessions/{alpha['id']}/signup", headers=make_participant(forum)["headers"])
    login(client, forum["organiser"])

    r = client.post(f"/organiser/events/{forum['id']}/grille/rooms/{alpha['room_id']}/delete", follow_redirects=True)

    html = r.get_data(as_text=True)
    assert "Impossible de supprimer cette salle : des participants sont inscrits à « Alpha »." in html
    assert alpha["room_id"] in [room["id"] for room in api("GET", f"{forum['base']}/rooms", forum["org"])["rooms"]]
