"""Report imports: the job record and the set-based commit of normalized findings."""
