"""The web application: finding pages."""
