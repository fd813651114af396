"""The wheel works on its own: built, installed in a clean virtualenv, it serves a forum.

Run once per CI run, in the SQLite pass (the wheel is the same whatever the database).
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import requests

from tests.conftest import ROOT, free_port

pytestmark = [pytest.mark.server, pytest.mark.skipif(
    bool(os.environ.get("BARCAMP_TEST_DATABASE_URL")), reason="the wheel is tested once, in the SQLite pass")]


def _run(*args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=600, **kwargs)


def test_the_wheel_installed_in_a_clean_venv_serves_a_forum(tmp_path):
    dist = tmp_path / "dist"
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist), str(ROOT))
    wheel = next(dist.glob("barcamp-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names}
    assert tops == {"barcamp", f"{wheel.name.split('-')[0]}-{wheel.name.split('-')[1]}.dist-info"}  # no `app`
    for needed in ("barcamp/templates/base.html", "barcamp/static/js/live.js", "barcamp/migrations/env.py",
                   "barcamp/translations/en/LC_MESSAGES/messages.mo", "barcamp/static/vendor/socket.io/socket.io.min.js"):
        assert needed in names
    assert any(name.startswith("barcamp/content/") for name in names)

    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", str(venv))
    _run(str(venv / "bin" / "pip"), "install", "--quiet", str(wheel))
    elsewhere = tmp_path / "elsewhere"  # nothing of the checkout is reachable from here
    elsewhere.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("BARCAMP_", "PYTHON"))}
    env.update(BARCAMP_DATABASE_URL=f"sqlite:///{tmp_path / 'forum.sqlite3'}", BARCAMP_SECRET_KEY="wheel-test")
    barcamp = str(venv / "bin" / "barcamp")
    demo = _run(barcamp, "demo", cwd=elsewhere, env=env)
    code = re.search(r"join code\s+([A-Z0-9]{6})", demo.stdout).group(1)
    projector = re.search(r"projector URL\s+\S+?(/projector/\S+)", demo.stdout).group(1)

    port = free_port()
    server = subprocess.Popen([barcamp, "run", "--port", str(port)], cwd=elsewhere, env=env,
                              stdout=subprocess.DEVNULL, stderr=open(tmp_path / "server.log", "w"))
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(base + "/", timeout=2)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline and server.poll() is None, (tmp_path / "server.log").read_text()
                time.sleep(0.2)
        phone = requests.get(f"{base}/j/{code}", headers={"Accept-Language": "fr"}, timeout=10)
        assert phone.status_code == 200 and "Rejoindre" in phone.text
        english = requests.get(f"{base}/j/{code}", headers={"Accept-Language": "en"}, timeout=10)
        assert english.status_code == 200 and "Join" in english.text  # the compiled catalogue shipped
        for asset in ("/static/js/live.js", "/static/css/app.css", "/static/vendor/socket.io/socket.io.min.js"):
            assert requests.get(base + asset, timeout=10).status_code == 200, asset
        assert requests.get(base + projector, timeout=10).status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert "Traceback" not in (tmp_path / "server.log").read_text()
