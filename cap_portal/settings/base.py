"""Base settings: every value that differs between machines comes from the environment."""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A .env file beside manage.py is read if present; real environment variables win.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# The embedded default never leaves this machine; production must set its own key.
SECRET_KEY = env.str("SECRET_KEY", default="insecure-embedded-default-key-do-not-use-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    # Unused since API tokens are accounts.ApiToken (named, digests only), but kept installed:
    # existing databases and backup archives record its migrations, which restore and the
    # migrate-forward check require this code to know. Its table holds no token that works.
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "drf_standardized_errors",
    "django_countries",
    "csp",
    "simple_history",
    "axes",
    "cap_portal",
    "parties",
    "cases",
    "workplans",
    "budgets",
    "reports",
    "statements",
    "decisions",
    "portfolio",
    "sampledata",
    "accounts",
    "iati",
    # django-allauth: sign-in, password reset and change, MFA (TOTP and recovery codes),
    # OpenID Connect single sign-on. Configured under "Authentication" below.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "cap_portal.auth_cache.CachedAuthenticationMiddleware",  # Django's, with the user cached
    "cap_portal.middleware.SessionIdleTimeoutMiddleware",  # sessions end after an idle time
    "portfolio.preferences.PreferredLanguageMiddleware",  # the user's preferred language
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.mfa.SecretariatMFAMiddleware",  # MFA_REQUIRED_FOR_SECRETARIAT
    # Last, as django-axes asks: it turns lock-outs into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cap_portal.urls"

# The history's change reason is the workflow comment, kept whole (a text column, not 100 characters).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cap_portal.context_processors.portal",
                "portfolio.context_processors.notifications",
                "portfolio.todo.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "cap_portal.wsgi.application"
ASGI_APPLICATION = "cap_portal.asgi.application"

# --- Database -------------------------------------------------------------------------------
# Embedded default: SQLite beside manage.py. DATABASE_URL=postgres://… selects PostgreSQL (psycopg 3).
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'cap_portal.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Django's Redis cache with one client per connection pool (cap_portal.cache).
    CACHES = {"default": {"BACKEND": "cap_portal.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The signed-in user and their roles are kept in the cache between requests (cap_portal.auth_cache)
# and the sessions too (cached_db: read from the cache, written to both), when the cache is
# Redis, shared by every process: a role ended or an account switched off in one process takes
# effect in all at the next request. A process's own memory (several gunicorn workers without
# REDIS_URL) would not hear of it, so there they are off; settings.local (one process) keeps
# them in memory for a minute at most.
AUTH_CACHE_SECONDS = env.int("AUTH_CACHE_SECONDS", default=600 if REDIS_URL else 0)
# How long a list's row count is kept in the cache, per (restriction, filters): the API's
# ?count=true and the page numbers of the UI lists (cap_portal.pagination). 0: counted every time.
LIST_COUNT_CACHE_SECONDS = env.int("LIST_COUNT_CACHE_SECONDS", default=60)
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Authentication -------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)  # hours
# Lock the (username, address) pair: failures for one name never lock other people behind the
# same address (an office, a proxy), and failures from one address never lock the account elsewhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The client's address is REMOTE_ADDR unless a proxy we run sets X-Forwarded-For: name how many
# proxies stand in front (TRUSTED_PROXY_COUNT=1 behind one nginx); otherwise the header is the
# client's own word and is ignored.
# One rule (cap_portal.clientip.client_address) for axes, the API throttles and allauth.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "cap_portal.clientip.client_address"
# A session ends after this many seconds without a request (default 2 hours); it is renewed at
# most once a minute (cap_portal.middleware.SessionIdleTimeoutMiddleware).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=2 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT
# Whether the sample portfolio and the demo users (whose password is published in README) may
# be loaded: only the embedded default (settings.local) and the tests say yes; production never.
DEMO_DATA_ALLOWED = False
# A new API token expires this many days from today unless its user picks another date, which may
# be at most API_TOKEN_MAX_DAYS away (accounts.tokens).
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=90)
API_TOKEN_MAX_DAYS = env.int("API_TOKEN_MAX_DAYS", default=365)
# An invitation link (accounts.Invitation) works this many days after it was sent.
INVITATION_TTL_DAYS = env.int("INVITATION_TTL_DAYS", default=7)

# --- Accounts, MFA and single sign-on (django-allauth) ---------------------------------------
# Sign-in with a username or an e-mail address and a password at /login/ (allauth's view); no
# self sign-up: people arrive by invitation (accounts.adapters.AccountAdapter closes sign-up).
# Password reset by e-mail and password change are allauth's, in the user's language; a change is
# recorded in the admin log and allauth e-mails the user a "password changed" notice.
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_FORMS = {"login": "accounts.signin.LoginForm"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
# The invitation proved the address: no verification step.
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[CAP Portal] "
# A session lasts SESSION_COOKIE_AGE (the idle timeout above), as with Django's own login view.
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_LOGOUT_REDIRECT_URL = LOGOUT_REDIRECT_URL
# allauth's rate limits stay on, except its per-name limit on failed sign-ins: five failures for
# a name from anywhere would lock that person out everywhere. django-axes locks the (name,
# address) pair instead (accounts.signin.axes_username reads allauth's "login" field and the API's
# "username"); allauth keeps a per-address limit. The address is cap_portal.clientip's, as for
# django-axes (AccountAdapter.get_client_ip).
ACCOUNT_RATE_LIMITS = {"login_failed": "20/m/ip"}
AXES_USERNAME_CALLABLE = "accounts.signin.axes_username"
AXES_LOCKOUT_CALLABLE = "accounts.signin.lockout_response"
# Multi-factor authentication: an authenticator app (TOTP) and recovery codes. With
# MFA_REQUIRED_FOR_SECRETARIAT=true, a signed-in user holding a Secretariat role (case manager,
# Secretariat viewer) without an authenticator app can reach only the page that sets one up (and
# sign-out, static files, /healthz) until they do (accounts.mfa.SecretariatMFAMiddleware); API
# requests with a token are not affected. Off by default.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Confirming who one is (before changing how one signs in) takes the password or a second
# factor, never an e-mailed code: those pages are cut (cap_portal.urls.ALLAUTH_URLS_UNUSED).
ACCOUNT_REAUTHENTICATION_METHODS = ["password", "mfa"]
MFA_TOTP_ISSUER = "CAP Portal"
MFA_REQUIRED_FOR_SECRETARIAT = env.bool("MFA_REQUIRED_FOR_SECRETARIAT", default=False)
# Optional OpenID Connect single sign-on for Secretariat staff, set only from the environment:
# OIDC_PROVIDER_NAME (shown as "Sign in with <name>"), OIDC_SERVER_URL (the issuer; its
# /.well-known/openid-configuration is read), OIDC_CLIENT_ID, OIDC_CLIENT_SECRET. Without
# OIDC_CLIENT_ID there is no provider. No account is ever created through it: a sign-in connects
# to the existing active user with the same e-mail address, verified by the provider, or is refused.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS: dict = {"openid_connect": {"APPS": []}}
OIDC_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="")
if OIDC_CLIENT_ID:
    SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"].append(
        {
            "provider_id": "sso",
            "name": env.str("OIDC_PROVIDER_NAME", default="single sign-on"),
            "client_id": OIDC_CLIENT_ID,
            "secret": env.str("OIDC_CLIENT_SECRET", default=""),
            "settings": {"server_url": env.str("OIDC_SERVER_URL"), "oauth_pkce_enabled": True},
        }
    )

