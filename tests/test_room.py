"""Serving the room: `barcamp run` says where phones join, and the dashboard warns of a link they can't open."""
from __future__ import annotations

import re
import subprocess
import sys
import time

import pytest

from barcamp.ops.network import is_loopback_url, room_url
from tests.conftest import ROOT, barcamp, free_port


@pytest.mark.parametrize("url, loopback", [
    ("http://127.0.0.1:5000/j/ABCDEF", True),
    ("http://localhost:5000/j/ABCDEF", True),
    ("http://[::1]:5000/j/ABCDEF", True),
    ("http://127.8.9.1/j/ABCDEF", True),
    ("http://192.168.1.20:5000/j/ABCDEF", False),
    ("https://forum.ville.fr/j/ABCDEF", False),
])
def test_a_join_link_to_this_computer_only_is_told_apart(url, loopback):
    assert is_loopback_url(url) is loopback


def test_the_room_url_is_the_address_listened_on_or_this_computers_on_the_network():
    assert room_url("127.0.0.1", 5000) is None  # phones can't reach it
    assert room_url("localhost", 5000) is None
    assert room_url("10.1.2.3", 8080) == "http://10.1.2.3:8080"
    every = room_url("0.0.0.0", 5000)  # this computer's address on its network, when it has one
    assert every is None or (every.endswith(":5000") and not is_loopback_url(every))


def _run_output(env: dict, *args: str) -> str:
    """What `barcamp run` prints before it serves (it is stopped once it answers)."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "barcamp.entrypoint", "run", "--port", str(port), *args],
                               env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        lines = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "phones join at" in line or "no schema yet" in line:
                break
        return "".join(lines)
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_run_on_every_interface_prints_the_demo_forums_join_link_on_the_network_and_a_qr(cli_env):
    demo = barcamp("demo", env=cli_env)
    code = re.search(r"join code\s+([A-Z0-9]{6})", demo.stdout).group(1)

    printed = _run_output({**cli_env, "BARCAMP_PUBLIC_URL": "http://192.168.1.20:5000"}, "--host", "0.0.0.0")

    assert f"code {code}, phones join at http://192.168.1.20:5000/j/{code}" in printed
    assert "listening on" not in printed  # no loopback warning


def test_run_on_loopback_says_phones_cannot_reach_it_and_how_to_open_it(cli_env):
    barcamp("demo", env=cli_env)

    printed = _run_output(cli_env)

    assert "listening on 127.0.0.1 only: phones cannot reach this computer" in printed
    assert "barcamp run --host 0.0.0.0" in printed
    assert re.search(r"phones join at http://127\.0\.0\.1:\d+/j/[A-Z0-9]{6}", printed)


def test_the_dashboard_warns_when_the_join_link_points_at_this_computer(app, client, make_event):
    event = make_event()
    client.post("/organiser/login", data={"email": event["organiser"]["email"],
                                          "password": event["organiser"]["password"]},
                base_url="http://127.0.0.1:5000")

    local = client.get(f"/organiser/events/{event['id']}", base_url="http://127.0.0.1:5000").get_data(as_text=True)
    app.config["PUBLIC_URL"] = "http://192.168.1.20:5000"
    open_to_the_room = client.get(f"/organiser/events/{event['id']}",
                                  base_url="http://127.0.0.1:5000").get_data(as_text=True)

    assert "data-join-unreachable" in local
    assert "Les téléphones ne pourront pas ouvrir ce lien" in local
    assert "data-join-unreachable" not in open_to_the_room
    assert "http://192.168.1.20:5000/j/" in open_to_the_room
