"""Alembic environment for intake: runs on the connection the runner passes in."""

from alembic import context

from intake.adapters.models import Base

# The text search's own structures differ by database (a pg_trgm index on PostgreSQL, an
# FTS5 table and its triggers on SQLite: migration 0005); the models leave them out.
SEARCH_STRUCTURES = {"ix_letters_search_text_trgm", "letters_fts"}


def _modelled(
    _object: object, name: str | None, _type: str, _reflected: bool, _compare_to: object
) -> bool:
    """Alembic's include_object hook: whether the comparison looks at ``name``."""
    return name not in SEARCH_STRUCTURES and not (name or "").startswith("letters_fts_")


connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    include_object=_modelled,
)
with context.begin_transaction():
    context.run_migrations()
