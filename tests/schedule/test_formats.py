"""Workshop formats: the shipped files, and load errors that name the file and the field."""
from __future__ import annotations

import pytest

from barcamp.schedule.formats import (
    FORMATS_DIR,
    FormatError,
    load_format_file,
    load_formats,
)

GOOD = """slug: atelier
name: Atelier test
teinte: 2.1 — Posture
modalites: Atelier d'une journée
duration_minutes: 360
jauge: 12
deroule: [Études de cas]
public: Tous publics
credit: La 27e Région
"""


def test_shipped_formats_load_with_their_jauge_and_credit():
    formats = load_formats(reload=True)

    assert len(formats) == 14
    assert formats["super-agent-public"].jauge == 12
    assert formats["stimuler-son-imaginaire"].jauge == 25
    assert formats["decorticage-residence"].jauge == 15
    assert formats["la-donnee-a-quoi-ca-sert"].name == "La donnée… à quoi ça sert ?"
    assert all("La 27e Région" in f.credit and "Nuancier de formation" in f.credit for f in formats.values())
    assert all(f.slug == path.stem for f, path in zip(
        [formats[p.stem] for p in sorted(FORMATS_DIR.glob("*.yaml"))], sorted(FORMATS_DIR.glob("*.yaml"))))


@pytest.mark.parametrize(("text", "field", "problem"), [
    (GOOD.replace("jauge: 12\n", ""), "jauge", "missing"),
    (GOOD.replace("jauge: 12", "jauge: douze"), "jauge", "Input should be a valid integer"),
    (GOOD.replace("jauge: 12", "jauge: 1"), "jauge", "greater than or equal to 2"),
    (GOOD.replace("deroule: [Études de cas]", "deroule: []"), "deroule", "at least 1 item"),
    (GOOD.replace("credit: La 27e Région", "credit: ''"), "credit", "at least 1 character"),
    (GOOD + "couleur: bleu\n", "couleur", "Extra inputs are not permitted"),
    (GOOD.replace("slug: atelier", "slug: autre"), "slug", "must match the file name"),
    (GOOD.replace("name: Atelier test", "name: [oops"), "line 3, column 7", "malformed YAML"),
], ids=["missing_jauge", "jauge_not_int", "jauge_too_small", "empty_deroule", "empty_credit", "unknown_field",
        "slug_mismatch", "bad_yaml"])
def test_bad_format_file_names_file_and_field(tmp_path, text, field, problem):
    path = tmp_path / "atelier.yaml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(FormatError) as caught:
        load_format_file(path)

    assert caught.value.field == field
    assert problem in caught.value.problem
    assert str(caught.value).startswith(f"{path}: {field}: ")


def test_a_valid_file_loads(tmp_path):
    (tmp_path / "atelier.yaml").write_text(GOOD, encoding="utf-8")

    assert load_formats(tmp_path, reload=True)["atelier"].deroule == ["Études de cas"]
