"""Settings read once from the environment (SPEC §6).

The embedded default needs no services: SQLite in ``instance/``, Celery eager, rate limits in
memory, emails to ``instance/outbox/``. Setting ``DATABASE_URL`` and ``REDIS_URL`` selects the
production shape, where ``SECRET_KEY`` is required.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent
INSTANCE_PATH = Path(os.environ.get("INSTANCE_PATH", PROJECT_ROOT / "instance"))


class ConfigurationError(RuntimeError):
    """A required setting is missing or wrong; the message says which and why."""


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() not in {"0", "false", "no", "off"}


def _embedded_secret_key(instance_path: Path) -> str:
    """Generate the embedded default's key once and keep it in ``instance/``."""
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


class Config:
    """The running configuration; ``Config.from_environment()`` builds it."""

    TESTING = False
    INSTANCE_PATH = INSTANCE_PATH
    SQLALCHEMY_DATABASE_URI = f"sqlite:///{INSTANCE_PATH / 'campaign.sqlite3'}"
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    REDIS_URL: str | None = None
    SECRET_KEY: str | None = None
    MAIL_URL: str | None = None
    OUTBOX_PATH = INSTANCE_PATH / "outbox"
    IS_EMBEDDED = True

    #: Public API bodies above this are refused with 413 (SPEC §4).
    API_MAX_BODY_BYTES = 64 * 1024
    #: Whole-request ceiling for every other route (forms, the console's UA import).
    MAX_CONTENT_LENGTH = 1024 * 1024

    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    #: No X-RateLimit-* headers on every answer (two more Redis round trips each); a 429 says Retry-After.
    RATELIMIT_HEADERS_ENABLED = False
    #: When Redis is unreachable, count in memory rather than fail the request.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_KEY_PREFIX = "uat"
    #: Reports from one address: generous, because a school reports from behind one address.
    RATELIMIT_REPORTS = "120 per minute;2000 per day"
    #: Reads of the public API and pages from one address.
    RATELIMIT_READS = "600 per minute"

    #: A single supporter report above this count is held for review instead of counted.
    REVIEW_FLAG_COUNT_ABOVE = 20
    #: Reports of one case, type and target from one email or hashed address beyond this many within the window are held.
    REVIEW_REPEAT_LIMIT = 5
    #: The same for one hashed address: higher, because a school or an office reports from behind one address.
    REVIEW_REPEAT_ADDRESS_LIMIT = 50
    REVIEW_REPEAT_WINDOW_MINUTES = 60
    #: Largest count an organiser's event tally may carry.
    EVENT_TALLY_MAX_COUNT = 100_000
    #: Longest a process serves a public answer kept under a case's change stamp (what a lost stamp could hide).
    KEPT_ANSWER_SECONDS = 5
    #: How long a process serves an answer it just built before asking Redis whether its stamp still holds:
    #: under a storm of reports each process rebuilds a case's figures at most once in this time, so public
    #: figures (and the total a report's answer gives) are at most this much behind.
    KEPT_ANSWER_RECHECK_SECONDS = 1.0
    #: Idempotency keys are remembered this long.
    IDEMPOTENCY_KEY_TTL_HOURS = 24

    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    #: Every language the product ships in, the default first; the one place that lists them.
    LANGUAGES = ("en", "zh", "ru", "kk", "es", "fr", "ar")
    #: Other BCP 47 codes a visitor may ask for (``?lang=``), and the shipped language they read as.
    LANGUAGE_ALIASES = {"zh-hans": "zh", "zh-cn": "zh", "zh-sg": "zh", "kk-cyrl": "kk", "kk-kz": "kk", "ru-ru": "ru"}
    #: Languages written right to left.
    RTL_LANGUAGES = ("ar",)
    #: The cookie that remembers a visitor's choice of language (a preference, not a session).
    LANGUAGE_COOKIE = "uat_lang"
    BABEL_TRANSLATION_DIRECTORIES = str(PROJECT_ROOT / "translations")
    #: Countries with fewer actions than this are shown together as "other countries" in the figures.
    FIGURES_COUNTRY_FLOOR = 3
    #: The site's public address (e.g. https://ua.example.org): links in emails and the verification path on figures.
    #: Unset, it is where ``make run`` serves (its HOST and PORT), else http://127.0.0.1:5000.
    PUBLIC_URL: str | None = None

    WTF_CSRF_TIME_LIMIT = 4 * 3600
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    PREFERRED_URL_SCHEME = "http"
    #: Number of proxies in front of gunicorn whose X-Forwarded-For is trusted.
    PROXY_COUNT = 0

    CELERY: dict = {}
    REMINDER_DAYS_BEFORE = 3
    #: Console accounts must use TOTP two-factor; off only in the embedded default.
    CONSOLE_REQUIRE_MFA = False
    #: Sender of every email; its domain also ends each Message-ID and List-Id.
    MAIL_DEFAULT_SENDER = "Urgent Action tracker <reminders@localhost>"
    #: Delivery-ledger rows one fan-out task claims and sends at a time.
    REMINDER_BATCH_SIZE = 200
    #: A row claimed this long ago and still unsent is handed back: its worker died.
    REMINDER_CLAIM_TIMEOUT_SECONDS = 300
    #: A reminder with due rows and no claim or queueing for this long gets its batches queued again.
    REMINDER_STALL_SECONDS = 120
    #: First delay after a temporary SMTP failure; it doubles with each attempt.
    REMINDER_RETRY_BASE_SECONDS = 60
    #: After this many temporary failures a delivery is recorded as failed.
    REMINDER_MAX_ATTEMPTS = 8
    #: A case-change notice (extension, close, follow-up) waits this long for staff to edit or stop it.
    CASE_NOTICE_HOLD_MINUTES = 30
    #: Supporters' personal data is deleted this many days after the last case they are linked to closes.
    SUPPORTER_RETENTION_DAYS = 180

    @classmethod
    def from_environment(cls) -> type[Config]:
        """Read the environment once into a config class; refuse a production start without a key."""
        env = os.environ
        instance_path = Path(env.get("INSTANCE_PATH", INSTANCE_PATH))
        database_url = env.get("DATABASE_URL") or f"sqlite:///{instance_path / 'campaign.sqlite3'}"
        redis_url = env.get("REDIS_URL") or None
        is_embedded = database_url.startswith("sqlite") and redis_url is None
        secret_key = env.get("SECRET_KEY") or None
        if secret_key is None:
            if not is_embedded:
                raise ConfigurationError(
                    "SECRET_KEY is not set: outside the embedded default (DATABASE_URL or REDIS_URL set) "
                    "the app refuses to start without it, because sessions, CSRF tokens and "
                    "unsubscribe links are signed with it. Set SECRET_KEY to a long random string."
                )
            secret_key = _embedded_secret_key(instance_path)

        attributes = {
            "INSTANCE_PATH": instance_path,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "REDIS_URL": redis_url,
            "SECRET_KEY": secret_key,
            "MAIL_URL": env.get("MAIL_URL") or None,
            "OUTBOX_PATH": instance_path / "outbox",
            "IS_EMBEDDED": is_embedded,
            "RATELIMIT_ENABLED": _flag("RATELIMIT_ENABLED", True),
            "RATELIMIT_STORAGE_URI": redis_url or "memory://",
            "RATELIMIT_REPORTS": env.get("RATELIMIT_REPORTS", cls.RATELIMIT_REPORTS),
            "RATELIMIT_READS": env.get("RATELIMIT_READS", cls.RATELIMIT_READS),
            "PROXY_COUNT": int(env.get("PROXY_COUNT", "0")),
            "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", not is_embedded),
            "REMINDER_DAYS_BEFORE": int(env.get("REMINDER_DAYS_BEFORE", "3")),
            "CONSOLE_REQUIRE_MFA": _flag("CONSOLE_REQUIRE_MFA", not is_embedded),
            "MAIL_DEFAULT_SENDER": env.get("MAIL_DEFAULT_SENDER") or cls.MAIL_DEFAULT_SENDER,
            **{
                name: int(env.get(name, getattr(cls, name)))
                for name in (
                    "REMINDER_BATCH_SIZE",
                    "REMINDER_CLAIM_TIMEOUT_SECONDS",
                    "REMINDER_STALL_SECONDS",
                    "REMINDER_RETRY_BASE_SECONDS",
                    "REMINDER_MAX_ATTEMPTS",
                    "KEPT_ANSWER_SECONDS",
                    "CASE_NOTICE_HOLD_MINUTES",
                    "SUPPORTER_RETENTION_DAYS",
                )
            },
            "KEPT_ANSWER_RECHECK_SECONDS": float(
                env.get("KEPT_ANSWER_RECHECK_SECONDS", cls.KEPT_ANSWER_RECHECK_SECONDS)
            ),
            "FIGURES_COUNTRY_FLOOR": int(env.get("FIGURES_COUNTRY_FLOOR", "3")),
            "PUBLIC_URL": (env.get("PUBLIC_URL") or "").rstrip("/") or served_url(env),
            "CELERY": celery_settings(redis_url),
        }
        return type("EnvironmentConfig", (cls,), attributes)


