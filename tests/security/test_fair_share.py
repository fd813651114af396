"""Fair share: API reads are limited per caller (not per address), topics per forum and per participant."""
from __future__ import annotations

from tests.conftest import error_of


def test_api_reads_are_limited_per_caller_not_per_address(limited_app, make_event, make_participant):
    limited_app.config["API_READ_LIMIT"] = "10 per minute"
    event = make_event()
    reader, neighbour = make_participant(event), make_participant(event)
    client = limited_app.test_client()
    url = f"/api/v1/events/{event['id']}/proposals"

    codes = [client.get(url, headers=reader["headers"]).status_code for _ in range(12)]

    assert codes == [200] * 10 + [429] * 2
    assert error_of(client.get(url, headers=reader["headers"])) == (429, "rate_limited")
    # the same venue address, another phone: served
    assert client.get(url, headers=neighbour["headers"]).status_code == 200
    # the limit covers the whole API, one budget per caller
    assert client.get(f"/api/v1/events/{event['id']}/results", headers=reader["headers"]).status_code == 429


def test_pages_are_not_counted_as_api_reads(limited_app, make_event):
    limited_app.config["API_READ_LIMIT"] = "2 per minute"
    event = make_event()
    client = limited_app.test_client()

    assert [client.get(f"/j/{event['join_code']}").status_code for _ in range(4)] == [200] * 4


def test_topics_per_participant_are_capped_with_a_clear_error(app, client, make_event, make_participant):
    app.config["MAX_TOPICS_PER_PARTICIPANT"] = 3
    event = make_event()
    author, other = make_participant(event), make_participant(event)
    url = f"/api/v1/events/{event['id']}/proposals"

    codes = [client.post(url, json={"title": f"Sujet {i}"}, headers=author["headers"]).status_code for i in range(4)]
    refused = client.post(url, json={"title": "Encore un"}, headers=author["headers"])

    assert codes == [201, 201, 201, 409]
    assert error_of(refused) == (409, "too_many_topics_by_you")
    assert "3" in refused.get_json()["error"]["message"]
    assert client.post(url, json={"title": "Le mien"}, headers=other["headers"]).status_code == 201
    listed = client.get(url, headers=other["headers"]).get_json()["proposals"]
    assert len(listed) == 4


def test_topics_per_forum_are_capped_for_everyone(app, client, make_event, make_participant):
    app.config["MAX_TOPICS_PER_FORUM"] = 2
    event = make_event()
    phones = [make_participant(event) for _ in range(3)]
    url = f"/api/v1/events/{event['id']}/proposals"

    codes = [client.post(url, json={"title": f"Sujet {i}"}, headers=p["headers"]).status_code
             for i, p in enumerate(phones)]
    by_organiser = client.post(url, json={"title": "Sujet de l'équipe"}, headers=event["organiser"]["headers"])

    assert codes == [201, 201, 409]
    assert error_of(by_organiser) == (409, "too_many_topics")
