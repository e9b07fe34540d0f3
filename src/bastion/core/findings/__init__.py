"""Findings (the design's vulnerabilities), their triage workflow, comments and SLAs."""
