"""The web application: settings pages."""
