"""One settings file, driven by the environment (the same for every `shigan` command).

SHIGAN_DATA_DIR   folder of the embedded default: SQLite database, uploaded files, secret key
                  (default ./shigan-data; shigan.cli.data_dir resolves it the same way)
DATABASE_URL      e.g. postgres://user@127.0.0.1:5432/shigan — replaces the SQLite default
SHIGAN_SECRET_KEY secret key; else DATA_DIR/secret_key (`shigan migrate` and `shigan demo` write
                  it); a development key only when SHIGAN_DEBUG=1 or under tests
SHIGAN_ALLOWED_HOSTS  comma-separated host names (default 127.0.0.1,localhost)
SHIGAN_DEBUG      1 to enable Django's debug mode
SHIGAN_MAX_UPLOAD_MB  largest evidence file accepted (default 20)
SHIGAN_TASKS_BACKEND  where `shigan remind --enqueue` puts its work (django-tasks): database
                  (default: a table the `shigan worker` process reads), rq (Redis, needs the
                  `rq` extra and SHIGAN_REDIS_URL) or immediate (run at once; the tests' default)
SHIGAN_REDIS_URL  the Redis of the rq backend (default redis://127.0.0.1:6379/0)
SHIGAN_EMAIL_HOST     mail server for reminder email (SMTP); unset, no email is sent
SHIGAN_EMAIL_PORT     its port (default 465 with SHIGAN_EMAIL_SSL=1, else 587)
SHIGAN_EMAIL_USER, SHIGAN_EMAIL_PASSWORD  the account to log in with (optional)
SHIGAN_EMAIL_TLS      1/0: STARTTLS (default 1 unless SHIGAN_EMAIL_SSL=1)
SHIGAN_EMAIL_SSL      1 for implicit TLS (SMTPS, usually port 465)
SHIGAN_EMAIL_FROM     the sender address (default SHIGAN_EMAIL_USER)
SHIGAN_SITE_URL       the address users open Shigan at, e.g. https://shigan.example.gov.cn:
                      email and robot messages link to it (no links without it)
SHIGAN_ROBOT_HOSTS    hosts group-robot webhooks may point to, comma-separated (default
                      oapi.dingtalk.com,qyapi.weixin.qq.com; https only)
SHIGAN_QUIET_HOURS    default quiet hours (免打扰), HH:MM-HH:MM (default 22:00-08:00; "" none)
SHIGAN_HTTPS          1 when served over HTTPS (behind a reverse proxy that terminates TLS and
                      sets X-Forwarded-Proto): HTTP redirected to HTTPS, HSTS for a year with
                      subdomains, session and CSRF cookies Secure; `check --deploy` is clean
SHIGAN_FORWARDED_FOR  1 behind a reverse proxy that appends the client's address to
                      X-Forwarded-For: the login throttle counts that address, not the proxy's
"""

import importlib.util
import os
import sys
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from shigan.reminders.quiet import parse_quiet_hours

BASE_DIR = Path(__file__).resolve().parent
# Files this process creates (the SQLite database and its -wal/-shm files, uploads, exports,
# backups) are readable by their owner only, whatever the shell's umask.
os.umask(0o077)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("SHIGAN_DEBUG")
# Under pytest the data folder (uploads) is a fresh temporary one unless set explicitly.
TESTING = env_bool("SHIGAN_TESTING") or "pytest" in sys.modules
if os.environ.get("SHIGAN_DATA_DIR"):
    DATA_DIR = Path(os.environ["SHIGAN_DATA_DIR"]).resolve()
elif TESTING:
    DATA_DIR = Path(tempfile.mkdtemp(prefix="shigan-test-"))
    (DATA_DIR / "static").mkdir()
else:
    DATA_DIR = (Path.cwd() / "shigan-data").resolve()


