"""Settings, all from environment variables with safe defaults (embedded SQLite, no servers)."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("SANGKIEN_VAR_DIR", PROJECT_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
_secret_file = VAR_DIR / "secret_key"
if "SECRET_KEY" in os.environ:
    SECRET_KEY = os.environ["SECRET_KEY"]
else:
    # A fresh machine gets its own random key, kept beside the embedded database.
    if not _secret_file.exists():
        import secrets

        _secret_file.write_text(secrets.token_urlsafe(50))
        _secret_file.chmod(0o600)
    SECRET_KEY = _secret_file.read_text().strip()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "sangkien.common",
    "sangkien.orgs",
    "sangkien.programs",
    "sangkien.accounts",
    "sangkien.initiatives",
    "sangkien.review",
    "sangkien.awards",
    "sangkien.targets",
    "sangkien.public",
    "sangkien.office",
    "sangkien.api",
    "sangkien.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session, CSRF and the view: a surplus submission costs one Redis count.
    "sangkien.public.admission.SubmissionAdmissionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sangkien.common.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Innermost, so that a view's lost database connection becomes 503 with the form kept.
    "sangkien.common.unavailable.DatabaseUnavailableMiddleware",
]
# Seconds a page answered while the database is unreachable asks the browser to wait.
UNAVAILABLE_RETRY_AFTER = int(os.environ.get("UNAVAILABLE_RETRY_AFTER", "5"))

ROOT_URLCONF = "sangkien.urls"
WSGI_APPLICATION = "sangkien.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
            "builtins": ["sangkien.common.templatetags.vn"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DB_SERVER_SIDE_BINDING", False
):
    # Parameters sent apart from the statement, so psycopg prepares the statements a process
    # repeats and PostgreSQL plans them once (the submission's dozen queries, every page's).
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_PREFIX", "sangkien"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.Officer"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if env_bool("FAST_PASSWORD_HASHER", False):  # tests only: argon2 costs ~50 ms per hash
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "office:login"
LOGIN_REDIRECT_URL = "office:home"

# Lockout: this many failed sign-ins for one username (or from one address) within the window
# locks further attempts until the window has passed.
LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", "5"))
LOGIN_LOCKOUT_SECONDS = int(os.environ.get("LOGIN_LOCKOUT_SECONDS", "900"))

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
FORMAT_MODULE_PATH = ["sangkien.formats"]
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = 8 * 3600
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Tree imports: a file bigger than this is refused before it is parsed.
TREE_IMPORT_MAX_BYTES = int(os.environ.get("TREE_IMPORT_MAX_BYTES", str(50 * 1024 * 1024)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.server": {"level": "WARNING"}},
}

NINJA_PAGINATION_PER_PAGE = 100

# Maintained numbers (stats): "inline" folds each change right after its commit, so figures are
# exact at once; "worker" leaves it to `manage.py numbers_worker`, which folds every few seconds.
STATS_FOLD = os.environ.get("STATS_FOLD", "inline")

# Seconds each app process keeps a published programme's rules it read for the submission form
# (0: read every time). Production sets 30: an administrator's change reaches every process within
# that time, and a submission saves four queries.
PROGRAM_CACHE_SECONDS = int(os.environ.get("PROGRAM_CACHE_SECONDS", "0"))

# The address members are sent to in receipts and the programme's QR code.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Personal data (ID and phone numbers): encrypted at rest with the first of PERSONAL_DATA_KEYS
# (Fernet keys, comma-separated; older keys stay to decrypt during a rotation), and hashed with
# PERSONAL_DATA_HASH_KEY for lookups. Without them a key file beside the database is created once.
_pd_file = VAR_DIR / "personal_data_keys"
if "PERSONAL_DATA_KEYS" in os.environ:
    PERSONAL_DATA_KEYS = env_list("PERSONAL_DATA_KEYS", "")
    PERSONAL_DATA_HASH_KEY = os.environ.get("PERSONAL_DATA_HASH_KEY", "")
else:
    if not _pd_file.exists():
        import base64
        import secrets

        _pd_file.write_text(
            base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
            + "\n"
            + secrets.token_urlsafe(32)
            + "\n"
        )
        _pd_file.chmod(0o600)
    PERSONAL_DATA_KEYS, PERSONAL_DATA_HASH_KEY = _pd_file.read_text().split()[:2]
    PERSONAL_DATA_KEYS = [PERSONAL_DATA_KEYS]

# Attachments: where staged and accepted files live (under MEDIA_ROOT), and how long an upload
# that never became part of an initiative is kept before `sweep_uploads` removes it.
UPLOAD_STAGING_HOURS = int(os.environ.get("UPLOAD_STAGING_HOURS", "48"))

# --- Notifications, rate limits and the public form's CAPTCHA (sangkien.common) ---------------
# Receipts and status changes go through every sender listed here (dotted class paths).
NOTIFY_BACKENDS = env_list("NOTIFY_BACKENDS", "sangkien.common.notify.ConsoleSender")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Notifications are sent in the request that committed the submission: never wait forever.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Sáng kiến Công đoàn <no-reply@sangkien.local>"
)
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")
SMS_GATEWAY_TIMEOUT = float(os.environ.get("SMS_GATEWAY_TIMEOUT", "5"))


def env_rate(name: str, default: str) -> tuple[int, int]:
    """ "60/600" → (60, 600): at most 60 events per 600-second window."""
    from django.core.exceptions import ImproperlyConfigured

    raw = os.environ.get(name, default)
    try:
        limit, seconds = (int(part) for part in raw.split("/"))
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected <count>/<seconds>") from None
    if limit < 1 or seconds < 1:
        raise ImproperlyConfigured(f"{name}={raw!r}: count and seconds must be positive")
    return limit, seconds


# (limit, window seconds) per scope. A factory behind one NAT address submits a lot, hence the
# generous per-address limit; the per-phone limit is what stops one person flooding.
RATE_LIMITS = {
    "submit_ip": env_rate("RATE_LIMIT_SUBMIT_IP", "60/600"),
    "submit_phone": env_rate("RATE_LIMIT_SUBMIT_PHONE", "10/86400"),
    "lookup_ip": env_rate("RATE_LIMIT_LOOKUP_IP", "30/600"),
    "lookup_receipt": env_rate("RATE_LIMIT_LOOKUP_RECEIPT", "10/600"),
}

# Admission control (common.admission): at most this many submissions per second over all app
# processes; the rest are answered 503 with Retry-After (ADMISSION_RETRY_AFTER to twice that,
# seconds, longer the further the second is over the limit or the larger the refused crowd, at
# most 120) and the form as typed. 0 admits everything (the default); set it a little below what
# the deployment's workers keep answering during a surge (docs/DEPLOY.md).
ADMISSION_LIMITS = {"submit": int(os.environ.get("ADMISSION_SUBMIT_PER_SECOND", "0"))}
ADMISSION_RETRY_AFTER = int(os.environ.get("ADMISSION_RETRY_AFTER", "5"))

# "off", "always", or "auto": asked only of a busy address or when the whole site is busy.
CAPTCHA_MODE = os.environ.get("CAPTCHA_MODE", "auto").strip().lower()
if CAPTCHA_MODE not in {"off", "auto", "always"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"CAPTCHA_MODE={CAPTCHA_MODE!r}: expected off, auto or always")
CAPTCHA_MAX_AGE_SECONDS = int(os.environ.get("CAPTCHA_MAX_AGE_SECONDS", "1800"))
CAPTCHA_AUTO_THRESHOLD = int(os.environ.get("CAPTCHA_AUTO_THRESHOLD", "5"))
CAPTCHA_AUTO_SITE_PER_MINUTE = int(os.environ.get("CAPTCHA_AUTO_SITE_PER_MINUTE", "3000"))

# How many reverse proxies of ours stand in front of the app (0: clients connect directly). Rate
# limits and sign-in lockouts key on the address the outermost one saw.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Spreadsheet imports (nộp hộ theo danh sách): run as background tasks (common.tasks: RQ with
# Redis, else a thread of the web process; inline = in the request, for tests), files up to this size, uploaded files of finished jobs
# deleted after this many days (they hold ID numbers in clear). `manage.py run_bulk_imports`
# resumes jobs a stopped process left behind.
BULK_IMPORT_INLINE = env_bool("BULK_IMPORT_INLINE", False)
BULK_IMPORT_MAX_BYTES = int(os.environ.get("BULK_IMPORT_MAX_BYTES", str(30 * 1024 * 1024)))
BULK_IMPORT_KEEP_DAYS = int(os.environ.get("BULK_IMPORT_KEEP_DAYS", "30"))
# Export jobs (targets.exports) run as background tasks after the request, or inline with this on.
EXPORT_INLINE = env_bool("EXPORT_INLINE", False)

# --- Task queue and sessions in Redis (issue 6) ---
# Work outside the request (receipts and status messages, bulk imports, exports) goes through
# sangkien.common.tasks after the commit: "rq" queues it in Redis for `manage.py task_worker`,
# "thread" runs it in a daemon thread of the web process, "inline" right after the commit in the
# caller's thread (tests). A job Redis cannot take runs in a thread instead, with a warning.
TASK_QUEUE = os.environ.get("TASK_QUEUE", "rq" if REDIS_URL else "thread").strip().lower()
# Defaults to the cache's Redis; a separate database number keeps the queue safe from a cache
# clear (django-redis clears with FLUSHDB).
TASK_QUEUE_URL = os.environ.get("TASK_QUEUE_URL", REDIS_URL)
if TASK_QUEUE not in {"rq", "thread", "inline"} or (TASK_QUEUE == "rq" and not TASK_QUEUE_URL):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"TASK_QUEUE={TASK_QUEUE!r}: expected rq (with TASK_QUEUE_URL or REDIS_URL), thread or inline"
    )
TASK_QUEUE_NAME = os.environ.get("TASK_QUEUE_NAME", "sangkien")
# Seconds to reach the queue's Redis before the job falls back to a thread.
TASK_QUEUE_CONNECT_TIMEOUT = float(os.environ.get("TASK_QUEUE_CONNECT_TIMEOUT", "2"))
# A failed job is tried again this many times, waiting these many seconds before each retry.
TASK_RETRIES = int(os.environ.get("TASK_RETRIES", "3"))
TASK_RETRY_INTERVALS = [int(s) for s in env_list("TASK_RETRY_INTERVALS", "30,120,600")]
# A job running longer is stopped (a 30 MB import takes minutes, not an hour); finished jobs are
# listed for an hour, failed ones for a week (`rq info`, the FailedJobRegistry).
TASK_TIMEOUT = int(os.environ.get("TASK_TIMEOUT", "3600"))
TASK_RESULT_TTL = int(os.environ.get("TASK_RESULT_TTL", "3600"))
TASK_FAILURE_TTL = int(os.environ.get("TASK_FAILURE_TTL", str(7 * 24 * 3600)))
# With Redis, sessions live only in the cache: no database write per session save (the public
# form saves one on every submission); losing Redis signs officers out, nothing more.
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"

# --- Operations: health, metrics, logs, object storage (issue 6) ---
# Outermost: every request counted, timed and logged once with its request id; then /healthz,
# /readyz and /metrics answered before the host check, sessions and CSRF (sangkien.common.metrics,
# sangkien.common.health).
MIDDLEWARE.insert(0, "sangkien.common.health.ProbeMiddleware")
MIDDLEWARE.insert(0, "sangkien.common.metrics.RequestMetricsMiddleware")
# /metrics answers loopback, and anyone sending "Authorization: Bearer <METRICS_TOKEN>" when it is
# set; everybody else gets 404. Under gunicorn set PROMETHEUS_MULTIPROC_DIR (deploy/gunicorn.conf.py).
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
# A readiness probe (and any request) must not wait minutes for a database host that vanished.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DB_CONNECT_TIMEOUT", "5"))
    )

# Logs: "plain" lines for people (development), or "json": one JSON object per line (timestamp,
# level, logger, message, and for the access log method, route, status, duration_ms, request_id).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain").strip().lower()
if LOG_FORMAT not in {"plain", "json"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r}: expected plain or json")
if LOG_FORMAT == "json":
    from pythonjsonlogger.core import RESERVED_ATTRS as _LOG_RECORD_ATTRS

    LOGGING["formatters"]["json"] = {
        "()": "pythonjsonlogger.json.JsonFormatter",
        "fmt": "%(levelname)s %(name)s %(message)s",
        "rename_fields": {"levelname": "level", "name": "logger"},
        "timestamp": True,
        # Django puts the request object on its records; its text is the full path with the
        # query string, which must not reach the logs.
        "reserved_attrs": [*_LOG_RECORD_ATTRS, "request"],
    }
    LOGGING.setdefault("filters", {})["request_id"] = {
        "()": "sangkien.common.metrics.RequestIdFilter"
    }
    LOGGING["handlers"]["console"]["formatter"] = "json"
    LOGGING["handlers"]["console"].setdefault("filters", []).append("request_id")
# One line per request (successful probes at DEBUG); ACCESS_LOG_LEVEL=WARNING silences it.
LOGGING["loggers"]["sangkien.access"] = {"level": os.environ.get("ACCESS_LOG_LEVEL", "INFO")}

# Attachments (and the export and import files) in S3-compatible object storage when S3_BUCKET is
# set, on disk under MEDIA_ROOT otherwise. Objects are private and no URL is ever signed: every
# file is served by a view that checks who asks (office attachment download, exports, imports).
S3_BUCKET = os.environ.get("S3_BUCKET", "")
if S3_BUCKET:
    from botocore.config import Config as _BotoConfig
    from django.conf import global_settings as _global_settings

    _s3_endpoint = os.environ.get("S3_ENDPOINT_URL", "") or None
    STORAGES = {
        **_global_settings.STORAGES,
        **globals().get("STORAGES", {}),
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": S3_BUCKET,
                "endpoint_url": _s3_endpoint,
                # Empty: boto3's own chain (AWS_* variables, instance role).
                "access_key": os.environ.get("S3_ACCESS_KEY_ID", "") or None,
                "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY", "") or None,
                "region_name": os.environ.get("S3_REGION", "us-east-1"),
                # S3_ACL="" sends no ACL (buckets with ACLs disabled refuse any).
                "default_acl": os.environ.get("S3_ACL", "private") or None,
                "querystring_auth": False,
                "file_overwrite": False,
                # A file read back is kept in memory up to this size, then in a temporary file.
                "max_memory_size": FILE_UPLOAD_MAX_MEMORY_SIZE,
                "client_config": _BotoConfig(
                    connect_timeout=5,
                    read_timeout=30,
                    retries={"max_attempts": 3, "mode": "standard"},
                    # Self-hosted S3 (MinIO, Ceph) wants bucket names in the path.
                    s3={
                        "addressing_style": os.environ.get(
                            "S3_ADDRESSING_STYLE", "path" if _s3_endpoint else "auto"
                        )
                    },
                ),
            },
        },
    }

# --- Read replica for dashboard reads (issue 6) ---
# A streaming replica of the primary. When set, the dashboards and their files, the honour board
# and the stats API read from it (sangkien.common.dbrouting); every write, every other read, every
# read inside a transaction and who-may-see reads (officers, roles, tokens, sessions) stay on
# "default". A replica that cannot be reached is left alone for DATABASE_REPLICA_RETRY_SECONDS and
# its reads go to the primary. Unset: one database, no router.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "").strip()
DATABASE_REPLICA_RETRY_SECONDS = float(os.environ.get("DATABASE_REPLICA_RETRY_SECONDS", "10"))
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        # A kept connection is checked once per request: the replica may have restarted since.
        conn_health_checks=True,
    )
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        # A dashboard waits at most this long for a replica that vanished, then reads the primary.
        DATABASES["replica"].setdefault("OPTIONS", {}).setdefault(
            "connect_timeout", int(os.environ.get("DATABASE_REPLICA_CONNECT_TIMEOUT", "2"))
        )
    # Tests create no database on the replica; it stands for the test database.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = [
        *globals().get("DATABASE_ROUTERS", []),
        "sangkien.common.dbrouting.ReplicaRouter",
    ]
