"""The scanner service: report imports, webhooks and the scans Bastion runs itself."""
