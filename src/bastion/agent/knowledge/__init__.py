"""What Bastion knows about weaknesses without asking a model: CWE names, impact and fixes."""
