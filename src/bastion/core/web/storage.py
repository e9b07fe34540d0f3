"""Static files with content-hashed names, so that browsers may cache them for ever."""

from __future__ import annotations

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage


class StaticStorage(ManifestStaticFilesStorage):
    """Hash at collectstatic; before any collectstatic, name files as they are.

    `bastion up` collects before it serves, so pages there always name hashed files. Tests and
    `runserver` render pages without collecting (their static files come from the finders): a
    missing manifest entry then falls back to the plain name instead of failing the page.
    (Django's hashing alone: WhiteNoise's compressed copies tripled the time every `bastion up`
    spends collecting, and neither the gateway nor nginx's configuration serves them.)
    """

    def stored_name(self, name: str) -> str:
        try:
            return super().stored_name(name)
        except ValueError:
            return name
