"""The accessibility statement page, in the format of the RGAA 4.1 model statement."""
from __future__ import annotations

import functools
import re
from pathlib import Path

from flask import current_app, render_template

from barcamp.accessibility import bp

#: when the automated and keyboard tests of docs/accessibility.md were last run for this statement
AUDIT_DATE = "2026-11-21"
#: page states axe-core checked at two widths (tests/a11y/test_axe.py::CASES)
AXE_CASES = 43


@functools.cache
def axe_version(static_folder: str) -> str:
    """Read the version of the vendored axe-core from its banner (`/*! axe v4.x.y`)."""
    head = (Path(static_folder) / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")[:80]
    match = re.search(r"axe v(\d+\.\d+\.\d+)", head)
    return match.group(1) if match else "?"


@bp.route("/accessibilite")
def statement():
    """Déclaration d'accessibilité: conformity, test results, exceptions, how it was established, recourse."""
    return render_template("accessibility/statement.html", audit_date=AUDIT_DATE, axe_cases=AXE_CASES,
                           axe_version=axe_version(current_app.static_folder))
