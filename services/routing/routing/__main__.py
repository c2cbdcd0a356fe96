"""``python -m routing web|worker|relay|migrate|declare``."""

import sys

from chancery.cli import service_main
from routing.bootstrap import bootstrap

if __name__ == "__main__":
    sys.exit(service_main("routing", bootstrap, "routing.bootstrap:create_web_app()"))
