"""Starts the fixture app on 127.0.0.1 and prints the bound port.

    python3 serve.py --db runs.sqlite [--port 0] [--slow-query-seconds 0.1] [--seed-rows 0]

With ``--port 0`` (the default) the kernel picks a free port; the first line
on stdout is ``PEFT_STUDIO_FIXTURE_PORT=<port>``, printed once the socket
listens (connections made then wait in the backlog until uvicorn accepts).
SIGTERM or SIGINT stops it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import uvicorn  # noqa: E402

from app import create_app  # noqa: E402


def main() -> None:
    # A test runner may start us from a thread that blocks SIGTERM and SIGINT
    # (the mask is inherited across exec): unblock them, or a stop would hang.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True, help="the SQLite file (created if missing)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--slow-query-seconds", type=float, default=0.1)
    parser.add_argument("--seed-rows", type=int, default=0)
    arguments = parser.parse_args()
    if arguments.host not in ("127.0.0.1", "localhost"):
        parser.error("the fixture listens on loopback only")

    app = create_app(arguments.db, arguments.slow_query_seconds, arguments.seed_rows)
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY on accepted connections
    # only when the protocol says TCP. Without it, Nagle holds the body of
    # every keep-alive response behind the client's delayed ACK (~40 ms),
    # which `uvicorn --port` (getaddrinfo's sockets) never does.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", arguments.port))
    sock.listen(128)
    sock.set_inheritable(True)
    print(f"PEFT_STUDIO_FIXTURE_PORT={sock.getsockname()[1]}", flush=True)

    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    server = uvicorn.Server(config)
    asyncio.run(server.serve(sockets=[sock]))


if __name__ == "__main__":
    main()
