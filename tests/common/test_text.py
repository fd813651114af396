"""Names and titles are cleaned at input: no bidi control, no zero-width character, one line."""
from __future__ import annotations

import pytest

from barcamp.common.text import clean_line, clean_text

RLO, ZWSP, ZWJ, LRI, PDI, BOM = "\u202e", "\u200b", "\u200d", "\u2066", "\u2069", "\ufeff"


@pytest.mark.parametrize(("raw", "clean"), [
    (f"Camille{RLO}gpj.exe", "Camillegpj.exe"),
    (f"Ad{ZWSP}min", "Admin"),
    (f"{LRI}Léa{PDI} {BOM}", "Léa"),
    ("Forum\ndes\r\ntiers-lieux\t2026", "Forum des tiers-lieux 2026"),
    ("  deux   espaces\x00\x07 ", "deux espaces"),
    ("Élodie Ünal — 東京", "Élodie Ünal — 東京"),
], ids=["right_to_left_override", "zero_width_space", "isolates_and_bom", "line_breaks_and_tab",
        "controls_and_spaces", "letters_of_any_script_stay"])
def test_clean_line(raw, clean):
    assert clean_line(raw) == clean


def test_clean_text_keeps_line_breaks_and_drops_the_rest():
    assert clean_text(f" Ligne 1\r\nLigne{ZWJ} 2\rLigne 3\x1b{RLO}\n") == "Ligne 1\nLigne 2\nLigne 3"


def test_participant_name_is_cleaned_at_join(client, make_event):
    event = make_event()

    response = client.post("/api/v1/join", json={"code": event["join_code"], "name": f"Cam{ZWSP}ille{RLO}\n"})
    token = response.get_json()["token"]
    me = client.get(f"/api/v1/events/{event['id']}/proposals", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 201 and me.status_code == 200
    with client.application.app_context():
        from barcamp.extensions import db
        from barcamp.participants.models import Participant

        assert db.session.get(Participant, response.get_json()["participant_id"]).display_name == "Camille"


def test_participant_name_is_cleaned_on_the_join_page(client, make_event):
    event = make_event()

    client.post(f"/j/{event['join_code']}", data={"name": f"{RLO}Léa{ZWJ}"})

    with client.application.app_context():
        from barcamp.extensions import db
        from barcamp.participants.models import Participant

        names = db.session.scalars(db.select(Participant.display_name).where(Participant.event_id == event["id"]))
        assert list(names) == ["Léa"]


def test_topic_title_is_cleaned_and_an_invisible_one_refused(client, make_event, make_participant):
    event = make_event(phase="proposals")
    lea = make_participant(event, name="Léa")
    url = f"/api/v1/events/{event['id']}/proposals"

    created = client.post(url, json={"title": f"Tiers{ZWSP}-lieux{RLO}", "tags": [f"li{ZWJ}eux"],
                                     "description": f"Un{RLO}\r\ndeux"}, headers=lea["headers"])
    invisible = client.post(url, json={"title": ZWSP * 5 + RLO}, headers=lea["headers"])

    assert created.status_code == 201
    body = created.get_json()
    assert (body["title"], body["tags"], body["description"]) == ("Tiers-lieux", ["lieux"], "Un\ndeux")
    assert (invisible.status_code, invisible.get_json()["error"]["code"]) == (422, "invalid_input")


def test_forum_title_and_room_name_are_cleaned(client, make_organiser):
    organiser = make_organiser()

    event = client.post("/api/v1/events", json={"title": f"Forum{RLO} 2026{ZWSP}", "themes": [f"Mobi{ZWJ}lité"]},
                        headers=organiser["headers"]).get_json()
    room = client.post(f"/api/v1/events/{event['id']}/rooms", json={"name": f"Salle{LRI} A{PDI}", "capacity": 5},
                       headers=organiser["headers"]).get_json()

    assert (event["title"], [t["name"] for t in event["themes"]], room["name"]) == ("Forum 2026", ["Mobilité"],
                                                                                     "Salle A")