# --- Internationalisation: CITES's three working languages -----------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates as the UN writes them and each language's number separators: cap_portal/formats/.
FORMAT_MODULE_PATH = ["cap_portal.formats"]
TIME_ZONE = "Europe/Zurich"  # the Secretariat sits in Geneva
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "var" / "staticfiles")))
# Uploads live outside static and are served only through permission-checked views.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# With OBJECT_STORAGE_BUCKET, uploads and rendered reports go to S3-compatible object storage
# (AWS S3, MinIO, Ceph, …) instead of MEDIA_ROOT, so web and workers on several machines share
# them. Objects stay private (no ACL sent: the bucket's own, private, policy applies) and are
# never linked to: downloads are read from the bucket by the permission-checked views
# (cap_portal.responses.stored_file). Empty keys leave boto3 its own chain (an IAM role, …).
OBJECT_STORAGE_BUCKET = env.str("OBJECT_STORAGE_BUCKET", default="")
if OBJECT_STORAGE_BUCKET:
    _object_storage_endpoint = env.str("OBJECT_STORAGE_ENDPOINT_URL", default="") or None
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": OBJECT_STORAGE_BUCKET,
            "endpoint_url": _object_storage_endpoint,
            "region_name": env.str("OBJECT_STORAGE_REGION", default="") or None,
            "access_key": env.str("OBJECT_STORAGE_ACCESS_KEY", default="") or None,
            "secret_key": env.str("OBJECT_STORAGE_SECRET_KEY", default="") or None,
            "default_acl": None,
            "querystring_auth": True,  # should a URL ever be made, it is signed and expires
            "file_overwrite": False,
            # MinIO and most S3-compatible servers take the bucket in the path, not the host name.
            "addressing_style": "path" if _object_storage_endpoint else None,
            # A download is read into a temporary file before it is sent: in memory up to 5 MB,
            # on disk beyond (the default, 0, would hold a whole 20 MB document in memory).
            "max_memory_size": 5 * 1024 * 1024,
        },
    }

