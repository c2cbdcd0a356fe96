"""``python -m staff_web web|public [--bind HOST:PORT] [--workers N]``: gunicorn processes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

FACTORIES = {
    "web": "staff_web.bootstrap:create_web_app()",
    "public": "staff_web.bootstrap:create_public_app()",
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the staff app, or the public pages alone, under gunicorn."""
    parser = argparse.ArgumentParser(prog="python -m staff_web")
    parser.add_argument("process", choices=sorted(FACTORIES))
    parser.add_argument("--bind", default="127.0.0.1:8000")
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args(argv)
    from gunicorn.app.wsgiapp import run

    sys.argv = [
        "gunicorn",
        "--bind",
        args.bind,
        "--workers",
        str(args.workers),
        "--config",
        "python:chancery.gunicorn_conf",
        FACTORIES[args.process],
    ]
    run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
