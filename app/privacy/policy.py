"""A forum's privacy settings (EventPolicy): defaults, changes, and when its personal data expire.

Services flush; callers commit once (`write_transaction`). Nothing here touches the request.
"""
from __future__ import annotations

import logging
import secrets
from datetime import datetime

from flask_babel import gettext as _

from barcamp.common.errors import Conflict, InvalidInput
from barcamp.events.models import Event
from barcamp.extensions import db
from barcamp.privacy.models import DEFAULT_REPORT_THRESHOLD, DEFAULT_RETENTION_MONTHS, EventPolicy

log = logging.getLogger(__name__)


def policy_of(event_id: int) -> EventPolicy:
    """The forum's policy; a transient one with the defaults when none was stored yet."""
    policy = db.session.get(EventPolicy, event_id)
    if policy is None:
        policy = EventPolicy(event_id=event_id, organisation="", secret_ballot=False,
                             retention_months=DEFAULT_RETENTION_MONTHS, report_threshold=DEFAULT_REPORT_THRESHOLD,
                             pseudonym_key="")
    return policy


def ensure_policy(event_id: int) -> EventPolicy:
    """The stored policy, created with the defaults (call inside a write transaction)."""
    policy = db.session.get(EventPolicy, event_id)
    if policy is None:
        policy = EventPolicy(event_id=event_id, pseudonym_key=secrets.token_hex(32))
        db.session.add(policy)
        db.session.flush()
    return policy


def update_policy(event: Event, *, organisation: str | None = None, secret_ballot: bool | None = None,
                  retention_months: int | None = None, report_threshold: int | None = None) -> EventPolicy:
    """Change the forum's privacy settings; the secret-ballot choice is frozen once voting opened."""
    policy = ensure_policy(event.id)
    if secret_ballot is not None and secret_ballot != policy.secret_ballot:
        if event.voting_opened_at is not None:
            log.warning("refused: secret ballot change on forum %s after the vote opened", event.id)
            raise Conflict("rules_frozen", _("Le vote a commencé : le scrutin secret ne peut plus être changé."))
        policy.secret_ballot = secret_ballot
    if organisation is not None:
        policy.organisation = organisation.strip()[:200]
    if retention_months is not None:
        if not 1 <= retention_months <= 120:
            raise InvalidInput("invalid_retention", _("La durée de conservation va de 1 à 120 mois."))
        policy.retention_months = retention_months
    if report_threshold is not None:
        if not 1 <= report_threshold <= 100:
            raise InvalidInput("invalid_threshold", _("Le seuil de signalements va de 1 à 100."))
        policy.report_threshold = report_threshold
    db.session.flush()
    return policy


def policy_out(event: Event, policy: EventPolicy | None = None) -> dict:
    policy = policy or policy_of(event.id)
    return {
        "organisation": policy.organisation,
        "secret_ballot": policy.secret_ballot,
        "retention_months": policy.retention_months,
        "report_threshold": policy.report_threshold,
        "erase_after": expiry(event, policy).isoformat(),
        "ballots_sealed": policy.ballots_sealed_at is not None,
        "purged": policy.purged_at is not None,
    }


# -- retention period --------------------------------------------------------------------------------
def _months_later(moment: datetime, months: int) -> datetime:
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    day = min(moment.day, [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30,
                           31, 31, 30, 31, 30, 31][month - 1])
    return moment.replace(year=year, month=month, day=day)


def _aware(moment: datetime) -> datetime:
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def expiry(event: Event, policy: EventPolicy | None = None) -> datetime:
    """When the forum's personal data are erased: its start (else creation) plus the retention period."""
    policy = policy or policy_of(event.id)
    start = _aware(max(filter(None, [event.starts_at and _aware(event.starts_at), _aware(event.created_at)])))
    return _months_later(start, policy.retention_months)
