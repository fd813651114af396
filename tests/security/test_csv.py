"""CSV formula injection: user text starting with = + - @ never reaches a spreadsheet as a formula."""
from __future__ import annotations

import csv
import io

from tests.security.conftest import login

FORMULAS = ['=HYPERLINK("http://evil.example","clic")', "+1+1 somme", "-2+3 moins", "@SUM(A1:A9)",
            "\t=1+1 tab", "=cmd|' /C calc'!A0"]
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def _cells(body: bytes) -> list[str]:
    text = body.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def test_every_csv_export_neutralises_formulas(app, client, make_organiser, make_event, make_participant,
                                                make_proposal, set_phase):
    organiser = make_organiser()
    event = make_event(organiser=organiser, voting={"mode": "approval"})
    voter = make_participant(event, name="=1+2 nom")
    topics = [make_proposal(event, voter, title=title) for title in FORMULAS]
    set_phase(event, "voting")
    for topic in topics:
        assert client.put(f"/api/v1/events/{event['id']}/votes/{topic}", json={"value": 1},
                          headers=voter["headers"]).status_code == 200
    set_phase(event, "closed")
    headers = event["organiser"]["headers"]
    assert client.put(f"/api/v1/events/{event['id']}/restitution", json={"include_names": True},
                      headers=headers).status_code == 200
    login(client, organiser)
    exports = {
        "restitution API": client.get(f"/api/v1/events/{event['id']}/export?format=csv", headers=headers),
        "restitution page": client.get(f"/organiser/events/{event['id']}/restitution/export?format=csv"),
        "ballots API": client.get(f"/api/v1/events/{event['id']}/ballots?format=csv", headers=headers),
        "ballots page": client.get(f"/organiser/events/{event['id']}/ballots.csv"),
    }
    for name, response in exports.items():
        assert response.status_code == 200 and response.mimetype == "text/csv", name
        cells = _cells(response.data)
        assert [c for c in cells if c.startswith(DANGEROUS)] == [], name
        # the text is still there, behind a quote
        assert "'" + FORMULAS[0] in cells and "'" + FORMULAS[3] in cells, (name, cells[:20])
