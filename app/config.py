"""Settings read from BARCAMP_* environment variables."""
from __future__ import annotations

import os
import secrets
from pathlib import Path


def _instance_secret_key(instance_path: str) -> str:
    """Return the secret key kept in the instance folder, creating it once."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


class Config:
    """Production defaults: SQLite in the instance folder, a single process."""

    SQLALCHEMY_DATABASE_URI: str | None = None  # resolved in load_config
    REDIS_URL: str | None = None
    SECRET_KEY: str | None = None
    WTF_CSRF_TIME_LIMIT = None  # a forum day is long; the session cookie bounds it
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_HTTPONLY = True
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 24 * 30
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Paris"
    #: public base URL used in join links and QR codes (unset: the request's host)
    PUBLIC_URL: str | None = None
    #: Socket.IO origins allowed besides the server's own (comma-separated)
    ALLOWED_ORIGINS: list[str] = []
    #: seconds between two coalesced tally broadcasts of one forum
    TALLY_INTERVAL = 0.2
    #: seconds between two tallies sent to a forum's phones (screens get every one)
    PHONE_TALLY_INTERVAL = 0.5
    #: seconds a forum's encoded join snapshot is reused at most (it is rebuilt sooner when the
    #: forum's version changes): a change that sends no message reaches new snapshots within this
    SNAPSHOT_MAX_AGE = 1.0
    #: several workers: snapshots (join, resync) read at once per process; more wait (app/live/services.py)
    SNAPSHOT_CONCURRENCY = 8
    #: SQLite `synchronous` in WAL mode: FULL fsyncs the WAL at every commit, so an acknowledged write
    #: survives a power loss too; NORMAL survives an application crash only (docs/security.md, Durability)
    SQLITE_SYNCHRONOUS = "FULL"
    #: join and proposal rate limits (a whole venue may share one Wi-Fi address)
    JOIN_RATE_LIMIT = "3000 per minute"  # 2,000 phones told "scan now" at once
    PROPOSAL_RATE_LIMIT = "20 per minute"
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    SOCKETIO_ASYNC_MODE = "gevent"
    #: Engine.IO heartbeat (seconds): the server pings every PING_INTERVAL and drops a client whose
    #: answer has not come PING_TIMEOUT later (a proxy's read timeout must exceed their sum)
    PING_INTERVAL = 20.0
    PING_TIMEOUT = 20.0
    MAX_SOCKET_MESSAGE_BYTES = 64 * 1024
    #: deepest JSON nesting accepted in a request body (refused with 400 invalid_json before parsing)
    MAX_JSON_DEPTH = 32
    #: security (docs/security.md): failed join codes per address, failed logins per address and
    #: per account (successes do not count), socket events per connection (token bucket: rate per
    #: second, burst; a connection refused SOCKET_FLOOD_CUTOFF times is disconnected)
    JOIN_CODE_FAILURE_LIMIT = "30 per minute"
    #: past that many unknown codes, each code from the address waits for a slot: at most this rate,
    #: and JOIN_CODE_PACE_WAIT seconds at most (429 `too_many_attempts` beyond)
    JOIN_CODE_PACE = "5 per second"
    JOIN_CODE_PACE_WAIT = 2.0
    LOGIN_FAILURE_LIMIT_PER_ADDRESS = "30 per minute"
    LOGIN_FAILURE_LIMIT_PER_ACCOUNT = "10 per minute"
    SOCKET_EVENT_RATE = 50.0
    SOCKET_EVENT_BURST = 100
    SOCKET_FLOOD_CUTOFF = 250
    #: what a socket event costs in the caller's budget (others: 1): a forum's whole state is
    #: worth many votes; opening a connection costs SOCKET_CONNECT_COST
    SOCKET_EVENT_COSTS = {"join": 10, "sync": 10, "workshop_join": 10}
    SOCKET_CONNECT_COST = 5
    #: organisers' and projectors' budgets are this many times a participant's (many screens, one token)
    SOCKET_SCREEN_BUDGET_FACTOR = 10
    #: seconds a refused event waits before its `rate_limited` ack (the flooder's socket is not read meanwhile)
    SOCKET_REFUSAL_DELAY = 0.02
    #: open /live connections per caller (kind): a new one past the cap closes the caller's oldest
    SOCKET_MAX_CONNECTIONS = {"participant": 3, "organiser": 20, "projector": 20}
    #: API reads per caller (bearer token or session; else the address): HTTP 429 above
    API_READ_LIMIT = "20 per second"
    #: topics per forum, and per participant in one forum (organisers are not capped per person)
    MAX_TOPICS_PER_FORUM = 400
    MAX_TOPICS_PER_PARTICIPANT = 10
    #: /metrics: when set (BARCAMP_METRICS_TOKEN), the scraper sends `Authorization: Bearer <token>`;
    #: unset, /metrics answers only requests from a loopback address that no proxy forwarded
    METRICS_TOKEN: str | None = None
    #: secure cookies: None follows BARCAMP_PUBLIC_URL (https: on), or BARCAMP_SECURE_COOKIES
    SECURE_COOKIES: bool | None = None
    TESTING = False


class TestConfig(Config):
    """Tests: a throw-away database, no CSRF friction in API tests, threading sockets."""

    TESTING = True
    WTF_CSRF_ENABLED = False
    SOCKETIO_ASYNC_MODE = "threading"
    SECRET_KEY = "test-secret-key"
    RATELIMIT_ENABLED = False
    #: argon2id with a small memory cost: hundreds of accounts per suite (production: 46 MiB)
    PASSWORD_HASH_MEMORY_KIB = 1024


def load_config(app, config: type[Config] | dict | None) -> None:
    """Fill app.config from the class, the environment and the instance folder."""
    base = config if isinstance(config, type) else Config
    app.config.from_object(base)
    if isinstance(config, dict):
        app.config.update(config)
    env = os.environ
    if env.get("BARCAMP_DATABASE_URL") and not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = env["BARCAMP_DATABASE_URL"]
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(Path(app.instance_path) / "barcamp.sqlite3")
    if "BARCAMP_REDIS_URL" in env and app.config.get("REDIS_URL") is None:
        app.config["REDIS_URL"] = env["BARCAMP_REDIS_URL"] or None
    # rate limits count in Redis when the workers share one (a limit per address, not per worker);
    # if Redis does not answer, they count in memory meanwhile rather than refuse the requests
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    if env.get("BARCAMP_PUBLIC_URL") and not app.config.get("PUBLIC_URL"):
        app.config["PUBLIC_URL"] = env["BARCAMP_PUBLIC_URL"].rstrip("/")
    if env.get("BARCAMP_METRICS_TOKEN") and not app.config.get("METRICS_TOKEN"):
        app.config["METRICS_TOKEN"] = env["BARCAMP_METRICS_TOKEN"]
    if env.get("BARCAMP_ALLOWED_ORIGINS"):
        app.config["ALLOWED_ORIGINS"] = [o.strip() for o in env["BARCAMP_ALLOWED_ORIGINS"].split(",") if o.strip()]
    for name in ("JOIN_RATE_LIMIT", "PROPOSAL_RATE_LIMIT"):
        if env.get("BARCAMP_" + name) and not (isinstance(config, dict) and name in config):
            app.config[name] = env["BARCAMP_" + name]
    for name in ("TALLY_INTERVAL", "PHONE_TALLY_INTERVAL", "PING_INTERVAL", "PING_TIMEOUT", "SOCKET_EVENT_RATE",
                 "SOCKET_EVENT_BURST"):
        if env.get("BARCAMP_" + name) and not (isinstance(config, dict) and name in config):
            app.config[name] = float(env["BARCAMP_" + name])
    if env.get("BARCAMP_SQLITE_SYNCHRONOUS", "").upper() in ("NORMAL", "FULL", "EXTRA"):
        app.config["SQLITE_SYNCHRONOUS"] = env["BARCAMP_SQLITE_SYNCHRONOUS"].upper()
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = env.get("BARCAMP_SECRET_KEY") or _instance_secret_key(app.instance_path)
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite"):
        # Greenlets wait on the write lock, not on the pool: keep enough connections for readers.
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_size": 20, "max_overflow": 40, "pool_timeout": 30})
    else:
        # every worker's pool counts against PostgreSQL's max_connections (100 by default): 3 workers
        # of 10 + 10 leave room for the CLI, backups and psql; greenlets past that wait for a connection
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {
            "pool_size": int(env.get("BARCAMP_DB_POOL_SIZE", 10)),
            "max_overflow": int(env.get("BARCAMP_DB_MAX_OVERFLOW", 10)), "pool_timeout": 30, "pool_pre_ping": True})
