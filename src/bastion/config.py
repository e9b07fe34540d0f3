"""Bastion's configuration: one set of environment variables for every service.

The embedded profile (the default) needs nothing set: state lives under
``BASTION_VAR_DIR`` (SQLite database, broker, secret key). The production profile
refuses to start with a missing secret key, DEBUG on or a default admin password.
"""

from __future__ import annotations

import secrets
import sys
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Profile = Literal["embedded", "production"]
LlmProvider = Literal["none", "openai", "anthropic", "llamacpp"]

# Passwords that an installer or a tutorial might have left behind.
DEFAULT_PASSWORDS = frozenset(
    {"admin", "administrator", "password", "changeme", "change-me", "bastion", "secret", "root"}
)
MINIMUM_ADMIN_PASSWORD_LENGTH = 12


class ConfigurationError(RuntimeError):
    """The environment describes a configuration Bastion refuses to run with."""


class Settings(BaseSettings):
    """Every setting Bastion reads from the environment (prefix ``BASTION_``)."""

    model_config = SettingsConfigDict(env_prefix="BASTION_", extra="ignore")

    profile: Profile = "embedded"
    debug: bool = False
    var_dir: Path = Path("var")
    database_url: str | None = None
    broker_url: str | None = None
    redis_url: str | None = None
    secret_key: SecretStr | None = None
    #: Earlier secret keys, comma-separated: sessions and sealed secrets they signed stay valid.
    secret_key_fallbacks: SecretStr | None = None
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    admin_email: str | None = None
    admin_password: SecretStr | None = None
    allowed_hosts: str = "localhost,127.0.0.1,[::1],testserver"
    log_level: str = "INFO"
    max_upload_bytes: int = Field(default=1024**3, ge=1024)
    # Production only: how long browsers keep to HTTPS (Strict-Transport-Security); 0 sends no header.
    hsts_seconds: int = Field(default=365 * 24 * 3600, ge=0)
    imports_per_minute: int = Field(default=120, ge=1)
    # The most memory one worker process may take for a task (imports); past it the task fails.
    worker_memory_mb: int = Field(default=1024, ge=256)
    # Admin sign-in: this many failures lock the account and the address for this many minutes.
    login_failure_limit: int = Field(default=5, ge=1)
    login_lockout_minutes: int = Field(default=15, ge=1)
    # Outgoing mail (password resets, MFA notices) goes by SMTP to this host; with none set, the
    # embedded profile prints messages on the console and production uses the machine's own MTA.
    email_host: str | None = None
    email_port: int = Field(default=587, ge=1, le=65535)
    email_user: str | None = None
    email_password: SecretStr | None = None
    email_use_tls: bool = True
    email_from: str = "Bastion <bastion@localhost>"
    # The agent: engines, the language model, and what a user or an organisation may spend on it.
    semgrep_bin: Path | None = None
    analysis_timeout_seconds: float = Field(default=20.0, gt=0)
    analysis_memory_mb: int = Field(default=1024, ge=128)
    llm_provider: LlmProvider = "none"
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None
    llm_model_path: Path | None = None
    llm_timeout_seconds: float = Field(default=120.0, gt=0)
    llm_max_tokens: int = Field(default=512, ge=16)
    llm_temperature: float = Field(default=0.2, ge=0, le=2)
    llm_threads: int = Field(default=2, ge=1)
    chat_messages_per_minute: int = Field(default=20, ge=1)
    analyses_per_minute: int = Field(default=30, ge=1)
    concurrent_analyses: int = Field(default=4, ge=1)
    llm_tokens_per_day: int = Field(default=500_000, ge=0)
    # Scans Bastion runs itself: how many may run at once per organisation, and each engine's limits.
    scans_per_organization: int = Field(default=2, ge=1)
    scans_per_minute: int = Field(default=30, ge=1)
    scan_engine_timeout_seconds: int = Field(default=1800, ge=5)
    scan_engine_memory_mb: int = Field(default=2048, ge=256)
    # Where local repositories may be scanned from ("" = nowhere): an administrator's choice.
    scan_local_root: Path | None = None
    # The advisory database: a daily download of OSV's exports (off by default: it reaches the internet).
    advisories_sync: bool = False
    advisories_url: str = "https://osv-vulnerabilities.storage.googleapis.com"
    #: Comma-separated OSV ecosystem names, as OSV spells them.
    advisories_ecosystems: str = "PyPI,npm,Go,crates.io,Maven,RubyGems"
    advisories_max_download_bytes: int = Field(default=2 * 1024**3, ge=1)

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.profile != "production":
            return self
        problems = []
        if self.secret_key is None or len(self.secret_key.get_secret_value()) < 32:
            problems.append("BASTION_SECRET_KEY must be set to at least 32 characters")
        if self.debug:
            problems.append("BASTION_DEBUG must be off")
        if self.admin_password is not None and is_default_password(self.admin_password.get_secret_value()):
            problems.append(
                "BASTION_ADMIN_PASSWORD is a default or shorter than "
                f"{MINIMUM_ADMIN_PASSWORD_LENGTH} characters"
            )
        if problems:
            raise ConfigurationError("production profile refused: " + "; ".join(problems))
        return self

    @property
    def absolute_var_dir(self) -> Path:
        """Return the absolute state directory (``BASTION_VAR_DIR``, else ``./var``), without creating it."""
        return self.var_dir.expanduser().resolve()

    @property
    def resolved_var_dir(self) -> Path:
        """Return the absolute state directory, creating it on first use."""
        path = self.absolute_var_dir
        path.mkdir(parents=True, exist_ok=True)
        return path

    @property
    def sqlite_path(self) -> Path | None:
        """Return the SQLite database file, or None when the database is a server (PostgreSQL)."""
        if self.database_url is None:
            return self.absolute_var_dir / "bastion.sqlite3"
        if self.database_url.startswith("sqlite:///") and ":memory:" not in self.database_url:
            return Path(self.database_url.removeprefix("sqlite:///")).expanduser().resolve()
        return None

    @property
    def resolved_database_url(self) -> str:
        """Return the database URL, defaulting to a SQLite file under the state directory."""
        return self.database_url or f"sqlite:///{self.resolved_var_dir / 'bastion.sqlite3'}"

    @property
    def resolved_broker_url(self) -> str:
        """Return the broker URL, defaulting to kombu's SQLAlchemy transport on SQLite."""
        return self.broker_url or f"sqla+sqlite:///{self.resolved_var_dir / 'broker.sqlite3'}"

    @property
    def result_backend_url(self) -> str:
        """Return where Celery keeps task results: Redis when configured, else a database."""
        if self.redis_url:
            return self.redis_url
        database_url = self.resolved_database_url
        scheme = urlsplit(database_url).scheme
        if scheme in {"postgres", "postgresql", "pgsql"}:
            return "db+postgresql+psycopg" + database_url[len(scheme) :]
        return f"db+sqlite:///{self.resolved_var_dir / 'results.sqlite3'}"

    @property
    def email_backend(self) -> str:
        """Return Django's e-mail backend: SMTP, or the console in the embedded profile with no host."""
        if not self.email_host and self.profile == "embedded":
            return "django.core.mail.backends.console.EmailBackend"
        return "django.core.mail.backends.smtp.EmailBackend"

    @property
    def resolved_semgrep_bin(self) -> Path:
        """Return Semgrep's path: its own virtual environment beside the project's (``make``)."""
        if self.semgrep_bin is not None:
            return self.semgrep_bin
        return Path(sys.prefix).parent / ".tools" / "semgrep" / "bin" / "semgrep"

    def resolved_secret_key(self) -> str:
        """Return the secret key; in the embedded profile generate and keep one under var/."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        if self.profile == "production":  # pragma: no cover - refused by the validator
            raise ConfigurationError("BASTION_SECRET_KEY is required in production")
        key_file = self.resolved_var_dir / "secret_key"
        if not key_file.exists():
            key_file.touch(mode=0o600)
            key_file.write_text(secrets.token_urlsafe(50))
        return key_file.read_text().strip()

    def resolved_secret_key_fallbacks(self) -> list[str]:
        """Return the earlier secret keys that still open what they signed or sealed."""
        if self.secret_key_fallbacks is None:
            return []
        return [key.strip() for key in self.secret_key_fallbacks.get_secret_value().split(",") if key.strip()]


def is_default_password(password: str) -> bool:
    """Tell whether a password is a well-known default or too short to keep."""
    return password.lower() in DEFAULT_PASSWORDS or len(password) < MINIMUM_ADMIN_PASSWORD_LENGTH


def redact_url(url: str) -> str:
    """Return a URL with its password replaced, for logs and error messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings, read once from the environment."""
    return Settings()
