"""Notifications: telling citizens, staff and department systems, in their language, reliably."""
