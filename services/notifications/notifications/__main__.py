"""``python -m notifications web|worker|relay|migrate|declare``."""

import sys

from chancery.cli import service_main
from notifications.bootstrap import DEFINITION

if __name__ == "__main__":
    sys.exit(service_main(DEFINITION))
