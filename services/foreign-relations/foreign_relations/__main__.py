"""``python -m foreign_relations web|worker|relay|migrate|declare``."""

import sys

from chancery.cli import service_main
from foreign_relations.bootstrap import bootstrap

if __name__ == "__main__":
    sys.exit(
        service_main("foreign_relations", bootstrap, "foreign_relations.bootstrap:create_web_app()")
    )
