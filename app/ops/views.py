"""/healthz for load balancers and /metrics for Prometheus (per worker: scrape each one)."""
from __future__ import annotations

import hmac
import ipaddress
import os

from flask import current_app, jsonify, request
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from barcamp.extensions import limiter, socketio
from barcamp.ops import bp, metrics
from barcamp.ops.services import check_database, check_redis


def _count_db_error(_context) -> None:
    metrics.db_error()


@bp.record_once
def _hook_metrics(_state) -> None:
    """Count connections and database errors of this process (once, whatever the number of apps)."""
    metrics.count_connections(lambda: len(socketio.server.eio.sockets) if socketio.server else 0)
    if not event.contains(Engine, "handle_error", _count_db_error):
        event.listen(Engine, "handle_error", _count_db_error)


@bp.record
def _behind_proxies(state) -> None:
    """Trust BARCAMP_PROXY_COUNT proxies (1 behind nginx) for the client address and scheme.

    Without it every request seems to come from the proxy, and the per-address join limit
    would count a whole city as one visitor.
    """
    count = int(state.app.config.get("PROXY_COUNT") or os.environ.get("BARCAMP_PROXY_COUNT") or 0)
    if count:
        from werkzeug.middleware.proxy_fix import ProxyFix

        state.app.wsgi_app = ProxyFix(state.app.wsgi_app, x_for=count, x_proto=count, x_host=count)


@bp.get("/healthz")
@limiter.exempt
def healthz():
    """200 when the database and Redis (if configured) answer, else 503 naming what failed."""
    checks = {"database": check_database(), "redis": check_redis(current_app)}
    if not current_app.config.get("REDIS_URL"):
        checks.pop("redis")
    failed = {name: error for name, error in checks.items() if error}
    body = {"status": "ok" if not failed else "unavailable",
            "checks": {name: ("ok" if not error else "failed") for name, error in checks.items()}}
    if failed:
        body["errors"] = failed
    return jsonify(body), 200 if not failed else 503


def _is_loopback(address: str | None) -> bool:
    try:
        return ipaddress.ip_address(address or "").is_loopback
    except ValueError:
        return False


def _metrics_refusal():
    """Who may scrape: METRICS_TOKEN set, the bearer token, from anywhere; unset, a loopback caller
    that no proxy forwarded. The refusal as a plain-text response for the scraper, or None.

    Behind nginx without BARCAMP_PROXY_COUNT every request seems to come from 127.0.0.1: the
    X-Forwarded-For header still tells a forwarded one apart (a local scraper sends none).
    """
    plain = {"Content-Type": "text/plain; charset=utf-8"}
    token = current_app.config.get("METRICS_TOKEN")
    if token:
        header = request.headers.get("Authorization", "")
        given = header[7:].strip() if header.lower().startswith("bearer ") else ""
        if not hmac.compare_digest(given.encode(), token.encode()):
            return "metrics: bearer token missing or wrong\n", 401, {**plain, "WWW-Authenticate": "Bearer"}
        return None
    if not _is_loopback(request.remote_addr) or request.headers.get("X-Forwarded-For"):
        return "metrics: loopback only (set BARCAMP_METRICS_TOKEN to scrape from elsewhere)\n", 403, plain
    return None


@bp.get("/metrics")
@limiter.exempt
def prometheus_metrics():
    """This worker's metrics in Prometheus text format (guarded: see _metrics_refusal)."""
    return _metrics_refusal() or (generate_latest(REGISTRY), 200, {"Content-Type": CONTENT_TYPE_LATEST})
