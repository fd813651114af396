"""The `barcamp` command group."""
from __future__ import annotations

import sys

import click
from flask.cli import FlaskGroup, with_appcontext


def _create_app():
    from barcamp import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False, add_version_option=False)
def cli():
    """Run a public-innovation BarCamp forum."""


def _raise_open_file_limit() -> None:
    """Raise the soft open-file limit to the hard one: every live connection holds a socket."""
    try:
        import resource
    except ImportError:  # not on POSIX
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        except (ValueError, OSError):  # some systems refuse RLIM_INFINITY as a soft limit
            pass


@cli.command("run")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on: 0.0.0.0 lets phones on the venue's network join.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@with_appcontext
def run_command(host: str, port: int):
    """Serve HTTP and Socket.IO on gevent."""
    from flask import current_app

    from barcamp.extensions import socketio
    from barcamp.privacy.tasks import start_daily_purge

    _raise_open_file_limit()
    import os

    os.environ.setdefault("BARCAMP_WORKER_LABEL", f"{host}:{port}")  # /metrics names the worker
    from barcamp.ops import collector
    from barcamp.ops.metrics import time_garbage_collections

    time_garbage_collections()
    collector.start()  # full garbage collections at quiet moments, never mid-vote
    start_daily_purge(current_app._get_current_object())
    click.echo(f"barcamp: serving on http://{host}:{port} ({current_app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]})")
    _announce_room(host, port)
    socketio.run(current_app._get_current_object(), host=host, port=port, log_output=False)


def _announce_room(host: str, port: int) -> None:
    """Say where phones join (join links, a QR code in the terminal), or why they can't yet.

    Without BARCAMP_PUBLIC_URL, a server open to the network builds its join links and QR codes on
    this computer's address on the local network, whatever address the organiser's browser uses.
    """
    from flask import current_app
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from barcamp.events.presenters import join_url
    from barcamp.events.services import latest_events
    from barcamp.extensions import db
    from barcamp.ops.network import is_loopback_host, room_url

    if not current_app.config.get("PUBLIC_URL"):
        base = room_url(host, port)
        if base is not None:
            current_app.config["PUBLIC_URL"] = base
    public = current_app.config.get("PUBLIC_URL")
    if is_loopback_host(host):
        click.echo(f"barcamp: listening on {host} only: phones cannot reach this computer. To open the forum to "
                   "the room, run `barcamp run --host 0.0.0.0` (and set BARCAMP_PUBLIC_URL to the address phones "
                   "use, if it is not this computer's address on the Wi-Fi).")
    elif public is None:
        click.echo("barcamp: no network address found for the join links: set BARCAMP_PUBLIC_URL "
                   "(for example http://192.168.1.20:5000).")
    try:
        events = latest_events(3)
    except (OperationalError, ProgrammingError):  # no schema yet: `barcamp db upgrade` (or `barcamp demo`) first
        db.session.rollback()
        click.echo("barcamp: the database has no schema yet: run `barcamp db upgrade` or `barcamp demo`.")
        return
    # without a public URL (loopback only), links as the browser on this computer opens them
    with current_app.test_request_context(base_url=public or f"http://{host}:{port}"):
        links = [(event, join_url(event)) for event in events]
    for index, (event, url) in enumerate(links):
        click.echo(f"barcamp: « {event.title} »: code {event.join_code}, phones join at {url}")
        if index == 0 and not is_loopback_host(host):
            import segno

            segno.make(url, error="m").terminal(compact=True)
    db.session.remove()


