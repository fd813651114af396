"""An attached resource reaches the workshop board and every restitution export ("Pour aller plus loin")."""
from __future__ import annotations

import io
import json

import pytest

from barcamp.restitution.exports import FORMATS
from barcamp.restitution.services import assemble

TITLE = "Faire du design de service public, oui, mais comment ?"
URL = "http://www.lagazettedescommunes.com/517311/faire-du-design-de-service-public-oui-mais-comment/?abo=1"


@pytest.fixture
def attached(client, forum_with_workshop):
    forum = forum_with_workshop
    response = client.put(f"/api/v1/workshops/{forum['workshop']}/resources", headers=forum["headers"],
                          json={"resource_ids": ["design-public-05"]})
    assert response.status_code == 200
    return forum


def _render(app, event_id: int, key: str) -> bytes:
    with app.app_context():
        return FORMATS[key].render(assemble(event_id))


def _text(key: str, data: bytes) -> str:
    if key == "pdf":
        from pypdf import PdfReader

        return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    if key == "docx":
        from docx import Document

        return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    return data.decode("utf-8-sig")


def test_attached_resource_shows_on_the_workshop_board(client, attached):
    event_id, wid = attached["event"]["id"], attached["workshop"]
    page = client.get(f"/organiser/events/{event_id}/workshops/{wid}")
    if page.status_code in (302, 401):  # the organiser board needs the page login
        organiser = attached["event"]["organiser"]
        client.post("/organiser/login", data={"email": organiser["email"], "password": organiser["password"]})
        page = client.get(f"/organiser/events/{event_id}/workshops/{wid}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<h2 id=\"further-%d\">Pour aller plus loin</h2>" % wid in html
    assert TITLE in html and URL.replace("&", "&amp;") in html


@pytest.mark.parametrize("key", ["md", "html", "pdf", "docx", "json", "csv"])
def test_attached_resource_is_in_every_export(app, attached, key):
    text = _text(key, _render(app, attached["event"]["id"], key))
    assert "Pour aller plus loin" in text or key in ("json", "csv")
    assert TITLE in text
    if key != "pdf":  # the PDF wraps long links
        assert URL in text


def test_csv_export_has_a_row_per_resource_of_a_workshop(app, attached):
    import csv

    rows = list(csv.DictReader(io.StringIO(_render(app, attached["event"]["id"], "csv").decode("utf-8-sig"))))
    further = [row for row in rows if row["type"] == "pour_aller_plus_loin"]
    assert [(row["titre"], row["source"], row["date"], row["lien"]) for row in further] == [
        (TITLE, "lagazettedescommunes.com", "25/07/2017", URL)]
    assert further[0]["atelier"]


def test_json_export_carries_the_resource_fields(app, attached):
    doc = json.loads(_render(app, attached["event"]["id"], "json"))
    chapters = doc["chapters"]
    assert chapters[0]["further_reading"] == [{
        "title": TITLE, "author": "", "source": "lagazettedescommunes.com", "date": "25/07/2017", "url": URL,
        "summary": chapters[0]["further_reading"][0]["summary"]}]


def test_glossary_terms_in_board_cards_are_explained(client, forum_with_workshop):
    forum = forum_with_workshop
    card = client.post(f"/api/v1/workshops/{forum['workshop']}/cards", headers=forum["headers"],
                       json={"section": "constat", "text": "Un peu de Jugaad <i>et</i> de jugaad"})
    assert card.status_code == 201, card.get_json()
    organiser = forum["event"]["organiser"]
    client.post("/organiser/login", data={"email": organiser["email"], "password": organiser["password"]})
    html = client.get(f"/organiser/events/{forum['event']['id']}/workshops/{forum['workshop']}").get_data(as_text=True)
    glossary = f"/e/{forum['event']['id']}/glossaire#term-jugaad"
    assert html.count(glossary) == 1
    assert f'Un peu de <a class="glossary-term" href="{glossary}"' in html
    assert "&lt;i&gt;et&lt;/i&gt; de jugaad</p>" in html