# --- E-mail ---------------------------------------------------------------------------------
# Embedded default prints e-mail to the console; EMAIL_URL=smtp://user:pass@host:587 sends it.
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
# filemail:////var/mail/cap writes each message to a file there (a relay-less trial, the CI check).
EMAIL_FILE_PATH = _email.get("EMAIL_FILE_PATH")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="CAP Portal <cap-portal@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery ---------------------------------------------------------------------------------
# With REDIS_URL, tasks go to a Redis-backed worker. Without it (the embedded default) they go to
# a worker too, through kombu's filesystem transport: messages are files under CELERY_BROKER_DIR,
# so the portal needs no external service and the web process only enqueues (runportal starts
# the worker). The worker reports progress in the database; no result backend is needed.
CELERY_BROKER_DIR = Path(env.str("CELERY_BROKER_DIR", default=str(BASE_DIR / "var" / "celery")))
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_TASKS_PER_CHILD = 50
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A message a worker took but never acknowledged (the worker died) goes back to the queue after
# this many seconds. The rule: visibility timeout > every hard time limit (CELERY_TASK_TIME_LIMIT
# and the render task's RENDER_TASK_TIME_LIMIT below), or a message still being worked on would be
# handed to a second worker (tests/reports/test_reports_durable_jobs.py asserts it). A dead worker's
# render is noticed much sooner by its heartbeat (RENDER_STALL_AFTER, reports.reap_stalled_renders).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
if not REDIS_URL:
    # One folder for the queue (producers write, the worker reads the same files), one for the
    # exchange tables that broadcasts (worker ping, /healthz) need; created by cap_portal.celery.
    CELERY_BROKER_TRANSPORT_OPTIONS.update(
        {
            "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
            "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
            "control_folder": str(CELERY_BROKER_DIR / "control"),
            "processed_folder": str(CELERY_BROKER_DIR / "processed"),
            "store_processed": False,
            "polling_interval": 0.5,  # seconds between looks at the folder: progress starts promptly
        }
    )
# runportal's worker runs beat in-process; its schedule file lives beside the queue.
CELERY_BEAT_SCHEDULE_FILENAME = str(CELERY_BROKER_DIR / "celerybeat-schedule")
# Optional prefix on every Redis key of the broker, the result store and the cache, so that two
# portals (or two test runs) can share one Redis database without touching each other's keys.
REDIS_KEY_PREFIX = env.str("REDIS_KEY_PREFIX", default="")
if REDIS_KEY_PREFIX:
    CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"] = REDIS_KEY_PREFIX
    CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"global_keyprefix": REDIS_KEY_PREFIX}
    CACHES["default"]["KEY_PREFIX"] = REDIS_KEY_PREFIX
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {
    # Reminder e-mails before and after due dates (portfolio.reminders), every morning.
    "send-reminders": {"task": "portfolio.send_reminders", "schedule": crontab(hour=6, minute=0)},
    # One digest e-mail a day for who chose it (portfolio.notify.digests_send).
    "send-digests": {"task": "portfolio.send_digests", "schedule": crontab(hour=6, minute=30)},
    # Render jobs whose worker died: re-queued once, then failed (reports.services.render_reap_stalled).
    "reap-stalled-renders": {
        "task": "reports.reap_stalled_renders",
        "schedule": env.float("RENDER_REAP_EVERY", default=60.0),
    },
}
# Optional scheduled backups (docs/operations.md "Backup and restore"), off by default: at
# BACKUP_SCHEDULE_HOUR every night, cap_portal.tasks.scheduled_backup writes a dated archive
# (backup_portal's) into BACKUP_DIR and keeps the last BACKUP_KEEP; the outcome goes to the case
# managers' notification log (a failure by e-mail too). The task is acknowledged on receipt, so its
# time limit may exceed the broker's visibility timeout.
BACKUP_SCHEDULE_ENABLED = env.bool("BACKUP_SCHEDULE_ENABLED", default=False)
BACKUP_SCHEDULE_HOUR = env.int("BACKUP_SCHEDULE_HOUR", default=2)
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(BASE_DIR / "var" / "backups")))
BACKUP_KEEP = env.int("BACKUP_KEEP", default=7)
BACKUP_TASK_TIME_LIMIT = env.int("BACKUP_TASK_TIME_LIMIT", default=4 * 60 * 60)
if BACKUP_SCHEDULE_ENABLED:
    CELERY_BEAT_SCHEDULE["scheduled-backup"] = {
        "task": "cap_portal.tasks.scheduled_backup",
        "schedule": crontab(hour=BACKUP_SCHEDULE_HOUR, minute=0),
    }
