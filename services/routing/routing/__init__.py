"""Routing: who must act on each registered letter, by when, and watching that it happens."""
