"""The interface's languages: the switch (a cookie), and the catalogue workflow.

French is the source language (msgids); app/translations/en/LC_MESSAGES/messages.po holds English.
The compiled messages.mo is committed next to it, so a plain `pip install -e .` from a clean clone
serves English with no build step; tests/i18n/test_catalogue.py fails when the .mo differs from
the .po, or when any message is missing, untranslated or fuzzy.

    barcamp translations update    # extract every marked string, merge into the .po, list what lacks English
    barcamp translations compile   # .po -> .mo (after translating)
    barcamp translations check     # exit 1 on any missing / untranslated / fuzzy message or stale .mo
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import click
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po
from flask import redirect, request, url_for
from flask.cli import AppGroup

from flask_babel import lazy_gettext as _l

from barcamp import paths
from barcamp.resources import bp

ROOT = paths.PACKAGE_DIR.parent  # a checkout: the catalogue commands extract and compile there
TRANSLATIONS = paths.TRANSLATIONS
POT_FILE = TRANSLATIONS / "messages.pot"
#: the languages with a catalogue (French is the source language and needs none)
CATALOGUE_LOCALES = ("en",)
#: the cookie that stores the visitor's choice (beats Accept-Language)
LANG_COOKIE = "barcamp_lang"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None,
            "lazy_ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
#: same as babel.cfg (kept for `pybabel extract -F babel.cfg`)
METHOD_MAP = [("app/**.py", "python"), ("templates/**.html", "jinja2")]


def po_path(locale: str, translations: Path = TRANSLATIONS) -> Path:
    return translations / locale / "LC_MESSAGES" / "messages.po"


def mo_path(locale: str, translations: Path = TRANSLATIONS) -> Path:
    return translations / locale / "LC_MESSAGES" / "messages.mo"


#: strings the JavaScript modules build themselves, by key; base.html passes them in the page's
#: language (<meta name="barcamp-i18n">); a module reads them with its own fallback (static/js/quiz.js `t`)
JS_MESSAGES = {
    "quiz.time_left": _l("Temps restant : %(n)s s"),
    "quiz.question_of": _l("Question %(n)s sur %(total)s"),
    "quiz.closed_wait": _l("Question close. En attente de la suivante…"),
    "quiz.score": _l("Votre score : %(n)s points"),
    "quiz.score_later": _l("Votre score s'affichera quand vos réponses seront définitives."),
    "quiz.not_answered": _l("Vous n'avez pas encore répondu."),
    "quiz.mixed": _l("Votre profil est mixte"),
    "quiz.style": _l("Votre style d'innovation"),
    "quiz.majority": _l("Une majorité de « %(name)s »"),
    "quiz.example": _l("Exemple inspirant :"),
    "quiz.attention": _l("Points d'attention :"),
    "quiz.room": _l("La salle"),
    "quiz.respondents": _l("répondant·es"),
    "quiz.mixed_bar": _l("Profils mixtes (ex æquo)"),
    "quiz.first_soon": _l("La première question va s'afficher ici. Gardez cette page ouverte."),
    "quiz.answers": _l("Réponses :"),
    "quiz.not_saved": _l("Réponse non enregistrée."),
    "quiz.lost": _l("Connexion perdue : réponse non enregistrée, réessayez."),
}


def js_messages() -> dict[str, str]:
    # %(name)s placeholders stay for the JS to fill: gettext without arguments leaves them as they are
    return {key: str(message) for key, message in JS_MESSAGES.items()}


@bp.app_context_processor
def _i18n_globals():
    return {"js_messages": js_messages}


# -- the switch -------------------------------------------------------------------------------
def _safe_next(target: str | None) -> str:
    """Only a path of this site (never another host: no open redirect)."""
    if not target:
        return url_for("participants.home") if "participants.home" in _endpoints() else "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _endpoints():
    from flask import current_app

    return current_app.view_functions


@bp.route("/langue/<code>")
def set_language(code: str):
    """Store the chosen language in a cookie and go back (a plain link: works without JavaScript)."""
    from barcamp import SUPPORTED_LOCALES

    response = redirect(_safe_next(request.args.get("next")))
    if code in SUPPORTED_LOCALES:
        response.set_cookie(LANG_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


def cookie_locale() -> str | None:
    return request.cookies.get(LANG_COOKIE)


@bp.after_app_request
def _vary_on_language(response):
    """Pages and messages depend on the language: caches must key on what picks it."""
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    return response


# -- the catalogue workflow -------------------------------------------------------------------
def extract() -> Catalog:
    """Every marked string of app/ and templates/ (French msgids)."""
    catalog = Catalog(project="barcamp", locale=None, charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), METHOD_MAP, {}, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",), strip_comment_tags=True,
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def _read_po(locale: str, translations: Path = TRANSLATIONS) -> Catalog:
    path = po_path(locale, translations)
    if not path.exists():
        return Catalog(locale=locale, project="barcamp")
    with path.open("rb") as fh:
        return read_po(fh, locale=locale)


def _write_po(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_output=False, include_previous=False, omit_header=False)
    path.write_bytes(buffer.getvalue())


def update() -> dict[str, list[str]]:
    """Extract, write messages.pot, merge into every .po (no fuzzy guesses); return what lacks English."""
    template = extract()
    _write_po(template, POT_FILE)
    report = {}
    for locale in CATALOGUE_LOCALES:
        catalog = _read_po(locale)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()  # strings nobody uses any more
        _write_po(catalog, po_path(locale))
        report[locale] = [m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id and not m.string]
    return report


def compile_catalogues() -> None:
    for locale in CATALOGUE_LOCALES:
        catalog = _read_po(locale)
        with mo_path(locale).open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)


@dataclass
class CheckReport:
    missing: list[str] = field(default_factory=list)
    untranslated: list[str] = field(default_factory=list)
    fuzzy: list[str] = field(default_factory=list)
    stale_mo: bool = False

    @property
    def ok(self) -> bool:
        return not (self.missing or self.untranslated or self.fuzzy or self.stale_mo)

    def lines(self) -> list[str]:
        out = [f"missing from the catalogue: {m!r}" for m in self.missing]
        out += [f"untranslated: {m!r}" for m in self.untranslated]
        out += [f"fuzzy: {m!r}" for m in self.fuzzy]
        if self.stale_mo:
            out.append("messages.mo differs from messages.po: run `barcamp translations compile`")
        return out


def _translated(message) -> bool:
    if isinstance(message.string, tuple | list):
        return all(message.string)
    return bool(message.string)


def check(locale: str = "en", translations: Path = TRANSLATIONS) -> CheckReport:
    """Compare the extracted strings with the catalogue and the compiled .mo."""
    report = CheckReport()
    catalog = _read_po(locale, translations)
    for message in extract():
        if not message.id:
            continue
        key = message.id
        entry = catalog.get(key, context=message.context)
        name = key if isinstance(key, str) else key[0]
        if entry is None:
            report.missing.append(name)
        elif entry.fuzzy:
            report.fuzzy.append(name)
        elif not _translated(entry):
            report.untranslated.append(name)
    path = mo_path(locale, translations)
    if not path.exists():
        report.stale_mo = True
    else:
        with path.open("rb") as fh:
            compiled = read_mo(fh)
        def _t(value):
            return tuple(value) if isinstance(value, list | tuple) else value

        expected = {_t(m.id): _t(m.string) for m in catalog if m.id and not m.fuzzy and _translated(m)}
        actual = {_t(m.id): _t(m.string) for m in compiled if m.id}
        report.stale_mo = expected != actual
    return report


translations_cli = AppGroup("translations", help="Extract, merge, compile and check the message catalogues.")


@translations_cli.command("update")
def update_command():
    """Extract every marked string and merge it into the catalogues; list what lacks a translation."""
    for locale, todo in update().items():
        click.echo(f"{po_path(locale).relative_to(ROOT)}: {len(todo)} message(s) to translate")
        for msgid in todo:
            click.echo(f"  - {msgid}")


@translations_cli.command("compile")
def compile_command():
    """Compile the .po catalogues into the .mo files the app reads."""
    compile_catalogues()
    for locale in CATALOGUE_LOCALES:
        click.echo(f"{mo_path(locale).relative_to(ROOT)} written")


@translations_cli.command("check")
def check_command():
    """Fail on any missing, untranslated or fuzzy message, or a stale .mo."""
    failed = False
    for locale in CATALOGUE_LOCALES:
        report = check(locale)
        for line in report.lines():
            click.echo(f"{locale}: {line}")
        failed = failed or not report.ok
    if failed:
        raise SystemExit(1)
    click.echo("catalogues complete")