# Render jobs (reports.tasks.render_report): bounded time limits (a 185-Party report renders in
# well under them, see docs/reports.md); the worker refreshes the job's heartbeat_at every
# RENDER_HEARTBEAT_INTERVAL seconds, and a running job without a heartbeat for RENDER_STALL_AFTER
# seconds has lost its worker. Keep RENDER_HEARTBEAT_INTERVAL well below RENDER_STALL_AFTER.
RENDER_TASK_SOFT_TIME_LIMIT = 10 * 60
RENDER_TASK_TIME_LIMIT = 11 * 60
RENDER_HEARTBEAT_INTERVAL = env.float("RENDER_HEARTBEAT_INTERVAL", default=20.0)
RENDER_STALL_AFTER = env.int("RENDER_STALL_AFTER", default=120)
# Days before and after a due date (progress update, milestone, agreement end) when a reminder
# goes out; a run that missed a day catches up within REMINDER_CATCH_UP_DAYS.
REMINDER_DAYS_BEFORE = env.list("REMINDER_DAYS_BEFORE", cast=int, default=[14, 3])
REMINDER_DAYS_AFTER = env.list("REMINDER_DAYS_AFTER", cast=int, default=[1, 7])
REMINDER_CATCH_UP_DAYS = env.int("REMINDER_CATCH_UP_DAYS", default=2)
# Notifications of hand-overs (portfolio.notify): changes to one object for one recipient within
# this many minutes go out as one e-mail (the e-mail waits that long for the rest of the burst).
NOTIFICATION_COALESCE_MINUTES = env.int("NOTIFICATION_COALESCE_MINUTES", default=10)
# The portal's address, for links in e-mails.
PORTAL_URL = env.str("PORTAL_URL", default="http://localhost:8000")

