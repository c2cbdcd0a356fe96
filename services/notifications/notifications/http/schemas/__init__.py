"""Notifications' HTTP request and answer schemas, one module per resource."""
