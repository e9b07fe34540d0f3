"""What the FastAPI services (scanner, agent) share: app factory, authentication, health."""
