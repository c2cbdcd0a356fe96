"""Fixtures every test folder shares: real PostgreSQL and RabbitMQ (see chancery.testing)."""

pytest_plugins = ["chancery.testing"]
