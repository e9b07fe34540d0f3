"""The web application: findings pages."""
