"""Every main page, asked in English, shows no French interface text (the forum's own texts are English here)."""
from __future__ import annotations

import re

import pytest

from barcamp.common.db import write_transaction
from barcamp.events.models import Event
from barcamp.events.services import transition_phase
from barcamp.extensions import db

EN = {"Accept-Language": "en"}
#: French words and signs that never appear in English interface text
FRENCH = re.compile(r"[éèêàùçœ«»]|\b(vous|votre|les|des|une|pour|avec|sujets?|gommettes?|atelier)\b", re.IGNORECASE)


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style|template)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<option\b.*?</option>", " ", html, flags=re.S)  # choices list content (library titles)
    html = html.replace("La 27e Région", " ")  # a proper noun, in the credits of French sources
    html = re.sub(r'<meta name="barcamp-i18n"[^>]*>', " ", html)
    html = re.sub(r'<a [^>]*lang="fr"[^>]*>Français</a>', " ", html)  # the switch names French in French
    attributes = " ".join(re.findall(r'(?:aria-label|title|placeholder|alt|data-text[\w-]*)="([^"]*)"', html))
    return re.sub(r"<[^>]+>", " ", html) + " " + attributes


def french_in(html: str) -> list[str]:
    text = visible_text(html)
    return sorted({text[max(0, m.start() - 30):m.end() + 30].strip() for m in FRENCH.finditer(text)})


@pytest.fixture
def english_forum(app, client, make_event, make_participant, make_proposal):
    event = make_event(title="Open government day", themes=["Digital"])
    participant = make_participant(event, "Sam")
    make_proposal(event, participant, title="Open data for the city", description="Publish bus data")
    organiser = event["organiser"]
    client.post("/organiser/login", data={"email": organiser["email"], "password": organiser["password"]})
    with client.session_transaction() as session:
        session["participants"] = {str(event["id"]): participant["token"]}
    return event


def _pages(event_id: int) -> list[str]:
    return ["/", "/organiser/login", "/organiser/", "/organiser/events/new", f"/organiser/events/{event_id}",
            f"/organiser/events/{event_id}/quiz", f"/organiser/events/{event_id}/ressources", f"/e/{event_id}",
            f"/e/{event_id}/ressources?section=forum", "/glossaire?x=1"]


def test_main_pages_have_no_french_left_in_english(client, english_forum):
    leftovers = {}
    for path in _pages(english_forum["id"]):
        response = client.get(path, headers=EN)
        assert response.status_code == 200, path
        found = french_in(response.get_data(as_text=True))
        if path.startswith("/glossaire"):  # the credit names the French source
            found = [f for f in found if "Sonar" not in f and "France Urbaine" not in f]
        if found:
            leftovers[path] = found
    assert leftovers == {}


def test_voting_and_workshop_pages_in_english(app, client, english_forum):
    event_id = english_forum["id"]
    with app.app_context(), write_transaction():
        transition_phase(db.session.get(Event, event_id), "voting")
    leftovers = {}
    for path in (f"/e/{event_id}", f"/organiser/events/{event_id}"):
        found = french_in(client.get(path, headers=EN).get_data(as_text=True))
        if found:
            leftovers[path] = found
    assert leftovers == {}


def test_other_areas_pages_in_english(client, english_forum):
    """Pages of the areas built in parallel (privacy, regroupement, restitution, grid, workshops)."""
    event_id = english_forum["id"]
    leftovers = {}
    for path in (f"/e/{event_id}/donnees", f"/organiser/events/{event_id}/regroupement",
                 f"/organiser/events/{event_id}/restitution", f"/organiser/events/{event_id}/grille",
                 f"/organiser/events/{event_id}/workshops", f"/e/{event_id}/programme", f"/e/{event_id}/workshops"):
        response = client.get(path, headers=EN)
        assert response.status_code == 200, path
        found = french_in(response.get_data(as_text=True))
        if found:
            leftovers[path] = found
    assert leftovers == {}

