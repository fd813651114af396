"""Accounts and access: join-code guessing, login throttles, argon2 passwords, logout, token entropy."""
from __future__ import annotations

import base64

from werkzeug.security import generate_password_hash

from barcamp.accounts.models import Organiser
from barcamp.common.db import write_transaction
from barcamp.extensions import db
from tests.conftest import error_of
from tests.security.conftest import login

NS = "/live"


def _from(address: str) -> dict:
    return {"REMOTE_ADDR": address}


# -- join codes -------------------------------------------------------------------------------------
def test_past_30_wrong_codes_an_address_is_slowed_not_locked_out(limited_app, make_event):
    """A guesser that hurries is refused without its codes being looked up; the room still joins."""
    event = make_event()
    limited_app.config.update(JOIN_CODE_PACE="1 per minute", JOIN_CODE_PACE_WAIT=0)
    client = limited_app.test_client()
    guesses = [client.post("/api/v1/join", json={"code": f"ZZZZ{i:02d}"}, environ_base=_from("10.0.0.1"))
               for i in range(30)]
    assert [r.status_code for r in guesses] == [404] * 30
    # slowed: the next code takes the address's one slot; a wrong one is refused and counted
    assert error_of(client.post("/api/v1/join", json={"code": "ZZZZ99"},
                                environ_base=_from("10.0.0.1"))) == (429, "too_many_attempts")
    # no slot left: refused before the lookup, so a right code teaches a guesser nothing
    assert error_of(client.post("/api/v1/join", json={"code": event["join_code"]},
                                environ_base=_from("10.0.0.1"))) == (429, "too_many_attempts")
    assert client.get(f"/j/{event['join_code']}", environ_base=_from("10.0.0.1")).status_code == 429
    assert client.post("/", data={"code": event["join_code"]}, environ_base=_from("10.0.0.1")).status_code == 429
    # another address is not affected
    assert client.post("/api/v1/join", json={"code": event["join_code"]},
                       environ_base=_from("10.0.0.2")).status_code == 201


def test_200_joins_interleaved_with_40_wrong_codes_from_one_address_all_succeed(limited_app, make_event):
    """Issue 14: past its free mistakes (30, and one per 20 joins) the venue's address is paced, not refused."""
    event = make_event()
    limited_app.config.update(JOIN_CODE_PACE="50 per second")
    client = limited_app.test_client()

    def join(i):
        return client.post("/api/v1/join", json={"code": event["join_code"], "name": f"P{i}"},
                           environ_base=_from("10.0.0.9"))

    joins = [join(i) for i in range(100)]
    # someone on the venue's Wi-Fi tries 40 codes: 30 free, and 5 more for the 100 people who joined
    wrong = [client.post("/api/v1/join", json={"code": f"QQQQ{i:02d}"}, environ_base=_from("10.0.0.9"))
             for i in range(40)]
    joins += [join(i) for i in range(100, 200)]  # the room goes on joining, paced while the address is slowed

    assert [r.status_code for r in joins] == [201] * 200
    assert [r.status_code for r in wrong] == [404] * 35 + [429] * 5
    assert {error_of(r)[1] for r in wrong[35:]} == {"too_many_attempts"}


def test_failed_codes_on_the_join_link_and_the_code_form_count_too(limited_app, make_event):
    make_event()
    client = limited_app.test_client()
    statuses = [client.get(f"/j/ZZZZ{i:02d}", environ_base=_from("10.0.0.3")).status_code for i in range(15)]
    statuses += [client.post("/", data={"code": f"YYYY{i:02d}"}, environ_base=_from("10.0.0.3")).status_code
                 for i in range(15)]
    assert statuses == [404] * 15 + [200] * 15  # the form shows its message
    assert client.post("/", data={"code": "YYYY99"}, environ_base=_from("10.0.0.3")).status_code == 429


