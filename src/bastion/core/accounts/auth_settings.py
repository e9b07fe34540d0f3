"""Sign-in settings: django-allauth (accounts and MFA), sessions, and outgoing e-mail.

``bastion.core.settings`` imports every name here (``from ... import *``) after its own
authentication and session settings, which these replace; the apps and the middleware it must add
to its lists are named at the end.
"""

from __future__ import annotations

from bastion.config import get_settings

_config = get_settings()

# --- allauth.account: e-mail and password, no usernames, no self-service sign-up ---
ACCOUNT_ADAPTER = "bastion.core.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# Accounts are created by an administrator or an invitation, whose address is the one invited.
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Bastion] "
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
# A reset link sent to an unknown address would tell an attacker nothing, but mails a stranger.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_SESSION_REMEMBER = None  # the "remember me" box decides
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# Throttling has two layers. django-axes locks an account and an address after
# BASTION_LOGIN_FAILURE_LIMIT failures (a 429 with Retry-After, the same on every sign-in form);
# allauth's own limits sit behind it: per address per minute, and on resets, MFA codes and sign-ups.
# Its per-account failure limit is twice axes' so that axes, which tells the client how long to
# wait, always answers first.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": (
        f"{4 * _config.login_failure_limit}/m/ip,"
        f"{2 * _config.login_failure_limit}/{_config.login_lockout_minutes}m/key"
    ),
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
}

# --- allauth.mfa: authenticator apps with recovery codes, and security keys ---
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Bastion"
MFA_TOTP_TOLERANCE = 1  # one 30-second step either side: a phone's clock is rarely exact
MFA_RECOVERY_CODE_COUNT = 10
# Addresses are typed by the administrator or the inviter, not claimed by a stranger at sign-up,
# and allauth keeps no verification record for them (ACCOUNT_EMAIL_VERIFICATION is "none").
MFA_ALLOW_UNVERIFIED_EMAIL = True
MFA_PASSKEY_LOGIN_ENABLED = False  # a security key is a second factor, not a password
# Browsers allow WebAuthn on http://localhost only; the embedded profile serves plain HTTP there.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = _config.profile == "embedded"

# --- where signing in starts and ends ---
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

# --- sessions: the cookie never reaches scripts or other sites; HTTPS-only in production ---
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = _config.profile == "production"
CSRF_COOKIE_SECURE = _config.profile == "production"
SESSION_COOKIE_AGE = 12 * 3600  # a working day; "remember me" is allauth's choice above

# --- outgoing e-mail ---
EMAIL_BACKEND = _config.email_backend
EMAIL_HOST = _config.email_host or "localhost"
EMAIL_PORT = _config.email_port
EMAIL_HOST_USER = _config.email_user or ""
EMAIL_HOST_PASSWORD = _config.email_password.get_secret_value() if _config.email_password else ""
EMAIL_USE_TLS = _config.email_use_tls
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = _config.email_from
SERVER_EMAIL = _config.email_from

# --- django-axes: the same lock on allauth's form ("login") and the admin's ("username") ---
AXES_USERNAME_CALLABLE = "bastion.core.accounts.lockout.username_of"

# Axes first (it sees every attempt and refuses a locked one), then allauth's (e-mail sign-in),
# then Django's (permissions, and the admin's own checks).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# What bastion.core.settings adds to its lists (lowercase: Django reads no setting from them).
auth_apps = ["allauth", "allauth.account", "allauth.mfa"]
#: After AuthenticationMiddleware and MessageMiddleware, before AxesMiddleware.
auth_middleware = [
    "allauth.account.middleware.AccountMiddleware",
    "bastion.core.accounts.middleware.require_mfa",
]
