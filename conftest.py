"""Fixtures every test folder shares: real PostgreSQL and RabbitMQ (see chancery_testing)."""

pytest_plugins = ["chancery_testing"]
