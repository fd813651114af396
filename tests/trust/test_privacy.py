"""Privacy by design: notice, secret ballot, retention and purge, self-deletion, account export and deletion."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from barcamp.extensions import db
from tests.conftest import error_of
from tests.trust.conftest import phase


def policy(client, forum, **changes):
    headers = forum["organiser"]["headers"]
    if changes:
        response = client.put(f"/api/v1/events/{forum['id']}/privacy", json=changes, headers=headers)
        assert response.status_code == 200, response.get_json()
        return response.get_json()
    return client.get(f"/api/v1/events/{forum['id']}/privacy", headers=headers).get_json()


# -- information notice ---------------------------------------------------------------------------
def test_join_page_carries_the_information_notice(client, make_event):
    # retention runs from the later of the start date and the creation date: a future start date
    # keeps the expected end independent of the day the test runs
    event = make_event(starts_at="2030-03-15T09:00:00+00:00")
    policy(client, event, organisation="Département des Alpes-Maritimes", retention_months=6)

    page = client.get(f"/j/{event['join_code']}").get_data(as_text=True)

    assert "Vos données" in page
    assert "Ce forum est organisé par Département des Alpes-Maritimes." in page
    assert "jusqu'au 15/09/2030" in page
    assert "Mes données" in page


def test_default_policy_is_twelve_months_threshold_three(client, make_event):
    event = make_event()

    body = policy(client, event)

    assert body["retention_months"] == 12
    assert body["report_threshold"] == 3
    assert body["secret_ballot"] is False


# -- secret ballot ------------------------------------------------------------------------------------
def test_secret_ballot_unlinks_ballots_at_close_and_counts_stay_exact(app, client, voted_forum, fresh_db,
                                                                     barcamp_cli):
    forum = voted_forum()
    policy(client, forum) and None
    with app.app_context():
        from barcamp.privacy.policy import ensure_policy
        from barcamp.common.db import write_transaction

        with write_transaction():
            ensure_policy(forum["id"]).secret_ballot = True  # set before the vote in real life (see next test)
    headers = forum["organiser"]["headers"]
    before = client.get(f"/api/v1/events/{forum['id']}/results", headers=headers).get_json()
    voter_ids = [v["id"] for v in forum["voters"]]

    phase(app, forum, "closed")

    linked = fresh_db("SELECT count(*) FROM ballots WHERE participant_id IN (:a, :b, :c)",
                      a=voter_ids[0], b=voter_ids[1], c=voter_ids[2])
    assert linked == [(0,)]
    assert fresh_db("SELECT count(*), sum(value) FROM ballots WHERE event_id = :e", e=forum["id"]) == [(5, 7)]
    after = client.get(f"/api/v1/events/{forum['id']}/results", headers=headers).get_json()
    assert after == before
    mine = client.get(f"/api/v1/events/{forum['id']}/votes/mine", headers=forum["voters"][0]["headers"]).get_json()
    assert mine["votes"] == {}
    result = barcamp_cli("recount", str(forum["id"]))
    assert result.exit_code == 0 and "OK" in result.output
    dashboard_count = fresh_db("SELECT count(*) FROM participants WHERE event_id = :e AND kind = 'PERSON'",
                               e=forum["id"])
    assert dashboard_count == [(3,)]
    assert policy(client, forum)["ballots_sealed"] is True


def test_secret_ballot_stand_in_voters_are_in_no_count(app, client, voted_forum, fresh_db):
    forum = voted_forum()
    with app.app_context():
        from barcamp.common.db import write_transaction
        from barcamp.privacy.policy import ensure_policy

        with write_transaction():
            ensure_policy(forum["id"]).secret_ballot = True
    phase(app, forum, "closed")
    headers = forum["organiser"]["headers"]

    export = client.get(f"/api/v1/events/{forum['id']}/export?format=json", headers=headers).get_json()
    with app.app_context():
        from barcamp.events.models import Event
        from barcamp.participants.services import count_participants
        from barcamp.privacy.retention import archive_of

        dashboard = count_participants(forum["id"])
        archived = archive_of(db.session.get(Event, forum["id"]))["participants"]

    assert (export["intro"]["participants"], export["intro"]["profiles"]) == (
        3, [{"key": "none", "label": "Non renseigné", "count": 3}])
    assert (dashboard, archived) == (3, 3)
    assert fresh_db("SELECT kind, count(*) FROM participants WHERE event_id = :e GROUP BY kind ORDER BY kind",
                    e=forum["id"]) == [("PERSON", 3), ("STAND_IN", 3)]


def test_secret_ballot_one_ballot_constraint_still_holds_while_voting(client, make_event, make_participant,
                                                                      make_proposal, fresh_db):
    event = make_event(phase="proposals")
    policy(client, event, secret_ballot=True)
    topic = make_proposal(event)
    voter = make_participant(event)
    client.put(f"/api/v1/events/{event['id']}/phase", json={"phase": "voting"}, headers=event["organiser"]["headers"])

    for value in (1, 2, 2, 1):
        assert client.put(f"/api/v1/events/{event['id']}/votes/{topic}", json={"value": value},
                          headers=voter["headers"]).status_code == 200

    assert fresh_db("SELECT participant_id, value FROM ballots") == [(voter["id"], 1)]


def test_secret_ballot_cannot_change_once_voting_opened(client, make_event, caplog):
    event = make_event(phase="voting")

    response = client.put(f"/api/v1/events/{event['id']}/privacy", json={"secret_ballot": True},
                          headers=event["organiser"]["headers"])

    assert error_of(response) == (409, "rules_frozen")
    assert policy(client, event)["secret_ballot"] is False
    assert any("secret ballot change" in r.getMessage() for r in caplog.records)


# -- retention and purge ------------------------------------------------------------------------------
def _age(app, forum, days: int):
    from sqlalchemy import text

    with app.app_context():
        db.session.execute(text("UPDATE events SET created_at = :t, starts_at = NULL WHERE id = :e"),
                           {"t": datetime.now(UTC) - timedelta(days=days), "e": forum["id"]})
        db.session.commit()


def test_purge_erases_personal_data_and_keeps_aggregated_results(app, client, voted_forum, make_participant,
                                                                 fresh_db, barcamp_cli):
    forum = voted_forum()
    fresh = voted_forum()  # younger than its retention period: untouched
    headers = forum["organiser"]["headers"]
    results = client.get(f"/api/v1/events/{forum['id']}/results", headers=headers).get_json()
    phase(app, forum, "closed")
    _age(app, forum, 400)

    result = barcamp_cli("purge")

    assert result.exit_code == 0, result.output
    assert "barcamp: 1 forum(s) purged" in result.output
    e = forum["id"]
    for table in ("participants", "ballots", "proposals", "quiz_answers", "reports"):
        assert fresh_db(f"SELECT count(*) FROM {table} WHERE event_id = :e", e=e) == [(0,)], table
    assert fresh_db("SELECT count(*) FROM participants WHERE event_id = :e", e=fresh["id"]) == [(3,)]
    assert fresh_db("SELECT count(*) FROM ballots WHERE event_id = :e", e=fresh["id"]) == [(5,)]
    title, phase_now = fresh_db("SELECT title, phase FROM events WHERE id = :e", e=e)[0]
    assert (title, phase_now) == ("Forum de test", "CLOSED")
    stored = fresh_db("SELECT archive FROM event_policies WHERE event_id = :e", e=e)[0][0]
    archive = stored if isinstance(stored, dict) else json.loads(stored)  # PostgreSQL decodes JSON itself
    assert archive["participants"] == 3
    assert archive["results"]["ranking"] == [
        {k: row[k] for k in ("rank", "title", "score", "voters", "grade")} for row in results["ranking"]]
    # the join code no longer admits anyone
    assert client.get(f"/j/{fresh_db('SELECT join_code FROM events WHERE id = :e', e=e)[0][0]}").status_code == 404
    assert barcamp_cli("purge").output.strip() == "barcamp: 0 forum(s) purged"


def test_purge_respects_each_forums_retention_period(app, client, voted_forum, barcamp_cli):
    short, long = voted_forum(), voted_forum()
    policy(client, short, retention_months=1)
    policy(client, long, retention_months=24)
    for forum in (short, long):
        _age(app, forum, 60)

    result = barcamp_cli("purge", "--dry-run")

    assert result.output.strip() == f"would purge forum {short['id']} (Forum de test)"


def test_daily_purge_task_purges_expired_forums(app, voted_forum, fresh_db):
    from barcamp.privacy.tasks import run_purge_once

    forum = voted_forum()
    _age(app, forum, 400)

    assert run_purge_once(app) == 1
    assert fresh_db("SELECT count(*) FROM participants WHERE event_id = :e", e=forum["id"]) == [(0,)]


# -- a participant erases themselves ----------------------------------------------------------------------
def test_participant_erases_own_contributions_while_voting(client, voted_forum, fresh_db):
    forum = voted_forum()
    me = forum["voters"][0]  # author of topic 0, voted 2 on topic 0 and 1 on topic 1

    response = client.delete(f"/api/v1/events/{forum['id']}/me", headers=me["headers"])

    assert response.status_code == 200
    assert response.get_json() == {"topics": [forum["topics"][0]], "votes_withdrawn": 2, "votes_kept_anonymously": 0,
                                   "quiz_answers": 0, "cards": 0, "workshops": []}
    assert fresh_db("SELECT count(*) FROM participants WHERE id = :p", p=me["id"]) == [(0,)]
    assert fresh_db("SELECT title, description, status, author_id FROM proposals WHERE id = :t",
                    t=forum["topics"][0]) == [("—", "", "WITHDRAWN", None)]
    results = client.get(f"/api/v1/events/{forum['id']}/results", headers=forum["organiser"]["headers"]).get_json()
    assert [(r["proposal_id"], r["score"]) for r in results["ranking"]] == [(forum["topics"][2], 2),
                                                                             (forum["topics"][1], 1)]
    assert client.get(f"/api/v1/events/{forum['id']}/votes/mine", headers=me["headers"]).status_code == 401


def test_participant_erased_after_close_keeps_the_count_without_the_link(app, client, voted_forum, fresh_db):
    forum = voted_forum()
    me = forum["voters"][1]
    headers = forum["organiser"]["headers"]
    phase(app, forum, "closed")
    before = client.get(f"/api/v1/events/{forum['id']}/results", headers=headers).get_json()

    body = client.delete(f"/api/v1/events/{forum['id']}/me", headers=me["headers"]).get_json()

    assert body["votes_kept_anonymously"] == 2 and body["votes_withdrawn"] == 0
    assert fresh_db("SELECT count(*) FROM ballots WHERE participant_id = :p", p=me["id"]) == [(0,)]
    after = client.get(f"/api/v1/events/{forum['id']}/results", headers=headers).get_json()
    # topic 1 was withdrawn with its author's erasure; the others keep their exact counts
    assert [r for r in after["ranking"] if r["proposal_id"] != forum["topics"][1]] == [
        {**r, "rank": r["rank"] if r["rank"] == 1 else 2} for r in before["ranking"]
        if r["proposal_id"] != forum["topics"][1]]


def test_erase_page_on_the_phone(client, make_event):
    event = make_event()
    client.post(f"/j/{event['join_code']}", data={"name": "Chloé", "profile": ""})

    page = client.get(f"/e/{event['id']}/donnees")
    assert page.status_code == 200
    assert "Effacer ma participation" in page.get_data(as_text=True)
    response = client.post(f"/e/{event['id']}/donnees", data={})

    assert response.status_code == 302
    assert client.get(f"/e/{event['id']}").headers["Location"].endswith(f"/j/{event['join_code']}")


# -- an organiser's account ---------------------------------------------------------------------------------------
def test_organiser_export_has_no_participant_identifiers_by_default(client, voted_forum):
    forum = voted_forum()
    headers = forum["organiser"]["headers"]

    body = client.get("/api/v1/organiser/export", headers=headers).get_json()

    assert body["account"]["email"] == forum["organiser"]["email"]
    assert [f["id"] for f in body["forums"]] == [forum["id"]]
    dumped = json.dumps(body)
    assert "Votant" not in dumped and "author" not in dumped and "ballots" not in body["forums"][0]
    assert "participant_id" not in dumped
    with_ids = client.get("/api/v1/organiser/export?participants=1", headers=headers).get_json()
    assert len(with_ids["forums"][0]["ballots"]) == 5


def test_organiser_deletes_account_and_forums(client, voted_forum, fresh_db):
    forum = voted_forum()
    other = voted_forum()
    headers = forum["organiser"]["headers"]

    assert error_of(client.delete("/api/v1/organiser", json={"password": "faux"}, headers=headers)) == (
        401, "bad_credentials")
    response = client.delete("/api/v1/organiser", json={"password": forum["organiser"]["password"]}, headers=headers)

    assert response.status_code == 204
    assert fresh_db("SELECT id FROM events") == [(other["id"],)]
    assert fresh_db("SELECT count(*) FROM organisers WHERE id = :o", o=forum["organiser"]["id"]) == [(0,)]
    for table in ("participants", "ballots", "proposals"):
        assert fresh_db(f"SELECT count(*) FROM {table} WHERE event_id = :e", e=forum["id"]) == [(0,)], table
    assert fresh_db("SELECT count(*) FROM ballots WHERE event_id = :e", e=other["id"]) == [(5,)]


def test_erasure_then_merge_undo_restores_only_the_remaining_voters(client, make_event, make_participant,
                                                                    make_proposal, cast, fresh_db):
    """The merge's stored ballots of before lose the erased voter too: the undo neither fails on the
    missing participant nor brings their vote back."""
    event = make_event(phase="voting", voting={"mode": "dots", "dots": 3, "max_per_proposal": 2})
    t1, t2 = make_proposal(event, title="Sujet 1"), make_proposal(event, title="Sujet 2")
    leaving, staying = make_participant(event), make_participant(event)
    cast(event, leaving, t1, 2)
    cast(event, staying, t1, 1)
    headers = event["organiser"]["headers"]
    merge = client.post(f"/api/v1/events/{event['id']}/proposals/merge",
                        json={"into": t1, "proposal_ids": [t2], "title": "Regroupés"}, headers=headers).get_json()
    assert client.delete(f"/api/v1/events/{event['id']}/me", headers=leaving["headers"]).status_code == 200

    undone = client.post(f"/api/v1/events/{event['id']}/merges/{merge['id']}/undo", headers=headers)

    assert undone.status_code == 200, undone.get_json()
    assert fresh_db("SELECT participant_id, value FROM ballots WHERE proposal_id = :t", t=t1) == [(staying["id"], 1)]
    stored = fresh_db("SELECT previous_ballots FROM merges")[0][0]
    stored = json.loads(stored) if isinstance(stored, str) else stored  # SQLite: text; PostgreSQL: decoded JSON
    assert [voter for voter, _value, _at in stored] == [staying["id"]]
