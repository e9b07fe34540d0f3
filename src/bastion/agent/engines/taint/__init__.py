"""Bastion's Semgrep rules written as data, rendered into ``engines/rules/<language>/<category>.yaml``.

A language declares its taint sources, sanitisers and propagators once (``<language>.py`` or
``python_sources.py``); each category adds its sinks and its own sanitisers. ``generate`` renders
the YAML that Semgrep loads (the native CLI reads no YAML anchors, so a shared list cannot be
written once in YAML), and a test checks that the committed YAML is what the data renders.
Rules that are not about data flow (cookie flags, weak hashes, randomness) are pattern rules kept
beside the taint rules of the same language.
"""
