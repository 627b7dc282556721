"""DSV settings: one module, driven by the environment (see .env.example).

With no environment at all DSV runs on SQLite with Celery tasks executed in-process, which is what
`make run` and `make test` use on a fresh machine. `DATABASE_URL` selects PostgreSQL and `REDIS_URL`
makes Redis the Celery broker and the cache.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# A local .env file is read when present; the real environment wins over it.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see .env.example).")
    SECRET_KEY = "dsv-insecure-development-key-only-for-debug-mode"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "simple_history",
    # The journey spine, then the seven steps in journey order, then the shell.
    "journeys",
    "exploration",
    "relationships",
    "offerings",
    "agreements",
    "onboarding",
    "cocreation",
    "realization",
    "dsv",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "dsv.urls"
WSGI_APPLICATION = "dsv.wsgi.application"
ASGI_APPLICATION = "dsv.asgi.application"

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
                "dsv.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite in var/ unless DATABASE_URL says otherwise.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'dsv.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL lets readers and the writer work at once; IMMEDIATE avoids lock upgrades failing
            # half-way through a transaction; the timeout waits for a busy writer instead of erroring.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE columns) speed up aggregates on PostgreSQL; SQLite builds the same index
# without the extra columns, which is all this warning says.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["journeys.auth.RoleLoadingModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and env.bool("STATIC_MANIFEST", default=True)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Cache and Celery broker: Redis when REDIS_URL is set.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
# Without a broker every task runs in the calling process, right after the transaction commits.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = env.bool("CELERY_TASK_EAGER_PROPAGATES", default=False)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A broker that is down must not hang a web request: publishing fails fast and the outbox keeps the work.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TIMEZONE = TIME_ZONE
# Periodic jobs, in code. With Redis they run in `celery beat`; without it `manage.py runperiodic`
# (started by `make run`) calls the same tasks in-process on the same schedule.
CELERY_BEAT_SCHEDULE = {
    "journey-events-relay": {
        "task": "journeys.tasks.journey_events_relay",
        "schedule": 60.0,
        "options": {"expires": 50},
    },
    # Lets touchpoints older than 30 days leave the accounts' recent figures, and heals any drift.
    "account-summaries-refresh": {
        "task": "journeys.tasks.account_summaries_refresh",
        "schedule": crontab(minute=7),
        "options": {"expires": 1800},
    },
    "idempotency-keys-prune": {
        "task": "journeys.tasks.idempotency_keys_prune",
        "schedule": crontab(minute=23),
        "options": {"expires": 1800},
    },
    "journey-events-prune": {
        "task": "journeys.tasks.journey_events_prune",
        "schedule": crontab(minute=17, hour=3),
        "options": {"expires": 3600},
    },
    # Patterns of business activity: each offering's demand profile counted again from the touchpoints
    # of the journeys it concerns (the profile's page recounts one offering on request).
    "offering-demand-profiles-recompute": {
        "task": "offerings.tasks.demand_profiles_recompute_all",
        "schedule": crontab(minute=41, hour=2),
        "options": {"expires": 3600},
    },
    # Agree: periods that just ended are scored for good (and their breaches e-mailed), agreements past
    # their end date expire, and owners hear of reviews due within a week.
    # Hourly: a target's period ends at midnight in its own calendar's time zone. The run also sends
    # again any breach e-mail whose enqueue was lost.
    "agreements-compliance-close-periods": {
        "task": "agreements.tasks.compliance.compliance_close_periods",
        "schedule": crontab(minute=5),
        "options": {"expires": 3000},
    },
    "agreements-expire-due": {
        "task": "agreements.tasks.agreements.agreements_expire_due",
        "schedule": crontab(minute=40, hour=0),
        "options": {"expires": 3600},
    },
    "agreement-review-reminders": {
        "task": "agreements.tasks.agreements.agreement_review_reminders",
        "schedule": crontab(minute=0, hour=7),
        "options": {"expires": 3600},
    },
    # Onboard: owners hear of actions due soon or overdue every morning (at most once a day per
    # action); relationship managers get their accounts' plans once a week. The digest job runs every
    # morning and sends the week's digest on its first run of the week (Monday, or the next day the
    # job runs if Monday's run was missed).
    "onboarding-action-reminders": {
        "task": "onboarding.tasks.onboarding_action_reminders",
        "schedule": crontab(minute=15, hour=7),
        "options": {"expires": 3600},
    },
    "onboarding-weekly-digest": {
        "task": "onboarding.tasks.onboarding_weekly_digest",
        "schedule": crontab(minute=30, hour=7),
        "options": {"expires": 3600},
    },
    # Realize: the live journey map's monthly step activity, recounted for the accounts whose touchpoints
    # changed (every five minutes) and rebuilt whole at night (which heals deletions).
    "realization-step-activity-refresh": {
        "task": "realization.tasks.step_activity_refresh",
        "schedule": 300.0,
        "options": {"expires": 240},
    },
    "realization-step-activity-rebuild": {
        "task": "realization.tasks.step_activity_rebuild",
        "schedule": crontab(minute=50, hour=2),
        "options": {"expires": 3600},
    },
    # Realize: new survey triggers (closed requests, completed onboarding, periodic surveys) turned into
    # invitations under the survey governance; due invitations sent, reminded once, expired.
    "realization-survey-triggers-scan": {
        "task": "realization.tasks.survey_triggers_scan",
        "schedule": 300.0,
        "options": {"expires": 240},
    },
    "realization-survey-invitations-send": {
        "task": "realization.tasks.survey_invitations_send",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Realize: value metrics of the accounts with new data recomputed (and new watermelons notified)
    # every ten minutes; every snapshot recomputed at night.
    "realization-value-metrics-refresh": {
        "task": "realization.tasks.value_metrics_refresh",
        "schedule": 600.0,
        "options": {"expires": 540},
    },
    "realization-value-metrics-rebuild": {
        "task": "realization.tasks.value_metrics_rebuild",
        "schedule": crontab(minute=10, hour=3),
        "options": {"expires": 3600},
    },
    # Co-create: request clocks whose warning or limit has come are brought up to date, measured and
    # notified (once each). Every minute, so a breach is known within a minute of the limit.
    "cocreation-request-clocks-check": {
        "task": "cocreation.tasks.request_clocks_check",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
}

# E-mail (Django 6.1 mailers). The console backend prints mail for development; set EMAIL_BACKEND to
# django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST/EMAIL_PORT to really send.
_email_backend = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
_email_options = (
    {"host": env.str("EMAIL_HOST", default="localhost"), "port": env.int("EMAIL_PORT", default=25)}
    if _email_backend.endswith("smtp.EmailBackend")
    else {}
)
MAILERS = {"default": {"BACKEND": _email_backend, "OPTIONS": _email_options}}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="DSV <dsv@localhost>")
# Where e-mails link to: the site's address as users reach it (no trailing slash).
DSV_BASE_URL = env.str("DSV_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "journeys.auth.RoleLoadingTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["journeys.api_base.IsDSVUser"],
    "DEFAULT_PAGINATION_CLASS": "journeys.api_base.UpdatedCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "journeys.api_base.error_envelope_handler",
    "DEFAULT_VERSIONING_CLASS": None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "DSV API",
    "DESCRIPTION": "Organizations, stakeholders, journeys and touchpoints for CRM integrations.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Choice sets shared by several fields (or sharing a field name) get one named enum each.
    "ENUM_NAME_OVERRIDES": {
        "JourneyStepEnum": "journeys.models.JourneyStep",
        "OrganizationKindEnum": "journeys.models.OrganizationKind",
        "TouchpointKindEnum": "journeys.models.TouchpointKind",
        "ConsumerRoleEnum": "journeys.models.ConsumerRole",
        "ChannelEnum": "journeys.models.Channel",
    },
}

# Journey spine housekeeping.
DSV_JOURNEY_EVENTS_KEEP_DAYS = env.int("DSV_JOURNEY_EVENTS_KEEP_DAYS", default=90)
# How long the link e-mailed to a consumer's owner of an onboarding action works (each works once).
DSV_ACTION_LINK_DAYS = env.int("DSV_ACTION_LINK_DAYS", default=14)
# Days before its due date an onboarding action's owner starts getting the daily reminder.
DSV_ONBOARDING_DUE_SOON_DAYS = env.int("DSV_ONBOARDING_DUE_SOON_DAYS", default=3)
# Share (%) of a request clock's limit after which it warns its assignee (or the account's owner).
DSV_REQUEST_CLOCK_WARNING_PERCENT = env.int("DSV_REQUEST_CLOCK_WARNING_PERCENT", default=75)
# Hours an API Idempotency-Key (and its stored response) is remembered.
DSV_IDEMPOTENCY_KEEP_HOURS = env.int("DSV_IDEMPOTENCY_KEEP_HOURS", default=48)
# Days without a touchpoint after which a key player (manage closely on the stakeholder grid) is
# flagged on the account's grid.
DSV_KEY_PLAYER_SILENCE_DAYS = env.int("DSV_KEY_PLAYER_SILENCE_DAYS", default=60)
# Realize: no person gets a survey (of any kind) within this many days of the last one they were sent.
DSV_SURVEY_COOLDOWN_DAYS = env.int("DSV_SURVEY_COOLDOWN_DAYS", default=30)
# Realize: a poor survey answer's follow-up is due this many days after the answer.
DSV_FOLLOW_UP_DAYS = env.int("DSV_FOLLOW_UP_DAYS", default=5)

# Production hardening: on whenever DEBUG is off (`manage.py check --deploy` is clean with the
# values .env.example documents for production).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
