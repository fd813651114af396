"""JSON open data: the assembled model as is, described by app/restitution/schema.json."""
from __future__ import annotations

import json
from pathlib import Path

from barcamp.restitution.document import Restitution

SCHEMA_PATH = Path(__file__).resolve().parent / "schema.json"
#: the schema's $id, also written into every file as "$schema"
SCHEMA_ID = "urn:barcamp:schema:restitution:1.0"


def as_data(doc: Restitution) -> dict:
    data = {"$schema": SCHEMA_ID, **doc.to_dict()}
    data["ranking"] = [t.id for t in doc.ranking]
    return data


def render(doc: Restitution) -> bytes:
    return json.dumps(as_data(doc), ensure_ascii=False, indent=2).encode("utf-8")


def load_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