def served_url(env: Mapping[str, str]) -> str | None:
    """Where this machine serves the site when ``PUBLIC_URL`` is unset: ``make run``'s HOST and PORT (or gunicorn's PORT).

    Links in emails then work on another port; a wildcard host is reached through loopback.
    """
    host = env.get("HOST") or env.get("FLASK_RUN_HOST") or ""
    port = env.get("PORT") or env.get("FLASK_RUN_PORT") or ""
    if not host and not port:
        return None
    if host in {"", "0.0.0.0", "::", "[::]"}:  # noqa: S104 (compared, not bound)
        host = "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port or 5000}"


def celery_settings(redis_url: str | None) -> dict:
    """Celery's settings: eager in-process without Redis; durable acknowledgement with it."""
    if redis_url is None:
        return {
            "task_always_eager": True,
            "task_eager_propagates": True,
            "broker_url": "memory://",
            "result_backend": None,
        }
    return {
        "broker_url": redis_url,
        "result_backend": redis_url,
        "task_always_eager": False,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "broker_connection_retry_on_startup": True,
        "broker_transport_options": {"visibility_timeout": 3600},
        "task_ignore_result": True,
    }


class TestConfig(Config):
    """Settings for the test suite; the database URL is given by the fixtures."""

    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105 (tests only)
    IS_EMBEDDED = True
    CELERY = celery_settings(None)
    RATELIMIT_STORAGE_URI = "memory://"
    #: The suite's apps stand for workers that must see each other's commits at once; tests of the
    #: recheck interval set it themselves.
    KEPT_ANSWER_RECHECK_SECONDS = 0.0