def read_secret_key(data_dir: Path) -> str:
    """SHIGAN_SECRET_KEY, else DATA_DIR/secret_key; a Chinese message naming the folder if neither."""
    key = os.environ.get("SHIGAN_SECRET_KEY", "").strip()
    if key:
        return key
    secret_file = data_dir / "secret_key"
    try:
        key = secret_file.read_text().strip()
    except (FileNotFoundError, NotADirectoryError):
        key = ""
    except OSError:
        raise ImproperlyConfigured(
            f"无法读取密钥文件 {secret_file}：请以数据目录的所有者运行 shigan，"
            "或设置 SHIGAN_SECRET_KEY。"
        ) from None
    if key or DEBUG or TESTING:
        return key or "insecure-development-key-only-for-debug-and-tests"
    missing = (
        f"数据目录 {data_dir} 不存在"
        if not data_dir.is_dir()
        else f"未设置 SHIGAN_SECRET_KEY，数据目录 {data_dir} 中也没有密钥文件 secret_key"
    )
    raise ImproperlyConfigured(
        f"{missing}。新安装请先运行 shigan migrate（创建数据目录和密钥）或 shigan demo；"
        "数据在其他目录时请设置 SHIGAN_DATA_DIR。"
    )


SECRET_KEY = read_secret_key(DATA_DIR)

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("SHIGAN_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("SHIGAN_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "shigan.core",
    "shigan.orgs",
    "shigan.campaigns",
    "shigan.tasks",
    "shigan.indicators",
    "shigan.dashboards",
    "shigan.monthly",
    "shigan.demo",
    "shigan.meetings",
    "shigan.supervision",
    "shigan.publicity",
    "shigan.reports",
    "shigan.grassroots",
    "shigan.timebank",
    "shigan.reminders",
    "shigan.rollover",
    "shigan.directives",
    "shigan.exchange",
    "shigan.api",
    "django_tasks",
    # Always installed, whatever the backend, so the migrations do not depend on the environment.
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy: no inline script (shigan/core/middleware.py).
    "shigan.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # An initial or reset password is changed before anything else (shigan/orgs/middleware.py).
    "shigan.orgs.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Signed out after SESSION_IDLE_SECONDS without a request; signed-in answers are not cached.
    "shigan.core.middleware.IdleTimeoutMiddleware",
    "shigan.core.middleware.NoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A 405 gets a Chinese page instead of an empty body (shigan/core/middleware.py).
    "shigan.core.middleware.MethodNotAllowedPageMiddleware",
]

ROOT_URLCONF = "shigan.urls"
WSGI_APPLICATION = "shigan.wsgi.application"

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
                "shigan.context_processors.viewer",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
if DATABASE_URL:
    try:
        DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    except ValueError:
        raise ImproperlyConfigured(
            "DATABASE_URL 无法识别：应形如 postgres://用户:密码@主机:5432/库名。"
        ) from None
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # PostgreSQL's JIT compiled the indicators' lower-tree statement on every request (the
        # planner overestimates the recursive part: 21.8 M rows for 840): 2.25 s of 2.47 s at
        # province scale (benchmarks/README.md, "The province on PostgreSQL"). A URL's own
        # ?options= is kept.
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "shigan.sqlite3",
            "OPTIONS": {
                # Concurrent writers queue on the lock instead of failing with "database is locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS_BACKEND = os.environ.get("SHIGAN_TASKS_BACKEND", "").strip().lower() or (
    "immediate" if TESTING else "database"
)
if TASKS_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"SHIGAN_TASKS_BACKEND={TASKS_BACKEND} 无法识别：应为 database（默认）、rq 或 immediate。"
    )
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND]}}
if TASKS_BACKEND == "rq":
    if importlib.util.find_spec("django_tasks_rq") is None:
        raise ImproperlyConfigured(
            "SHIGAN_TASKS_BACKEND=rq 需要 Redis 队列组件，但尚未安装：请运行 "
            "pip install -e '.[rq]'（或 pip install 'shigan[rq]'），或改用 database 后端。"
        )
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": os.environ.get("SHIGAN_REDIS_URL", "redis://127.0.0.1:6379/0")}}
    TASKS["default"]["QUEUES"] = ["default"]

