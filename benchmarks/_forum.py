"""What makes a benchmark look like a forum: realistic topics, phones that behave like live.js,
a join storm and a reconnect storm. Shared by live_votes.py, quiz_answers.py and flood.py.

Topics: a forum of 1,000–3,000 people proposes 60–200 topics; each here has a 55-character title
and a 280-character description in French, made from templates and a number (all distinct). By
default participants propose them (one author each, every third topic with a supporter, so that
the state a phone gets carries authors and co-proposers as in a real forum).

`Phone` is one simulated phone (the lean client of _phones.py by default) that behaves like
static/js/live.js and static/js/forum.js:
- it emits `join` on every connection, the first one and after each reconnection;
- when its connection drops it reconnects at once and joins again (full state);
- an action whose acknowledgement was lost with the connection (or that the phone wanted to
  send while it was offline) is sent again once it has joined again: a vote or a quiz answer is
  an absolute value, so sending it twice is harmless (forum.js resends a vote the same way).
  Two simplifications: the browser resends only after its 8 s ack timeout (here at once, after
  the join), and while offline it posts a vote with the plain HTML form (here it waits for the
  socket). An action refused (ok false) or timed out is
  not resent.

Join storm: every phone of a client process is connected first, then all the `join` emits of all
processes fire at one wall-clock instant (as after a Wi-Fi blip). Reconnect storm: a fraction of
the phones drop their WebSocket at one instant (no goodbye), reconnect at once and join again.
Every latency is send -> ack; an ack that never comes within the timeout counts as timed out and
as +infinity in the percentiles (a p99 then reads "timeout"), never as missing.
"""
from __future__ import annotations

import asyncio
import math
import random
import time

import requests

TITLE_CHARS = 55
DESCRIPTION_CHARS = 280
TAGS = ["mobilité", "numérique", "jeunesse", "écologie", "culture", "emploi", "santé", "solidarité"]

_SUBJECTS = [
    "Mobilité douce", "Tiers-lieux ruraux", "Numérique responsable", "Jardins partagés", "Alimentation locale",
    "Habitat participatif", "Budget participatif", "Accueil des nouveaux habitants", "Énergie citoyenne",
    "Culture de proximité", "Sport pour tous", "Santé mentale des jeunes", "Accès aux droits",
    "Réemploi et seconde main", "Covoiturage domicile-travail", "Inclusion numérique des aînés",
    "Eau et sécheresse", "Commerces de centre-bourg", "Lien entre générations", "Démocratie locale",
]
_ANGLES = [
    "comment passer de l'idée au projet concret", "qui fait quoi dans nos quartiers",
    "des solutions déjà testées ailleurs", "mutualiser les moyens entre communes",
    "impliquer les jeunes dès le départ", "financer sans attendre les subventions",
    "mesurer ce qui change vraiment pour les habitants", "un premier pas d'ici l'été prochain",
]
_OPENINGS = [
    "Sur notre territoire, {s} reste un sujet où beaucoup d'initiatives existent sans se connaître.",
    "Depuis deux ans, plusieurs associations travaillent sur {s} avec des moyens très limités.",
    "Lors des dernières réunions publiques, {s} est revenu dans presque toutes les discussions.",
    "Beaucoup d'habitants nous disent que {s} les concerne, mais ne savent pas à qui s'adresser.",
]
_MIDDLES = [
    "Je propose un atelier pour voir {a}, à partir d'exemples concrets et de nos besoins réels.",
    "L'idée : réunir élus, associations et habitants pour voir {a}, sans jargon ni langue de bois.",
    "Nous pourrions partager nos expériences, nos réussites et nos échecs, et voir {a}.",
]
_CLOSINGS = [
    "Objectif : repartir avec une feuille de route, trois actions prioritaires et des volontaires pour les "
    "porter (piste n° {n}).",
    "On pourrait aussi prévoir un temps de restitution au prochain conseil et un point d'étape dans six mois "
    "(piste n° {n}).",
]
_MORE = ("Toutes les expériences sont bienvenues, même celles qui n'ont pas marché : elles nous apprennent "
         "autant que les réussites. ")


