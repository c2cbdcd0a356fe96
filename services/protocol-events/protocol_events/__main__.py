"""``python -m protocol_events web|worker|relay|migrate|declare``."""

import sys

from chancery.cli import service_main
from protocol_events.bootstrap import bootstrap

if __name__ == "__main__":
    sys.exit(
        service_main("protocol-events", bootstrap, "protocol_events.bootstrap:create_web_app()")
    )
