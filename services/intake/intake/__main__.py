"""``python -m intake web|worker|relay|migrate|declare``."""

import sys

from chancery.cli import service_main
from intake.bootstrap import bootstrap

if __name__ == "__main__":
    sys.exit(service_main("intake", bootstrap, "intake.bootstrap:create_web_app()"))
