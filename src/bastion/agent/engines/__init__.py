"""The analysis engines Bastion runs on code: Bandit, Semgrep (own rules) and detect-secrets.

Each runs as a subprocess on a temporary copy of the code, with a time and a memory limit,
and yields ``Vulnerability`` records; ``run_engines`` runs those that fit the language.
"""
