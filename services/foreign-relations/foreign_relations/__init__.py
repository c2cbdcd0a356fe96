"""Foreign relations: partner cities, agreements, invitations, trips, visits and translations."""