def _fit(text: str, size: int) -> str:
    """Exactly `size` characters: `text` cut and ended with an ellipsis (never on a space)."""
    head = text[:size - 1]
    if head.endswith(" "):
        head = head[:-1] + ","
    return head + "…"


def topic_text(n: int) -> tuple[str, str]:
    """Title (55 characters) and description (280 characters) of topic number `n` (distinct for every n)."""
    subject = _SUBJECTS[n % len(_SUBJECTS)]
    angle = _ANGLES[(n // len(_SUBJECTS)) % len(_ANGLES)]
    title = _fit(f"{subject} ({n}) : {angle} ", TITLE_CHARS)
    lower = subject[0].lower() + subject[1:]
    description = " ".join([_OPENINGS[n % len(_OPENINGS)].format(s=lower),
                            _MIDDLES[n % len(_MIDDLES)].format(a=angle),
                            _CLOSINGS[n % len(_CLOSINGS)].format(n=n), _MORE * 3])
    return title, _fit(description, DESCRIPTION_CHARS)


def add_topics(url: str, event_id: int, organiser_headers: dict, join_code: str | None, count: int,
               seed: int = 7) -> list[int]:
    """Create `count` topics; return their ids in order.

    With a join code (the forum in its proposals phase) each topic is proposed by its own
    participant (POST /api/v1/join, then POST …/proposals with that token) and every third one
    gets a supporter (co-proposer); without one, the organiser creates them (the quiz's forum is
    in its icebreaker phase, where participants cannot propose). A refusal stops the run with the
    server's answer (e.g. a cap on topics per address: lift it for the benchmark)."""
    rng = random.Random(seed)
    api = f"{url}/api/v1"
    session = requests.Session()
    ids: list[int] = []
    authors: list[dict] = []
    for n in range(1, count + 1):
        title, description = topic_text(n)
        body = {"title": title, "description": description, "tags": rng.sample(TAGS, rng.randint(0, 2))}
        headers = organiser_headers
        if join_code:
            r = session.post(f"{api}/join", json={"code": join_code}, timeout=30)
            if r.status_code != 201:
                raise RuntimeError(f"topic author's join refused: {r.status_code} {r.text[:300]}")
            headers = {"Authorization": "Bearer " + r.json()["token"]}
            authors.append(headers)
        r = session.post(f"{api}/events/{event_id}/proposals", headers=headers, json=body, timeout=30)
        if r.status_code != 201:
            raise RuntimeError(f"topic {n} refused: {r.status_code} {r.text[:300]}")
        ids.append(r.json()["id"])
    if join_code and count > 1:
        for i in range(0, count, 3):
            supporter = authors[(i + 1) % count]
            r = session.put(f"{api}/events/{event_id}/proposals/{ids[i]}/support", headers=supporter, timeout=30)
            if r.status_code != 200:
                raise RuntimeError(f"support of topic {i + 1} refused: {r.status_code} {r.text[:300]}")
    session.close()
    return ids


# -- percentiles ------------------------------------------------------------------------------
def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (nan when empty); +inf values (timeouts) sort last."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))
    return ordered[index]


def _ms(value: float) -> float | str | None:
    if value != value:  # nan: no value
        return None
    if math.isinf(value):
        return "timeout"
    return round(value * 1000, 1)


def latency_summary(records: list[dict], prefix: str) -> dict:
    """p50/p95/p99/max (ms) of send -> ack over every attempt, timeouts as +inf; counts by outcome.

    A record: {"sent", "latency" (s, None if no ack), "error" (None if ok), "timed_out"}; those of
    phones that could not connect (NOT_CONNECTED) are only counted."""
    not_connected = sum(1 for r in records if r["error"] == NOT_CONNECTED)
    records = [r for r in records if r["error"] != NOT_CONNECTED]
    values = [r["latency"] if r["latency"] is not None else math.inf for r in records
              if r["error"] is None or r["timed_out"]]
    refused: dict[str, int] = {}
    for r in records:
        if r["error"] is not None and not r["timed_out"]:
            refused[r["error"]] = refused.get(r["error"], 0) + 1
    acked = [r for r in records if r["error"] is None]
    first_sent = min((r["sent"] for r in records), default=None)
    last_ack = max((r["sent"] + r["latency"] for r in acked), default=None)
    return {
        f"{prefix}_sent": len(records),
        f"{prefix}_not_connected": not_connected,
        f"{prefix}_acked": len(acked),
        f"{prefix}_timed_out": sum(1 for r in records if r["timed_out"]),
        f"{prefix}_refused": refused,
        f"{prefix}_p50_ms": _ms(percentile(values, 50)),
        f"{prefix}_p95_ms": _ms(percentile(values, 95)),
        f"{prefix}_p99_ms": _ms(percentile(values, 99)),
        f"{prefix}_max_ms": _ms(max(values)) if values else None,
        # from the first emit to the last ack received
        f"{prefix}_first_to_last_ack_s": round(last_ack - first_sent, 2) if acked else None,
    }


# -- phones -----------------------------------------------------------------------------------
async def http_join_all(url: str, code: str, count: int, urls: list[str] | None = None, seed: int = 0,
                        concurrency: int = 16) -> list[dict]:
    """POST /api/v1/join `count` times (bounded concurrency, like people scanning the QR code)."""
    import aiohttp

    participants: list[dict] = []
    urls = urls or [url]
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as http:
        gate = asyncio.Semaphore(concurrency)

        async def join_one(i: int):
            async with gate:
                async with http.post(f"{url}/api/v1/join", json={"code": code}) as r:
                    body = await r.json()
                    if r.status != 201:
                        raise RuntimeError(f"join refused: {r.status} {body}")
                    participants.append({"token": body["token"], "id": body["participant_id"],
                                         "url": urls[(seed + i) % len(urls)]})

        await asyncio.gather(*(join_one(i) for i in range(count)))
    return participants


class Phone:
    """One simulated phone on /live: connects, joins on every connection, reconnects when dropped."""

    def __init__(self, info: dict, event_id: int, client_kind: str = "lean", join_timeout: float = 30,
                 connect_attempts: int = 5) -> None:
        self.info = info  # {"token", "id", "url"}
        self.id = info["id"]
        self.event_id = event_id
        self.client_kind = client_kind
        self.join_timeout = join_timeout
        self.connect_attempts = connect_attempts
        self.client = None
        #: connected and its join answered (or failed): actions may be sent. A phone whose join was
        #: refused or timed out still votes, as the page does; the join figures count the failure.
        self.up = asyncio.Event()
        self.reconnecting: asyncio.Task | None = None
        self.reconnects: list[dict] = []  # one record per reconnection (storm or not)
        self.failed = ""  # why the phone gave up (could not reconnect)
        #: the forum version of its last join's state (the lean phone applies no message, so it holds
        #: that version's topics at least: a real phone, current with every message, is never behind it)
        self.version: int | None = None

    async def open(self) -> None:
        """A fresh connection (not joined yet)."""
        if self.client_kind == "lean":
            from _phones import LeanPhone

            client = LeanPhone()
            await client.connect(self.info["url"], "/live", {"token": self.info["token"]}, timeout=30)
        else:
            import socketio

            client = socketio.AsyncClient(reconnection=False, request_timeout=30)
            await client.connect(self.info["url"], namespaces=["/live"], transports=["websocket"],
                                 auth={"token": self.info["token"]}, wait_timeout=30)
        self.client = client

    async def join(self) -> dict:
        """Emit `join`; return {"sent", "latency", "error", "timed_out"}."""
        sent = time.time()
        record = {"sent": sent, "latency": None, "error": None, "timed_out": False}
        try:
            if self.client_kind == "lean":
                ask = {"event_id": self.event_id}
                if self.version is not None:  # a phone joining again says which version it holds (live.js)
                    ask["version"] = str(self.version)
                ack = await self.client.call("join", ask, timeout=self.join_timeout, light=True)
                received = ack["received_at"]
                self.version = ack.get("version") or self.version
            else:
                ack = await self.client.call("join", {"event_id": self.event_id}, namespace="/live",
                                             timeout=self.join_timeout)
                received = time.time()
            if ack.get("ok"):
                record["latency"] = received - sent
                record["bytes"] = ack.get("bytes")  # the lean phone's: the state's size on the wire
            else:
                record["error"] = (ack.get("error") or {}).get("code", "refused")
        except asyncio.TimeoutError:
            record.update(error="timeout", timed_out=True)
        except Exception as exc:  # noqa: BLE001 - a closed connection is a failed join
            record["error"] = type(exc).__name__
        return record

    def drop(self, reason: str) -> None:
        """Lose the connection now (no goodbye) and start reconnecting at once, as a phone does."""
        self.up.clear()
        if self.client_kind == "lean":
            self.client.abort(reason)
        else:  # python-socketio has no abort: a clean disconnect (only the lean client is dropped in storms)
            asyncio.ensure_future(self.client.disconnect())
        self.reconnecting = asyncio.ensure_future(self._reconnect(reason))

    def connection_lost(self) -> asyncio.Task:
        """The connection failed under an action: reconnect (once, whoever notices first)."""
        if self.reconnecting is None or self.reconnecting.done():
            self.up.clear()
            self.reconnecting = asyncio.ensure_future(self._reconnect("lost"))
        return self.reconnecting

    async def _reconnect(self, reason: str) -> None:
        dropped = time.time()
        record = {"reason": reason, "dropped": dropped, "attempts": 0, "connected": None, "join": None}
        self.reconnects.append(record)
        for attempt in range(1, self.connect_attempts + 1):
            record["attempts"] = attempt
            try:
                await self.open()
            except Exception as exc:  # noqa: BLE001 - refused or timed out: try again a moment later
                record["connect_error"] = f"{type(exc).__name__}: {exc}"[:200]
                await asyncio.sleep(1.0)
                continue
            record["connected"] = time.time() - dropped
            join = record["join"] = await self.join()
            if join["error"] is None:
                record["joined"] = time.time() - dropped
            self.up.set()  # joined, or its join failed: the phone goes on (as live.js does)
            return
        self.failed = record.get("connect_error", "could not reconnect")

    async def send(self, event: str, data: dict, timeout: float, max_attempts: int = 3) -> dict:
        """Send an action like a phone: wait to be joined, resend after a lost connection.

        Returns {"sent" (of the attempt acknowledged, or the last), "latency", "error", "timed_out",
        "attempts", "tapped" (when the person acted), "waited" (offline, not sent at once: a lost
        ack or a drop)}. A refusal (ok false) or a timeout is final, as on a phone."""
        tapped = time.time()
        waited = False
        record = {}
        for attempt in range(1, max_attempts + 1):
            if not self.up.is_set():
                waited = True
                try:
                    await asyncio.wait_for(self.up.wait(), timeout)
                except asyncio.TimeoutError:
                    return {"sent": time.time(), "latency": None, "error": "not reconnected",
                            "timed_out": True, "attempts": attempt, "tapped": tapped, "waited": True}
            sent = time.time()
            record = {"sent": sent, "latency": None, "error": None, "timed_out": False, "attempts": attempt,
                      "tapped": tapped, "waited": waited or attempt > 1}
            try:
                if self.client_kind == "lean":
                    ack = await self.client.call(event, data, timeout=timeout, light=True)
                    received = ack["received_at"]
                else:
                    ack = await self.client.call(event, data, namespace="/live", timeout=timeout)
                    received = time.time()
            except asyncio.TimeoutError:
                record.update(error="timeout", timed_out=True)
                return record
            except ConnectionError as exc:  # lost with the connection: resend once joined again
                record["error"] = f"{type(exc).__name__}: {exc}"[:200]
                await asyncio.shield(self.connection_lost())
                continue
            if ack.get("ok"):
                record["latency"] = received - sent
            else:
                error = ack.get("error") or {}
                record["error"] = error.get("code", "refused") if isinstance(error, dict) else str(error)
            return record
        return record

    async def close(self) -> None:
        if self.reconnecting is not None and not self.reconnecting.done():
            self.reconnecting.cancel()
        if self.client is not None:
            try:
                await self.client.disconnect()
            except Exception:  # noqa: BLE001
                pass


NOT_CONNECTED = "not connected"


async def connect_and_join(phones: list[Phone], storm_at_from=None, concurrency: int = 32
                           ) -> tuple[list[Phone], list[dict]]:
    """Connect every phone, then join; return (the phones connected, one join record per phone).

    `storm_at_from(n)`: a coroutine function given the number of phones connected, returning the
    wall-clock instant at which every connected phone emits `join` (the join storm). None: each
    phone joins as soon as it is connected, `concurrency` at a time (the old, staggered joins).
    A phone that cannot connect (after 30 s) is left out: its join record says NOT_CONNECTED."""
    gate = asyncio.Semaphore(concurrency)
    records: list[dict] = []

    async def connect_one(phone: Phone):
        async with gate:
            try:
                await phone.open()
            except Exception as exc:  # noqa: BLE001 - refused or timed out: counted, the run goes on
                phone.failed = f"{type(exc).__name__}: {exc}"[:200]
                records.append({"sent": time.time(), "latency": None, "error": NOT_CONNECTED, "timed_out": False})
                return
            if storm_at_from is None:
                records.append(await phone.join())
                phone.up.set()

    await asyncio.gather(*(connect_one(p) for p in phones))
    connected = [p for p in phones if not p.failed]
    if storm_at_from is None:
        return connected, records
    storm_at = await storm_at_from(len(connected))
    delay = storm_at - time.time()
    if delay > 0:
        await asyncio.sleep(delay)
    records += await asyncio.gather(*(p.join() for p in connected))
    for phone in connected:
        phone.up.set()
    return connected, records


async def reconnect_storm(phones: list[Phone], fraction: float, at: float, rng: random.Random) -> list[Phone]:
    """At wall-clock `at`, drop `fraction` of the phones at once; each reconnects and joins again."""
    chosen = rng.sample(phones, round(fraction * len(phones))) if fraction > 0 else []
    delay = at - time.time()
    if delay > 0:
        await asyncio.sleep(delay)
    for phone in chosen:  # in one go: the same instant for all of them
        phone.drop("reconnect storm")
    await asyncio.gather(*(p.reconnecting for p in chosen), return_exceptions=True)
    return chosen


def reconnect_records(phones: list[Phone]) -> list[dict]:
    """Every reconnection of these phones (plain data, to send to the main process)."""
    return [{**r, "phone": p.id} for p in phones for r in p.reconnects]


def reconnect_summary(records: list[dict]) -> dict:
    """The storm's reconnections (from reconnect_records) and the others (lost under an action)."""
    storm = [r for r in records if r["reason"] == "reconnect storm"]
    other = [r for r in records if r["reason"] != "reconnect storm"]
    joins = [r["join"] for r in storm if r["join"] is not None]
    rejoined = [r["joined"] for r in storm if r.get("joined") is not None]
    figures = latency_summary(joins, "reconnect_join")
    figures.update({
        "reconnect_dropped": len(storm),
        "reconnect_rejoined": len(rejoined),
        "reconnect_not_connected": sum(1 for r in storm if r["connected"] is None),
        "reconnect_connect_attempts": sum(r["attempts"] for r in storm),
        # from the drop to the join ack: what the person sees (connect + join)
        "reconnect_drop_to_joined_p50_ms": _ms(percentile(rejoined, 50)),
        "reconnect_drop_to_joined_p99_ms": _ms(percentile(rejoined + [math.inf] * (len(storm) - len(rejoined)), 99)),
        "connections_lost_outside_storm": len(other),
    })
    return figures


def format_ms(value) -> str:
    return "-" if value is None else str(value)
