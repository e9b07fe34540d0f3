"""Scans Bastion runs itself: jobs, the allow-list, schedules (the records; the engines are the scanner's)."""
