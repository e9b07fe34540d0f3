"""The web application: scan pages (history, a scan's live log, the allow-list and schedules)."""