# --- IATI publication (iati/, docs/iati.md) ----------------------------------------------------
# The reporting organisation: the CITES Secretariat's organisation identifier (the default is a
# placeholder until the IATI Registry gives one), its name and type (40: multilateral).
IATI_REPORTING_ORG_REF = env.str("IATI_REPORTING_ORG_REF", default="XI-IATI-CITES")
IATI_REPORTING_ORG_NAME = env.str("IATI_REPORTING_ORG_NAME", default="CITES Secretariat")
IATI_REPORTING_ORG_TYPE = env.str("IATI_REPORTING_ORG_TYPE", default="40")
# Every CAP case under one sector: 41030 Biodiversity in the OECD DAC 5-digit list (vocabulary 1).
IATI_SECTOR_CODE = env.str("IATI_SECTOR_CODE", default="41030")
IATI_SECTOR_VOCABULARY = env.str("IATI_SECTOR_VOCABULARY", default="1")
IATI_DEFAULT_CURRENCY = env.str("IATI_DEFAULT_CURRENCY", default="USD")
IATI_DEFAULT_LANGUAGE = env.str("IATI_DEFAULT_LANGUAGE", default="en")
# Donors' IATI organisation identifiers by short name, e.g. "UK=GB-GOV-1,USA=US-GOV-1".
IATI_ORGANISATION_REFS = env.dict("IATI_ORGANISATION_REFS", default={})

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous request gets 401 with a WWW-Authenticate header.
        "cap_portal.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "cap_portal.api.pagination.StandardPagination",
    "DEFAULT_SCHEMA_CLASS": "cap_portal.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    "DEFAULT_VERSIONING_CLASS": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_THROTTLE_CLASSES": [
        "cap_portal.api.throttling.UserThrottle",
        "cap_portal.api.throttling.TokenThrottle",
        "cap_portal.api.throttling.AnonThrottle",
    ],
}
# Requests per user (or token) and per anonymous address; 429 with Retry-After beyond.
API_THROTTLE_RATES = {
    "user": env.str("API_THROTTLE_USER", default="1200/minute"),
    "token": env.str("API_THROTTLE_TOKEN", default="600/minute"),
    "anon": env.str("API_THROTTLE_ANON", default="60/minute"),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CAP Portal API",
    "DESCRIPTION": (
        "Case management for the CITES Compliance Assistance Programme.\n\n"
        "Lists are paged by cursor: an answer is `{next, previous, results}`, where `next` and "
        "`previous` are the addresses of the neighbouring pages (null at either end; follow them "
        "as given, the `cursor` they carry is opaque). `page_size` takes 1 to 500 rows (50 by "
        "default). The number of rows of the whole list is given only on request, "
        "`count=true`, and may lag behind changes by a minute. Page numbers (`page`) are no longer "
        "taken: a client that used them follows `next` instead."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The API description is for signed-in users: the portal runs on closed networks.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CountryCodeEnum": "parties.choices.country_code_choices",
        "CapStageEnum": "cases.choices.CapStage",  # stage, from_stage, to_stage
        "LevelEnum": "cases.choices.Level",  # export_significance, potential_for_impact
        "SelectionDecisionEnum": "cases.choices.SelectionDecision",
        "ApiTokenStatusEnum": "accounts.tokens.TokenStatus",
        "ValidationErrorEnum": "drf_standardized_errors.openapi_serializers.ValidationErrorEnum.choices",
        "ClientErrorEnum": "drf_standardized_errors.openapi_serializers.ClientErrorEnum.choices",
        "ServerErrorEnum": "drf_standardized_errors.openapi_serializers.ServerErrorEnum.choices",
        "ErrorCode401Enum": "drf_standardized_errors.openapi_serializers.ErrorCode401Enum.choices",
        "ErrorCode403Enum": "drf_standardized_errors.openapi_serializers.ErrorCode403Enum.choices",
        "ErrorCode404Enum": "drf_standardized_errors.openapi_serializers.ErrorCode404Enum.choices",
        "ErrorCode405Enum": "drf_standardized_errors.openapi_serializers.ErrorCode405Enum.choices",
        "ErrorCode406Enum": "drf_standardized_errors.openapi_serializers.ErrorCode406Enum.choices",
        "ErrorCode415Enum": "drf_standardized_errors.openapi_serializers.ErrorCode415Enum.choices",
        "ErrorCode429Enum": "drf_standardized_errors.openapi_serializers.ErrorCode429Enum.choices",
        "ErrorCode500Enum": "drf_standardized_errors.openapi_serializers.ErrorCode500Enum.choices",
        # workplans
        "WorkplanStatusEnum": "workplans.choices.WorkplanStatus",
        "ActivityStatusEnum": "workplans.choices.ActivityStatus",
        "ReviewStatusEnum": "workplans.choices.ReviewStatus",
        "ChangeReasonEnum": "workplans.choices.ChangeReason",
        "ReviewDecisionEnum": "workplans.choices.ReviewDecision",
    },
    "POSTPROCESSING_HOOKS": ["drf_standardized_errors.openapi_hooks.postprocess_schema_enums"],
}
DRF_STANDARDIZED_ERRORS = {
    # Model validation raised in a service answers 400 naming the field (no try/except per view).
    "EXCEPTION_HANDLER_CLASS": "cap_portal.api.exceptions.ExceptionHandler",
    "ENABLE_IN_DEBUG_FOR_UNHANDLED_EXCEPTIONS": True,
    "ALLOWED_ERROR_STATUS_CODES": [
        "400",
        "401",
        "403",
        "404",
        "405",
        "406",
        "409",
        "412",
        "415",
        "428",
        "429",
        "500",
    ],
    "ERROR_SCHEMAS": {
        "409": "cap_portal.api.schema.ErrorResponse409Serializer",
        "412": "cap_portal.api.schema.ErrorResponse412Serializer",
        "428": "cap_portal.api.schema.ErrorResponse428Serializer",
    },
}

# Countries: CITES Parties include the European Union, which ISO 3166-1 reserves as "EU".
COUNTRIES_OVERRIDE = {"EU": _("European Union")}

# --- Content-Security-Policy (django-csp) -----------------------------------------------------
# Scripts and everything else only from the portal itself; inline style attributes are allowed
# (progress bars set their width), inline scripts are not.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