# The password policy (README "Roles"), each rule with one Chinese message (shigan/orgs/passwords.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "shigan.orgs.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "shigan.orgs.passwords.CommonPasswordValidator"},
    {"NAME": "shigan.orgs.passwords.NumericPasswordValidator"},
    {"NAME": "shigan.orgs.passwords.UserAttributeSimilarityValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"  # each role lands where its work is (shigan/views.py)
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]  # shigan/static is the project's, not an app's
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# One cache shared by every worker process of the installation (the API's rate limits per token,
# the battle map's rendered fragments, the task list's rows): files in the data folder, nothing
# else to run. The day's figures (shigan.core.figures_cache: the campaigns' counts of the day, the
# kept indicator statuses, each campaign's task statuses) in a folder of their own, so that the
# default's churn (a full FileBasedCache culls a random third of its entries) cannot evict them;
# `shigan warm` computes them ahead of the day's first request. The tests keep each process's
# own memory, one store per alias.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        if TESTING
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    ),
    "figures": (
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "figures"}
        if TESTING
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache-figures"),
            "OPTIONS": {"MAX_ENTRIES": 10000},
        }
    ),
}

MAX_UPLOAD_MB = int(os.environ.get("SHIGAN_MAX_UPLOAD_MB", "20"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# Reminder delivery (shigan/reminders/channels.py): email only with a mail server configured.
EMAIL_HOST = os.environ.get("SHIGAN_EMAIL_HOST", "").strip()
SHIGAN_EMAIL_ENABLED = bool(EMAIL_HOST)
EMAIL_USE_SSL = env_bool("SHIGAN_EMAIL_SSL")
EMAIL_USE_TLS = env_bool("SHIGAN_EMAIL_TLS", default=not EMAIL_USE_SSL)
if EMAIL_USE_SSL and EMAIL_USE_TLS:
    raise ImproperlyConfigured("SHIGAN_EMAIL_SSL 与 SHIGAN_EMAIL_TLS 只能开启一个。")
try:
    EMAIL_PORT = int(os.environ.get("SHIGAN_EMAIL_PORT") or (465 if EMAIL_USE_SSL else 587))
except ValueError:
    raise ImproperlyConfigured("SHIGAN_EMAIL_PORT 应为端口号（如 465 或 587）。") from None
EMAIL_HOST_USER = os.environ.get("SHIGAN_EMAIL_USER", "").strip()
EMAIL_HOST_PASSWORD = os.environ.get("SHIGAN_EMAIL_PASSWORD", "")
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = (
    os.environ.get("SHIGAN_EMAIL_FROM", "").strip() or EMAIL_HOST_USER or "shigan@localhost"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SHIGAN_SITE_URL = os.environ.get("SHIGAN_SITE_URL", "").strip().rstrip("/")
ROBOT_HOSTS_DEFAULT = "oapi.dingtalk.com,qyapi.weixin.qq.com"
SHIGAN_ROBOT_HOSTS = [
    h.strip() for h in os.environ.get("SHIGAN_ROBOT_HOSTS", ROBOT_HOSTS_DEFAULT).split(",")
]
SHIGAN_ROBOT_HOSTS = [h for h in SHIGAN_ROBOT_HOSTS if h]
SHIGAN_QUIET_HOURS = os.environ.get("SHIGAN_QUIET_HOURS", "22:00-08:00").strip()
try:
    parse_quiet_hours(SHIGAN_QUIET_HOURS)
except ValueError as error:
    raise ImproperlyConfigured(f"SHIGAN_QUIET_HOURS：{error}（留空为不设免打扰）。") from None

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_IDLE_SECONDS = 2 * 3600  # shigan/core/middleware.py IdleTimeoutMiddleware
SHIGAN_FORWARDED_FOR = env_bool("SHIGAN_FORWARDED_FOR")
SHIGAN_HTTPS = env_bool("SHIGAN_HTTPS")
if SHIGAN_HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # Joining browsers' HSTS preload list is a decision for the domain's owner, not a setting.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"forbidden_in_one_line": {"()": "shigan.core.log.ForbiddenInOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["forbidden_in_one_line"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("SHIGAN_LOG_LEVEL", "WARNING")},
}

if TESTING:
    # Tests create many accounts; the default hasher's deliberate slowness buys nothing there.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
