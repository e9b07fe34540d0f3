"""Operational tasks: worker liveness and housekeeping."""
