"""Staff members' in-app notices."""

from __future__ import annotations

from sqlalchemy import func, select

from chancery.clock import utcnow
from chancery.db import Transactions
from chancery.errors import NotFound
from chancery.keyset import Ordering, fetch_page
from chancery.paging import MAX_LIMIT, Page, PageRequest
from notifications.adapters.models import FeedItem

_NEWEST_FIRST = (
    Ordering(FeedItem.created_at, descending=True),
    Ordering(FeedItem.id, descending=True),
)


class Feed(Transactions):
    """A staff member's notices: read, counted, marked read."""

    def items(self, subject: str, unread_only: bool) -> list[FeedItem]:
        """A staff member's newest notices, at most one full page."""
        return self.page(subject, unread_only, PageRequest(limit=MAX_LIMIT)).items

    def page(self, subject: str, unread_only: bool, page: PageRequest) -> Page[FeedItem]:
        """A page of a staff member's notices, newest first."""
        query = select(FeedItem).where(FeedItem.staff_subject == subject)
        if unread_only:
            query = query.where(FeedItem.read_at.is_(None))
        with self.reading() as uow:
            return fetch_page(uow.session, query, _NEWEST_FIRST, page)

    def unread_count(self, subject: str) -> int:
        """How many of a staff member's notices are unread (the page header's badge)."""
        with self.reading() as uow:
            return (
                uow.session.scalar(
                    select(func.count())
                    .select_from(FeedItem)
                    .where(FeedItem.staff_subject == subject, FeedItem.read_at.is_(None))
                )
                or 0
            )

    def mark_read(self, item_id: str, subject: str) -> FeedItem:
        """Mark one of the caller's own notices read."""
        with self.transaction() as uow:
            item = uow.session.get(FeedItem, item_id)
            if item is None or item.staff_subject != subject:
                raise NotFound(f"No notice {item_id} in your feed.")
            item.read_at = item.read_at or utcnow()
            return item
