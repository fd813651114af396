"""The daily purge inside `barcamp run`: a background greenlet, so no cron job is needed."""
from __future__ import annotations

import logging

from flask import Flask

log = logging.getLogger(__name__)

#: seconds between two purge runs
PURGE_INTERVAL = 24 * 3600
#: seconds after start-up before the first run (let the server settle)
FIRST_RUN_DELAY = 60


def run_purge_once(app: Flask) -> int:
    """Purge the forums past their retention period; return how many were purged."""
    from barcamp.extensions import db
    from barcamp.privacy.retention import purge_expired

    with app.app_context():
        try:
            return len(purge_expired())
        finally:
            db.session.remove()


def start_daily_purge(app: Flask) -> None:
    """Start the background task that purges expired forums once a day (BARCAMP_PURGE_INTERVAL to change)."""
    import os

    from barcamp.extensions import socketio

    interval = float(os.environ.get("BARCAMP_PURGE_INTERVAL", PURGE_INTERVAL))
    delay = float(os.environ.get("BARCAMP_PURGE_FIRST_DELAY", FIRST_RUN_DELAY))

    def loop():
        socketio.sleep(delay)
        while True:
            try:
                purged = run_purge_once(app)
                if purged:
                    log.info("daily purge: %s forum(s) past their retention period erased", purged)
            except Exception:  # keep the loop alive: tomorrow is another run
                log.exception("daily purge failed")
            socketio.sleep(interval)

    socketio.start_background_task(loop)
