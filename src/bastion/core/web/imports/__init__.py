"""The web application: imports pages."""
