"""Chancery's shared library: the pieces every service stands on.

Modules: ``config`` (settings from the environment), ``db`` (engine, unit of
work, platform tables), ``messages`` (envelope, catalogue, contracts,
topology, outbox relay, consumer), ``http`` (app factory, problems, health,
metrics), ``auth`` (JWT), ``telemetry`` and ``logs``, ``calendar`` (working
days), ``profiles`` (municipality profiles) and ``text`` (search folding).
"""