def test_a_whole_venue_behind_one_address_can_join_while_some_mistype(limited_app, make_event):
    event = make_event()
    client = limited_app.test_client()
    statuses = []
    for i in range(150):
        code = event["join_code"] if i % 6 else "QQQQQQ"  # 25 typos among 150 phones, one Wi-Fi address
        statuses.append(client.post("/api/v1/join", json={"code": code}, environ_base=_from("10.0.0.4")).status_code)
    assert statuses.count(201) == 125 and statuses.count(404) == 25 and 429 not in statuses


# -- login -------------------------------------------------------------------------------------------
def test_wrong_passwords_slow_that_account_from_that_address_but_never_its_usual_browser(limited_app,
                                                                                         make_organiser):
    victim, other = make_organiser(), make_organiser()
    right = {"email": victim["email"], "password": victim["password"]}
    usual = limited_app.test_client()  # the organiser's laptop, on the venue's Wi-Fi
    assert usual.post("/organiser/login", data=right, environ_base=_from("10.1.0.1")).status_code == 302
    usual.post("/organiser/logout", environ_base=_from("10.1.0.1"))
    guesser = limited_app.test_client()  # someone in the room, on the same Wi-Fi
    for i in range(10):
        response = guesser.post("/organiser/login", data={"email": victim["email"], "password": f"essai-{i}"},
                                environ_base=_from("10.1.0.1"))
        assert response.status_code == 200 and "E-mail ou mot de passe incorrect." in response.get_data(as_text=True)
    # that account from that address is slowed down: even the right password waits (429) ...
    assert guesser.post("/organiser/login", data=right, environ_base=_from("10.1.0.1")).status_code == 429
    assert error_of(guesser.post("/api/v1/auth/token", json=right,
                                 environ_base=_from("10.1.0.1"))) == (429, "rate_limited")
    # ... but not from the organiser's usual browser, nor from elsewhere (nobody locks them out)
    assert usual.post("/organiser/login", data=right, environ_base=_from("10.1.0.1")).status_code == 302
    assert limited_app.test_client().post("/organiser/login", data=right,
                                          environ_base=_from("10.1.9.9")).status_code == 302
    # another account logs in normally from the guesser's address
    assert guesser.post("/organiser/login", data={"email": other["email"], "password": other["password"]},
                        environ_base=_from("10.1.0.1")).status_code == 302


def test_a_forged_usual_browser_cookie_is_worth_nothing(limited_app, make_organiser):
    victim = make_organiser()
    guesser = limited_app.test_client()
    guesser.set_cookie("barcamp_device", "WyJhYmMiXQ.forged.signature")
    statuses = [guesser.post("/organiser/login", data={"email": victim["email"], "password": f"x-{i}"},
                             environ_base=_from("10.1.2.1")).status_code for i in range(11)]
    assert statuses == [200] * 10 + [429]


def test_login_is_throttled_per_address_after_30_failures(limited_app, make_organiser):
    accounts = [make_organiser() for _ in range(4)]
    client = limited_app.test_client()
    for i in range(30):  # eight tries on each account: under the per-account limit
        account = accounts[i % 4]
        response = client.post("/api/v1/auth/token", json={"email": account["email"], "password": f"x-{i}"},
                               environ_base=_from("10.2.0.1"))
        assert response.status_code == 401
    right = {"email": accounts[0]["email"], "password": accounts[0]["password"]}
    assert client.post("/api/v1/auth/token", json=right, environ_base=_from("10.2.0.1")).status_code == 429
    assert client.post("/api/v1/auth/token", json=right, environ_base=_from("10.2.0.2")).status_code == 200


def test_successful_logins_do_not_count_toward_the_failure_limits(limited_app, make_organiser):
    organiser = make_organiser()
    client = limited_app.test_client()
    right = {"email": organiser["email"], "password": organiser["password"]}
    statuses = {client.post("/api/v1/auth/token", json=right, environ_base=_from("10.3.0.1")).status_code
                for _ in range(25)}
    assert statuses == {200}


# -- passwords ---------------------------------------------------------------------------------------
def test_passwords_are_stored_as_argon2id(app, make_organiser):
    organiser = make_organiser(password="un-mot-de-passe")
    with app.app_context():
        stored = db.session.get(Organiser, organiser["id"]).password_hash
    assert stored.startswith("$argon2id$v=19$m=1024,t=1,p=1$")
    assert "un-mot-de-passe" not in stored


