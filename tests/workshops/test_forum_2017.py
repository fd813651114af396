"""The 2017 forum rebuilt through the API: four workshops with their cards, numbers and dots."""
from __future__ import annotations

from tests.workshops.forum_2017 import WORKSHOPS, build_forum_2017, expected_dots


def test_build_forum_2017_creates_the_four_workshops_with_their_cards(client, make_organiser):
    organiser = make_organiser()

    forum = build_forum_2017(client, organiser["headers"])

    listing = client.get(f"/api/v1/events/{forum['event_id']}/workshops", headers=organiser["headers"]).get_json()
    assert [w["title"] for w in listing["workshops"]] == [w[0] for w in WORKSHOPS]
    assert [w["proposal_ids"] for w in listing["workshops"]] == [[pid] for pid in forum["proposal_ids"]]
    dots = expected_dots()
    for index, (workshop, spec) in enumerate(zip(forum["workshops"], WORKSHOPS)):
        board = client.get(f"/api/v1/workshops/{workshop['id']}", headers=organiser["headers"]).get_json()
        by_section = {s["key"]: s["cards"] for s in board["sections"]}
        cards = [c for s in board["sections"] for c in s["cards"]]
        assert [c["text"] for c in cards] == [card[1] for card in spec[3]]
        proposals = by_section["propositions"]
        assert [c["number"] for c in proposals] == list(range(1, len(proposals) + 1))
        assert [c["gain"] for c in proposals] == [card[2] for card in spec[3] if card[0] == "propositions"]
        assert {(index, c["number"]): c["dots"] for c in proposals if c["dots"]} == {
            k: v for k, v in dots.items() if k[0] == index}
