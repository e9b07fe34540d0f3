"""The web application: assets and engagements pages."""
