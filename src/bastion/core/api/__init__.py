"""What every REST endpoint of the core shares: role policies, tenant scoping, pagination."""
