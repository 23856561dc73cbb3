"""The one settings module. Every deployment-specific value comes from the environment.

Development needs nothing set: SQLite, DEBUG on, a throwaway secret key. With DEBUG=0 the
process refuses to start without a real SECRET_KEY and ALLOWED_HOSTS, and the security
settings that `manage.py check --deploy` looks for default to their strict values.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from crm.env import database_from_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)

_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "django_fsm_log",
    "django_tasks_db",
    "ninja",  # the HTTP API's docs page and its vendored Swagger UI (ninja/static)
    "crm",
    # Just above crm: every domain app records its events here (webhooks.outbox).
    "webhooks",
    # Beside webhooks: every domain app tells people by e-mail through it (notifications.services).
    "notifications",
    "customers",
    "opportunities",
    "communications",
    # The catalogue: quotes pick their lines from it.
    "products",
    "quotes",
    "orders",
    # Standing on every domain app, below the top floor.
    "imports",
    # Quotes sent to the customer by e-mail (the quote's page shows its panel).
    "emailing",
    # The top floor: each stands on every domain app above and nothing stands on them.
    "dashboard",
    "api",
    "demo",
    # `manage.py generate_bench_data` (make bench); no models, nothing the product imports.
    "bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "crm.urls"
WSGI_APPLICATION = "crm.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "crm.context_processors.navigation",
                "communications.context_processors.follow_up_count",
                "orders.context_processors.approvals",
            ],
        },
    },
]

DATABASES = {"default": database_from_url(env_str("DATABASE_URL"), base_dir=BASE_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Internationalisation: English first, Simplified Chinese second.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["crm.formats"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# One currency per installation, shown beside every amount.
CRM_CURRENCY = env_str("CRM_CURRENCY", "CNY")
# The letterhead of printed quotes and orders and of their PDFs (crm.documents). The demo
# values stand until a deployment sets its own; a literal \n in the address starts a new line.
CRM_COMPANY = {
    "name": env_str("CRM_COMPANY_NAME", "Demo Trading Co., Ltd."),
    "address": env_str(
        "CRM_COMPANY_ADDRESS", r"88 Century Avenue, Pudong\nShanghai 200120, China"
    ).replace(r"\n", "\n"),
    "phone": env_str("CRM_COMPANY_PHONE", "+86 21 5000 0000"),
    "email": env_str("CRM_COMPANY_EMAIL", "sales@example.com"),
    "tax_id": env_str("CRM_COMPANY_TAX_ID", "91310000MA1FL0000X"),
}
# Whether the unit prices people enter (and the catalogue's list prices) include tax. Each
# quote keeps the value it was made with, so changing this never changes an existing quote.
CRM_PRICES_INCLUDE_TAX = env_bool("CRM_PRICES_INCLUDE_TAX", False)
# Lists never count more than this many rows exactly; beyond it they show "10,000+".
CRM_LIST_COUNT_CAP = env_int("CRM_LIST_COUNT_CAP", 10_000)
# How long managers' dashboard and forecast reuse the team's figures (crm.snapshot).
CRM_TEAM_FIGURES_SECONDS = env_int("CRM_TEAM_FIGURES_SECONDS", 120)
# The cache every process of the installation shares (the web server's workers, the background
# worker), so the HTTP API's rate per token and the team's figures hold whichever process
# answers: files in a directory of this machine. An installation on several machines points
# CACHES at Redis or Memcached in a settings module of its own.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env_str("CRM_CACHE_DIR", str(BASE_DIR / ".cache")),
    }
}

# Background work (crm.background): enqueued through Django's Tasks API only, so another
# backend (a distributed queue) is this setting and nothing else.
TASKS = {"default": {"BACKEND": env_str("CRM_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# A failing job runs this many times in all, waiting CRM_JOB_RETRY_SECONDS, then twice as
# long, ... between attempts; a running job silent for CRM_JOB_STALE_SECONDS is sent again.
CRM_JOB_ATTEMPTS = env_int("CRM_JOB_ATTEMPTS", 3)
CRM_JOB_RETRY_SECONDS = env_int("CRM_JOB_RETRY_SECONDS", 10)
CRM_JOB_STALE_SECONDS = env_int("CRM_JOB_STALE_SECONDS", 60)
# Rows an import stores per transaction: committing costs little at this size, the progress
# bar moves, and a killed worker loses at most one batch (which is then done again).
CRM_IMPORT_BATCH_ROWS = env_int("CRM_IMPORT_BATCH_ROWS", 500)

# The HTTP API (api/v1): each token may make CRM_API_RATE requests a second on average and
# CRM_API_BURST at once (a token bucket in Django's cache, shared by every process that
# shares the cache). Idempotency keys are remembered this many hours.
CRM_API_RATE = env_int("CRM_API_RATE", 20)
CRM_API_BURST = env_int("CRM_API_BURST", 60)
CRM_API_IDEMPOTENCY_HOURS = env_int("CRM_API_IDEMPOTENCY_HOURS", 24)

# The customers' quote links (/q/<token>/, no login): each IP address may open or answer them
# CRM_QUOTE_LINK_BURST times at once, then CRM_QUOTE_LINK_PER_MINUTE times a minute on
# average (the same token bucket as the API's; 0 turns the limit off).
CRM_QUOTE_LINK_PER_MINUTE = env_int("CRM_QUOTE_LINK_PER_MINUTE", 30)
CRM_QUOTE_LINK_BURST = env_int("CRM_QUOTE_LINK_BURST", 20)

# Webhooks (webhooks.delivery): each request waits this long for the receiver (connecting,
# then each read); a failed delivery is tried again after CRM_WEBHOOKS_RETRY_SECONDS, then
# twice as long, ... until CRM_WEBHOOKS_RETRY_WINDOW_SECONDS after the event, then failed.
# Endpoints on private, loopback or link-local addresses are refused (server-side request
# forgery) unless CRM_WEBHOOKS_ALLOW_PRIVATE is on (a receiver on the same network).
CRM_WEBHOOKS_TIMEOUT_SECONDS = env_int("CRM_WEBHOOKS_TIMEOUT_SECONDS", 10)
CRM_WEBHOOKS_RETRY_SECONDS = env_int("CRM_WEBHOOKS_RETRY_SECONDS", 60)
CRM_WEBHOOKS_RETRY_WINDOW_SECONDS = env_int("CRM_WEBHOOKS_RETRY_WINDOW_SECONDS", 24 * 60 * 60)
CRM_WEBHOOKS_ALLOW_PRIVATE = env_bool("CRM_WEBHOOKS_ALLOW_PRIVATE", False)

# E-mail (quotes sent to customers, notifications), sent by the background worker through
# Django's mailer (MAILERS, Django 6.1). EMAIL_BACKEND is "smtp", "file", "console" or a dotted
# path; without it, SMTP when EMAIL_HOST is set, else (DEBUG) one file per message in
# EMAIL_FILE_PATH, so that `make run` sends nothing out; with DEBUG off, SMTP (EMAIL_HOST,
# default localhost).
_EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}
_email_backend = env_str("EMAIL_BACKEND", "smtp" if env_str("EMAIL_HOST") or not DEBUG else "file")
_email_backend = _EMAIL_BACKENDS.get(_email_backend, _email_backend)
if _email_backend == _EMAIL_BACKENDS["smtp"]:
    _email_options = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": env_str("EMAIL_HOST_USER", ""),
        "password": env_str("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "use_ssl": env_bool("EMAIL_USE_SSL", False),
        "timeout": env_int("EMAIL_TIMEOUT", 30),
    }
elif _email_backend == _EMAIL_BACKENDS["file"]:
    _email_options = {"file_path": env_str("EMAIL_FILE_PATH", str(BASE_DIR / "sent-mail"))}
else:
    _email_options = {}
MAILERS = {"default": {"BACKEND": _email_backend, "OPTIONS": _email_options}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "CRM <crm@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address of the site in links that leave it (e-mails): scheme, host and port, no slash.
CRM_SITE_URL = env_str("CRM_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Uploaded files (imports) and files made for download (their results). The worker reads
# them too: several machines need a shared directory (or another storage backend).
# Never served as static files: downloads go through views that check who asks.
MEDIA_ROOT = env_str("MEDIA_ROOT", str(BASE_DIR / "media"))

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# In development and tests WhiteNoise serves straight from static/ (no collectstatic).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

FILTERS_EMPTY_CHOICE_LABEL = _("Any")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_TAGS = {40: "danger"}  # Bootstrap calls the error level "danger".

# Content-Security-Policy: only our own files, scripts need the per-request nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# Transport security: strict unless DEBUG, each overridable for a proxy set-up.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
