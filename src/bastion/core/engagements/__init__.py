"""Engagements: a pentest, a scanning programme, a bug bounty or an audit of an asset."""
