"""The `barcamp` command: organiser accounts and the demo forum (real subprocesses)."""
from __future__ import annotations

import os
import re

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import PG_URL, _database_url, barcamp, reset_postgres


def query(env, sql):
    engine = create_engine(env["BARCAMP_DATABASE_URL"])
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql))]
    finally:
        engine.dispose()


def test_organiser_create_reads_the_password_from_stdin(cli_env):
    barcamp("db", "upgrade", env=cli_env)

    result = barcamp("organiser", "create", "Chloe@Example.org", env=cli_env, input="un-long-secret\n")

    assert result.stdout.strip() == "barcamp: organiser chloe@example.org created"
    assert query(cli_env, "SELECT email FROM organisers") == [("chloe@example.org",)]


@pytest.fixture
def invoke(app):
    """Run a `barcamp` command in-process on the test app (CliRunner: stdin is not a TTY)."""
    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    from barcamp.cli import cli

    def _invoke(*args, input=None):
        return CliRunner().invoke(cli, list(args), input=input, obj=ScriptInfo(create_app=lambda: app))

    return _invoke


def test_organiser_created_by_cli_can_log_in(invoke, client):
    result = invoke("organiser", "create", "chloe@example.org", input="un-long-secret\n")

    assert result.exit_code == 0, result.output
    response = client.post("/api/v1/auth/token", json={"email": "chloe@example.org", "password": "un-long-secret"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [("chloe@example.org", "autre-secret", "Un compte existe déjà pour cette adresse."),
     ("sans-arobase", "un-long-secret", "Adresse e-mail invalide."),
     ("neuf@example.org", "court", "Le mot de passe doit faire au moins 8 caractères.")],
    ids=["duplicate_email", "invalid_email", "short_password"],
)
def test_organiser_create_refusal_is_a_clear_message(invoke, fresh_db, email, password, message):
    invoke("organiser", "create", "chloe@example.org", input="un-long-secret\n")

    result = invoke("organiser", "create", email, input=password + "\n")

    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {message}"
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert fresh_db("SELECT email FROM organisers") == [("chloe@example.org",)]


def test_duplicate_organiser_from_a_real_process_fails_without_traceback(cli_env):
    barcamp("db", "upgrade", env=cli_env)
    barcamp("organiser", "create", "chloe@example.org", env=cli_env, input="un-long-secret\n")

    result = barcamp("organiser", "create", "CHLOE@example.org", env=cli_env, input="autre-secret\n", check=False)

    assert result.returncode == 1
    assert result.stderr.strip() == "Error: Un compte existe déjà pour cette adresse."


def test_demo_prints_login_and_code_and_builds_the_2017_topics(cli_env):
    result = barcamp("demo", env=cli_env)

    assert "demo@barcamp.local / barcamp-demo" in result.stdout
    code = re.search(r"join code\s+([A-Z0-9]{6})", result.stdout).group(1)
    assert query(cli_env, "SELECT join_code, phase FROM events") == [(code, "PROPOSALS")]
    assert query(cli_env, "SELECT title FROM proposals ORDER BY id") == [
        ("Développement durable : comment passer à l'échelle ?",),
        ("Vous avez dit : nouvelles organisations de travail ?",),
        ("Faire participer l'usager/utilisateur/citoyen",),
        ("La transition numérique : simplification ou fracture pour l'usager ?",),
    ]


def test_demo_twice_keeps_one_forum(cli_env):
    first = barcamp("demo", env=cli_env)

    second = barcamp("demo", env=cli_env)

    code = re.search(r"join code\s+(\w+)", first.stdout).group(1)
    assert re.search(r"join code\s+(\w+)", second.stdout).group(1) == code
    assert query(cli_env, "SELECT count(*) FROM events") == [(1,)]
    assert query(cli_env, "SELECT count(*) FROM proposals") == [(4,)]
    assert query(cli_env, "SELECT count(*) FROM organisers") == [(1,)]
