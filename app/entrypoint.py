"""The `barcamp` console script.

`barcamp run` serves on gevent, so the standard library must be patched before anything else
imports it (sockets, threading, the Redis and PostgreSQL clients).
"""
from __future__ import annotations

import sys


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "run":
        from gevent import monkey

        monkey.patch_all()
    from barcamp.cli import cli

    cli(prog_name="barcamp")


if __name__ == "__main__":
    main()
