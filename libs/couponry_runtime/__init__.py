"""Hand-written code shared by every couponry service: settings, database,
errors, telemetry, server bootstrap and peer channels."""
