"""Where barcamp's files are: in the installed package (a wheel), or beside it (a checkout).

The repository keeps `templates/`, `static/`, `migrations/` and `content/` at its top level, next to
the Python package `app/`, which installs under the import name `barcamp` (pyproject.toml). A wheel
carries those folders inside the package (`barcamp/templates`, …), so each is looked for there
first, then next to the package.
"""
from __future__ import annotations

from pathlib import Path

#: the package folder (app/ in a checkout, site-packages/barcamp in a wheel)
PACKAGE_DIR = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    inside = PACKAGE_DIR / name
    return inside if inside.is_dir() else PACKAGE_DIR.parent / name


TEMPLATES = _data_dir("templates")
STATIC = _data_dir("static")
MIGRATIONS = _data_dir("migrations")
CONTENT = _data_dir("content")
#: compiled catalogues ship with the package itself
TRANSLATIONS = PACKAGE_DIR / "translations"