def test_a_werkzeug_hash_is_upgraded_to_argon2id_at_the_first_right_login(app, client, make_organiser):
    organiser = make_organiser(password="ancien-mot-de-passe")
    with app.app_context(), write_transaction():
        db.session.get(Organiser, organiser["id"]).password_hash = generate_password_hash("ancien-mot-de-passe")
    # a wrong password keeps the old hash
    assert client.post("/api/v1/auth/token", json={"email": organiser["email"], "password": "faux"}).status_code == 401
    with app.app_context():
        assert db.session.get(Organiser, organiser["id"]).password_hash.startswith("scrypt:")
    response = client.post("/api/v1/auth/token", json={"email": organiser["email"], "password": "ancien-mot-de-passe"})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.get(Organiser, organiser["id"]).password_hash.startswith("$argon2id$")
    again = client.post("/api/v1/auth/token", json={"email": organiser["email"], "password": "ancien-mot-de-passe"})
    assert again.status_code == 200


# -- logout ------------------------------------------------------------------------------------------
def test_logout_ends_the_session_cookie_tokens_and_live_sockets(app, client, make_organiser, make_event,
                                                                socket_client):
    organiser = make_organiser()
    event = make_event(organiser=organiser)
    login(client, organiser)
    stolen_cookie = client.get_cookie("session").value
    dashboard = client.get(f"/organiser/events/{event['id']}")
    assert dashboard.status_code == 200
    page_token = dashboard.get_data(as_text=True).split('data-live-token="', 1)[1].split('"', 1)[0]
    api_token = client.post("/api/v1/auth/token",
                            json={"email": organiser["email"], "password": organiser["password"]}).get_json()["token"]
    sockets = [socket_client(page_token), socket_client(api_token)]
    for sc in sockets:
        assert sc.emit("join", {"event_id": event["id"]}, namespace=NS, callback=True)["ok"] is True

    assert client.post("/organiser/logout").status_code == 302

    assert [sc.is_connected(NS) for sc in sockets] == [False, False]
    # a copy of the old cookie no longer opens organiser pages
    replay = app.test_client()
    replay.set_cookie("session", stolen_cookie)
    assert replay.get(f"/organiser/events/{event['id']}").status_code == 302
    # tokens issued before the logout are refused by the API and the socket
    me = client.get(f"/api/v1/events/{event['id']}", headers={"Authorization": f"Bearer {api_token}"})
    assert error_of(me) == (401, "unauthorized")
    assert socket_client(page_token).is_connected(NS) is False
    # logging in again works
    login(client, organiser)
    assert client.get(f"/organiser/events/{event['id']}").status_code == 200


def test_a_socket_of_a_logged_out_organiser_on_another_worker_is_refused_at_its_next_event(
        app, make_organiser, make_event, socket_client):
    """Another worker cannot be reached by the logout's disconnect: the stored session id stops it."""
    organiser = make_organiser()
    event = make_event(organiser=organiser)
    sc = socket_client(organiser["token"])
    with app.app_context(), write_transaction():
        db.session.get(Organiser, organiser["id"]).end_sessions()  # as a logout elsewhere does
    ack = sc.emit("join", {"event_id": event["id"]}, namespace=NS, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "session_ended"


# -- token entropy -----------------------------------------------------------------------------------
def _random_bytes(token: str, prefix: str) -> int:
    body = token[len(prefix):]
    return len(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def test_participant_and_projector_tokens_carry_at_least_128_random_bits(client, make_event):
    event = make_event()
    tokens = [client.post("/api/v1/join", json={"code": event["join_code"]}).get_json()["token"] for _ in range(20)]
    assert len(set(tokens)) == 20
    assert min(_random_bytes(t, "p_") for t in tokens) * 8 >= 128
    assert _random_bytes(event["projector_token"], "") * 8 >= 128