@cli.group("db")
def db_group():
    """Database schema commands."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@with_appcontext
def db_upgrade(revision: str):
    """Create or upgrade the schema to the latest migration."""
    from flask_migrate import upgrade

    upgrade(revision=revision)
    click.echo("barcamp: database schema is up to date")


@db_group.command("backup")
@click.argument("destination", type=click.Path(dir_okay=False))
@with_appcontext
def db_backup(destination: str):
    """Copy the live SQLite database to a new file (online: the forum keeps running)."""
    from pathlib import Path

    from barcamp.extensions import db
    from barcamp.ops.services import CopyError, backup_sqlite

    try:
        pages = backup_sqlite(db.engine, Path(destination))
    except CopyError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"barcamp: backup written to {destination} ({pages} pages, integrity ok)")


@db_group.command("copy")
@click.option("--to", "target_url", required=True, help="SQLAlchemy URL of an empty target database.")
@with_appcontext
def db_copy(target_url: str):
    """Copy every table to another database (e.g. SQLite to PostgreSQL), then compare row counts."""
    from flask import current_app

    from barcamp.extensions import db
    from barcamp.ops.services import CopyError, copy_database, migrate_target

    source = db.engine
    migrate_target(target_url, str(current_app.extensions["migrate"].directory))
    try:
        counts = copy_database(source, target_url)
    except CopyError as error:
        raise click.ClickException(str(error)) from None
    for table, count in counts.items():
        click.echo(f"  {table:<28} {count}")
    click.echo(f"barcamp: {sum(counts.values())} rows copied to {target_url.split('@')[-1]}, counts equal")


@cli.command("phase")
@click.argument("event_id", type=int)
@click.argument("phase")
@with_appcontext
def phase_command(event_id: int, phase: str):
    """Move a forum to another phase; with BARCAMP_REDIS_URL, open screens hear it at once."""
    from barcamp.common.errors import DomainError
    from barcamp.events.enums import Phase
    from barcamp.events.models import Event
    from barcamp.events.views import change_phase
    from barcamp.extensions import db

    event = db.session.get(Event, event_id)
    if event is None:
        raise click.ClickException(f"no forum with id {event_id}")
    try:
        change_phase(event, Phase(phase))
    except ValueError:
        raise click.ClickException(f"unknown phase {phase!r}: " + ", ".join(p.value for p in Phase)) from None
    except DomainError as error:
        raise click.ClickException(str(error.message)) from None
    click.echo(f"barcamp: forum {event_id} is now in phase {event.phase.value}")


@cli.group("organiser")
def organiser_group():
    """Organiser accounts."""


def _read_password() -> str:
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\n")


@organiser_group.command("create")
@click.argument("email")
@with_appcontext
def organiser_create(email: str):
    """Create an organiser account (password prompted, or read from standard input)."""
    from barcamp.accounts.services import create_organiser
    from barcamp.common.db import write_transaction
    from barcamp.common.errors import DomainError

    password = _read_password()
    try:
        with write_transaction():
            organiser = create_organiser(email, password)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from None
    click.echo(f"barcamp: organiser {organiser.email} created")


@cli.command("demo")
@with_appcontext
def demo_command():
    """Create the schema and a demo forum from the 2017 Alpes-Maritimes restitution."""
    from flask_migrate import upgrade

    from barcamp.demo import create_demo

    upgrade()
    info = create_demo()
    click.echo("barcamp: demo forum ready")
    for key, value in info.items():
        click.echo(f"  {key:<16} {value}")
    click.echo("barcamp: `barcamp run --host 0.0.0.0` opens it to the phones on this network and prints the "
               "join link and QR code they use")


@cli.command("recount")
@click.argument("event_id", type=int)
@with_appcontext
def recount_command(event_id: int):
    """Recount a forum from its stored ballots and compare with the live results; check every budget.

    Exit 1 on a mismatch, or when a participant is over a budget (forum dots, workshop dots).
    """
    from barcamp.common.errors import DomainError
    from barcamp.events.services import get_event
    from barcamp.privacy.services import budget_breaches, recount

    try:
        event = get_event(event_id)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from None
    counted, live, diffs = recount(event)
    shown = counted or live
    click.echo(f"barcamp: forum {event.id} ({shown['mode']}): {shown['participants_voted']} voter(s), "
               f"{len(shown['ranking'])} topic(s)")
    for row in shown["ranking"]:
        click.echo(f"  {row['rank']:>3}. {row['score']:>8} {row['voters']:>5} voter(s)  {row['title']}")
    breaches = budget_breaches(event)
    if diffs:
        click.echo("MISMATCH between the stored ballots and the live results:")
        for line in diffs:
            click.echo(f"  {line}")
    if breaches:
        click.echo("OVER BUDGET: participants whose stored ballots or dots exceed the budget:")
        for line in breaches:
            click.echo(f"  {line}")
    if diffs or breaches:
        sys.exit(1)
    click.echo("OK: the recount equals the live results; nobody is over budget")


@cli.command("purge")
@click.option("--dry-run", is_flag=True, help="List the forums past their retention period, erase nothing.")
@with_appcontext
def purge_command(dry_run: bool):
    """Erase the personal data of every forum past its retention period (keeps aggregated results)."""
    from barcamp.privacy.retention import expired_events, purge_expired

    if dry_run:
        for event in expired_events():
            click.echo(f"  would purge forum {event.id} ({event.title})")
        return
    done = purge_expired()
    for counts in done:
        click.echo("  purged forum {event_id}: {participants} participant(s), {ballots} ballot(s), "
                   "{proposals} topic(s), {quiz_answers} quiz answer(s)".format(**counts))
    click.echo(f"barcamp: {len(done)} forum(s) purged")


def _translations_group():
    from barcamp.resources.i18n import translations_cli

    return translations_cli


cli.add_command(_translations_group())  # barcamp translations update|compile|check (docs/i18n.md)


@cli.command("export")
@click.argument("event_id", type=int)
@click.option("--format", "format_key", required=True, type=click.Choice(["md", "html", "pdf", "docx", "csv", "json"]),
              help="Export format.")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, writable=True),
              help="File to write ('-' for standard output).")
@with_appcontext
def export_command(event_id: int, format_key: str, output: str):
    """Write a forum's restitution (as the organiser set it) to a file."""
    from barcamp.common.errors import DomainError
    from barcamp.restitution.exports import get_format
    from barcamp.restitution.services import assemble, get_settings

    settings = get_settings(event_id)
    try:
        data = get_format(format_key).render(assemble(event_id, include_names=bool(settings and settings.include_names)))
    except DomainError as error:
        raise click.ClickException(str(error.message)) from None
    if output == "-":
        click.get_binary_stream("stdout").write(data)
        return
    with open(output, "wb") as handle:
        handle.write(data)
    click.echo(f"barcamp: forum {event_id} exported to {output} ({format_key}, {len(data)} bytes)")
