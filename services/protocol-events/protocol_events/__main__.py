"""``python -m protocol_events web|worker|relay|migrate|declare``."""

import sys

from chancery.cli import service_main
from protocol_events.bootstrap import DEFINITION

if __name__ == "__main__":
    sys.exit(service_main(DEFINITION))
