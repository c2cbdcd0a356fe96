"""Messages between services: envelope, catalogue, topology, outbox relay, consumer."""
