"""The iCalendar files: any stored text makes a valid file, and the organiser's button downloads it."""
from __future__ import annotations

import re

import icalendar
import pytest

from barcamp.common.db import write_transaction
from barcamp.events.models import Event
from barcamp.extensions import db
from barcamp.proposals.models import Proposal
from barcamp.schedule.models import Room
from tests.conftest import error_of

#: what a text field may hold in the database (rows stored before input was cleaned, or a direct edit)
NASTY = "Ligne 1\nLigne 2\r\nLigne 3\r\x00\x07\x1b;,\\:\u202eevil\u200b \t fin"


def calname(calendar) -> str:
    """X-WR-CALNAME unescaped (icalendar hands an X- property back as its raw, escaped text)."""
    raw = calendar["x-wr-calname"].to_ical().decode()
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), raw)


def login(client, organiser):
    response = client.post("/organiser/login", data={"email": organiser["email"], "password": organiser["password"]})
    assert response.status_code == 302


@pytest.fixture
def published(api, make_forum):
    forum = make_forum()
    api("POST", f"{forum['base']}/schedule/auto", forum["org"])
    api("PUT", f"{forum['base']}/schedule/published", forum["org"], json={"published": True})
    return forum


def store_nasty_texts(app, forum):
    """Put control characters and line breaks in every text the files show.

    PostgreSQL refuses NUL in a text column (no row there can hold one): it is left out there.
    """
    with app.app_context(), write_transaction():
        nasty = NASTY.replace("\x00", "") if db.engine.dialect.name == "postgresql" else NASTY
        event = db.session.get(Event, forum["id"])
        event.title, event.place = nasty, nasty
        for proposal in db.session.scalars(db.select(Proposal).where(Proposal.event_id == forum["id"])):
            proposal.title, proposal.description = nasty, nasty
        for room in db.session.scalars(db.select(Room).where(Room.event_id == forum["id"])):
            room.name = f"{nasty}{room.id}"  # room names are unique in a forum


@pytest.mark.parametrize("who", ["organiser", "participant"])
def test_agenda_is_a_valid_file_whatever_the_stored_texts(app, client, published, make_participant, who):
    person = make_participant(published)
    store_nasty_texts(app, published)
    headers = published["org"] if who == "organiser" else person["headers"]

    response = client.get(f"{published['base']}/agenda.ics", headers=headers)

    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.data)
    assert calname(calendar) == "Ligne 1 Ligne 2 Ligne 3 ;,\\:evil fin"
    events = calendar.walk("VEVENT")
    assert len(events) == 4
    assert {str(e["summary"]) for e in events} == {"Ligne 1 Ligne 2 Ligne 3 ;,\\:evil fin"}
    line = "Ligne 1 Ligne 2 Ligne 3 ;,\\:evil fin"
    assert {str(e["location"]).rsplit(", ", 1)[1] for e in events} == {line}
    assert {str(e["location"]).split(" fin")[0] for e in events} == {line.removesuffix(" fin")}
    assert {tuple(str(e["description"]).split("\n")[:4]) for e in events} == {
        ("Ligne 1", "Ligne 2", "Ligne 3", ";,\\:evil \t fin")}
    assert b"\x00" not in response.data and b"\x1b" not in response.data and "\u202e".encode() not in response.data


def test_my_agenda_is_a_valid_file_whatever_the_stored_texts(app, client, api, published, make_participant):
    person = make_participant(published)
    session_id = api("GET", f"{published['base']}/schedule", published["org"])["sessions"][0]["id"]
    api("PUT", f"/api/v1/sessions/{session_id}/signup", person["headers"])
    store_nasty_texts(app, published)

    response = client.get(f"{published['base']}/me/agenda.ics", headers=person["headers"])

    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.data)
    assert calname(calendar).endswith("Ligne 1 Ligne 2 Ligne 3 ;,\\:evil fin")
    assert len(calendar.walk("VEVENT")) == 1


def test_forum_title_with_a_line_break_is_stored_on_one_line(client, make_organiser):
    organiser = make_organiser()

    response = client.post("/api/v1/events", json={"title": "Forum\ndes\r\ntiers-lieux", "place": "Salle\n2"},
                           headers=organiser["headers"])

    assert response.status_code == 201
    assert (response.get_json()["title"], response.get_json()["place"]) == ("Forum des tiers-lieux", "Salle 2")


# -- the organiser's « Grille en ICS » button ----------------------------------------------------------
def test_organiser_grid_button_downloads_the_file_with_the_session(client, published):
    login(client, published["organiser"])
    page = client.get(f"/organiser/events/{published['id']}/grille").get_data(as_text=True)
    assert f'href="/api/v1/events/{published["id"]}/agenda.ics"' in page

    response = client.get(f"/api/v1/events/{published['id']}/agenda.ics")

    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert len(icalendar.Calendar.from_ical(response.data).walk("VEVENT")) == 4


def test_organiser_session_does_not_open_another_organisers_grid(client, published, make_organiser):
    login(client, make_organiser())

    response = client.get(f"/api/v1/events/{published['id']}/agenda.ics")

    assert error_of(response)[0] in (403, 404)


def test_session_alone_opens_no_other_api_endpoint(client, published):
    login(client, published["organiser"])

    response = client.get(f"{published['base']}/schedule")

    assert error_of(response) == (401, "unauthorized")


def test_grid_file_without_session_or_token_is_401(client, published):
    assert error_of(client.get(f"{published['base']}/agenda.ics")) == (401, "unauthorized")
