"""The scan engines: what reads a checked-out tree or an uploaded archive and reports what it finds."""
