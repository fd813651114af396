"""Dependency floors that close known vulnerabilities (pip-audit in .ci/run checks the rest)."""
from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".")[:3] if part.isdigit())


def test_python_socketio_is_at_least_5_14_for_cve_2025_61765():
    assert _tuple(version("python-socketio")) >= (5, 14, 0)
    assert '"python-socketio>=5.14"' in (ROOT / "pyproject.toml").read_text()


def test_pip_audit_runs_in_ci():
    assert ".venv/bin/pip-audit " in (ROOT / ".ci" / "run").read_text()
