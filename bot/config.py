"""Typed, frozen configuration loaded from TOML (see config.example.toml).

Each section is a frozen dataclass; the loader walks the dataclass fields, so adding a key means adding a
field (with its validator in the field metadata) and a commented line in config.example.toml.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

CONFIG_ENV = "SECRETARIAT_BOT_CONFIG"
TOKEN_ENV = "SECRETARIAT_BOT_TOKEN"
# One config file for every replica: each replica's systemd unit gives its own port (README, "운영").
WEBHOOK_PORT_ENV = "SECRETARIAT_BOT_WEBHOOK_PORT"
DATABASE_ENV = "DATABASE_URL"
DEFAULT_DATABASE_URL = "sqlite:///data/secretariat.db"


class ConfigError(Exception):
    """A config problem, worded for one line on the terminal."""

    def __init__(self, source: str, key: str, reason: str) -> None:
        super().__init__(f"{source}: {key}: {reason}")
        self.source = source
        self.key = key
        self.reason = reason


class Secret:
    """A string that never shows itself in repr, str or logs."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return "Secret('********')" if self._value else "Secret('')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


Validator = Callable[[Any], str | None]


def _check(validator: Validator) -> dict[str, Validator]:
    return {"check": validator}


def _one_of(*choices: str) -> Validator:
    return lambda v: None if v in choices else f"must be one of {', '.join(choices)}"


def _range(low: int, high: int) -> Validator:
    return lambda v: None if low <= v <= high else f"must be between {low} and {high}"


def _http_url_or_empty(value: str) -> str | None:
    return None if value == "" or re.match(r"^https?://\S+$", value) else "must be an http(s) URL or empty"


def check_database_url(value: str) -> str | None:
    if not re.match(r"^(sqlite|postgresql|postgres)(\+\w+)?://", value):
        return "must be a sqlite:/// or postgresql:// URL"
    try:
        _ = urlsplit(value).port  # reading it validates it
    except ValueError:
        return "has a port that is not a number between 0 and 65535"
    return None


def _port(value: int) -> str | None:
    return None if 1 <= value <= 65535 else "must be a port number between 1 and 65535"


def _secret_token(value: Secret) -> str | None:
    raw = value.get()
    if raw and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", raw):
        return "must be 1-256 characters of A-Z, a-z, 0-9, _ and -"
    return None


def _timezone(value: str) -> str | None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return f"unknown time zone {value!r} (e.g. Asia/Seoul)"
    return None


def _hh_mm(value: str) -> str | None:
    return None if re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value) else "must be HH:MM, e.g. 08:30"


def clock_time(text: str) -> time:
    """'08:30' -> time(8, 30); the text was validated as HH:MM when the config was loaded."""
    hour, minute = text.split(":")
    return time(int(hour), int(minute))


MAX_TELEGRAM_ID = 2**52 - 1  # Telegram: user ids have at most 52 significant bits


def _telegram_ids(value: tuple[int, ...]) -> str | None:
    wrong = [v for v in value if not 0 < v <= MAX_TELEGRAM_ID]
    return f"{wrong[0]} is not a Telegram user id (1 to 2^52-1)" if wrong else None


def database_secrets(url: str) -> tuple[str, ...]:
    """The password of a database URL as written and percent-decoded (what a driver may echo)."""
    try:
        password = urlsplit(url).password or ""
    except ValueError:
        return ()
    return tuple(dict.fromkeys(p for p in (password, unquote(password)) if p))


@dataclass(frozen=True)
class TelegramConfig:
    token: Secret = field(default_factory=lambda: Secret(""))
    api_base_url: str = field(default="", metadata=_check(_http_url_or_empty))
    mode: str = field(default="polling", metadata=_check(_one_of("polling", "webhook")))
    start_attempts: int = field(default=4, metadata=_check(_range(1, 10)))
    start_backoff_seconds: int = field(default=1, metadata=_check(_range(0, 60)))


@dataclass(frozen=True)
class WebhookConfig:
    listen: str = "127.0.0.1"
    port: int = field(default=8443, metadata=_check(_port))
    url: str = field(default="", metadata=_check(_http_url_or_empty))
    secret_token: Secret = field(default_factory=lambda: Secret(""), metadata=_check(_secret_token))


@dataclass(frozen=True)
class OpsConfig:
    # /healthz, /readyz and /metrics in polling mode (in webhook mode they are served beside the webhook).
    listen: str = "127.0.0.1"
    port: int = field(default=8480, metadata=_check(_range(0, 65535)))  # 0: no ops server in polling mode


@dataclass(frozen=True)
class LoggingConfig:
    format: str = field(default="text", metadata=_check(_one_of("text", "json")))
    level: str = field(default="INFO", metadata=_check(_one_of("DEBUG", "INFO", "WARNING", "ERROR")))
    updates: bool = False  # one line per update: id, kind, handler, latency, hashed user


@dataclass(frozen=True)
class DatabaseConfig:
    url: str = field(default=DEFAULT_DATABASE_URL, metadata=_check(check_database_url))
    # false: `run` does not migrate but refuses to start on an outdated schema (replicas deployed after
    # `secretariat-bot db upgrade`); true: every start migrates, one process at a time (PostgreSQL advisory lock)
    migrate_on_start: bool = True


@dataclass(frozen=True)
class AccessConfig:
    admins: tuple[int, ...] = field(default=(), metadata=_check(_telegram_ids))
    allow_groups: bool = False


@dataclass(frozen=True)
class ScheduleConfig:
    timezone: str = field(default="Asia/Seoul", metadata=_check(_timezone))
    briefing_time: str = field(default="08:30", metadata=_check(_hh_mm))

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def briefing(self) -> time:
        return clock_time(self.briefing_time)


def _lead_days(value: tuple[int, ...]) -> str | None:
    return None if all(0 <= v <= 365 for v in value) else "must be days between 0 and 365, e.g. [7, 1]"


def _positive(value: int) -> str | None:
    return None if value > 0 else "must be a positive number"


def _non_negative(value: int) -> str | None:
    return None if value >= 0 else "must be 0 or more"


@dataclass(frozen=True)
class RemindersConfig:
    lead_days: tuple[int, ...] = field(default=(7, 1), metadata=_check(_lead_days))
    lead_time: str = field(default="09:00", metadata=_check(_hh_mm))
    before_minutes: int = field(default=60, metadata=_check(_non_negative))
    morning: str = field(default="09:00", metadata=_check(_hh_mm))
    catch_up_hours: int = field(default=24, metadata=_check(_non_negative))
    lease_seconds: int = field(default=30, metadata=_check(_positive))
    poll_seconds: int = field(default=30, metadata=_check(_positive))  # looking for rows other processes wrote
    max_attempts: int = field(default=5, metadata=_check(_positive))


def _points(value: int) -> str | None:
    return None if 1 <= value <= 100 else "must be percentage points between 1 and 100"


@dataclass(frozen=True)
class BudgetConfig:
    pace_alert_points: int = field(default=15, metadata=_check(_points))
    max_entry_won: int = field(default=50_000_000, metadata=_check(_positive))


@dataclass(frozen=True)
class ImportsConfig:
    max_upload_mb: int = field(default=10, metadata=_check(_positive))
    max_rows: int = field(default=100_000, metadata=_check(_positive))
    max_unzipped_mb: int = field(default=200, metadata=_check(_positive))


def _statuses(value: tuple[str, ...]) -> str | None:
    if len(value) < 2 or len(set(value)) != len(value) or not all(0 < len(v) <= 16 for v in value):
        return "must be two or more distinct names of at most 16 characters"
    return None


def _month(value: int) -> str | None:
    return None if 1 <= value <= 12 else "must be a month, 1 to 12"


@dataclass(frozen=True)
class PledgesConfig:
    statuses: tuple[str, ...] = field(default=("정상추진", "지연", "완료", "보류", "미착수"),
                                      metadata=_check(_statuses))
    late_status: str = "지연"
    review_month: int = field(default=12, metadata=_check(_month))
    evaluation_lead_days: tuple[int, ...] = field(default=(30, 7, 0), metadata=_check(_lead_days))


def _names(value: tuple[str, ...]) -> str | None:
    if not value or len(set(value)) != len(value) or not all(0 < len(v) <= 40 for v in value):
        return "must be distinct names of at most 40 characters"
    return None


def _days(value: int) -> str | None:
    return None if 0 <= value <= 60 else "must be days between 0 and 60"


@dataclass(frozen=True)
class FieldworkConfig:
    visit_categories: tuple[str, ...] = field(default=(
        "계절성 안전", "민생-복지시설", "전통시장", "일자리", "개관시설", "동고동락", "시민발언대", "기타"),
        metadata=_check(_names))
    meeting_types: tuple[str, ...] = field(default=(
        "의장단·상임위원장단 간담회", "상임위원회별 간담회", "시의원 개별면담", "현장방문 의견청취", "시-구 간담회",
        "구청장협의회", "시-자치구 정책협의회", "시장-구청장 면담", "부구청장회의", "기타"), metadata=_check(_names))
    council_briefing_days: int = field(default=3, metadata=_check(_days))
    press_categories: tuple[str, ...] = field(default=("기자설명회", "발표"), metadata=_check(_names))
    press_briefing_days: int = field(default=1, metadata=_check(_days))
    edit_days: int = field(default=7, metadata=_check(_days))


@dataclass(frozen=True)
class FactsConfig:
    stale_after_days: int = field(default=365, metadata=_check(_positive))


@dataclass(frozen=True)
class ConversationConfig:
    # An echo or a form left unanswered this long expires with no effect.
    draft_hours: int = field(default=24, metadata=_check(_positive))


@dataclass(frozen=True)
class ReportConfig:
    # Staff (not only admins) may ask for the work report in chat (/report, 보고서 뽑아줘).
    staff_may_request: bool = False
    # The previous month's report to every admin who has not said /report off, on each month's first working day.
    monthly: bool = True
    monthly_time: str = field(default="09:00", metadata=_check(_hh_mm))

    @property
    def monthly_at(self) -> time:
        return clock_time(self.monthly_time)


@dataclass(frozen=True)
class Config:
    telegram: TelegramConfig = field(default_factory=TelegramConfig)
    webhook: WebhookConfig = field(default_factory=WebhookConfig)
    ops: OpsConfig = field(default_factory=OpsConfig)
    logging: LoggingConfig = field(default_factory=LoggingConfig)
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    access: AccessConfig = field(default_factory=AccessConfig)
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    reminders: RemindersConfig = field(default_factory=RemindersConfig)
    budget: BudgetConfig = field(default_factory=BudgetConfig)
    imports: ImportsConfig = field(default_factory=ImportsConfig)
    pledges: PledgesConfig = field(default_factory=PledgesConfig)
    fieldwork: FieldworkConfig = field(default_factory=FieldworkConfig)
    facts: FactsConfig = field(default_factory=FactsConfig)
    conversation: ConversationConfig = field(default_factory=ConversationConfig)
    report: ReportConfig = field(default_factory=ReportConfig)
    source: str = field(default="(defaults)", compare=False)

    def secrets(self) -> tuple[str, ...]:
        """Every value that must never be printed: the token, the webhook secret, the database password."""
        values = (self.telegram.token.get(), self.webhook.secret_token.get(), *database_secrets(self.database.url))
        return tuple(v for v in values if v)

    def require_token(self) -> None:
        if not self.telegram.token:
            raise ConfigError(
                self.source, "telegram.token", f"missing: set it in the config file or in {TOKEN_ENV}"
            )
        if self.telegram.mode == "webhook":
            if not self.webhook.url:
                raise ConfigError(self.source, "webhook.url", "required when telegram.mode = 'webhook'")
            if not self.webhook.secret_token:
                raise ConfigError(
                    self.source, "webhook.secret_token", "required when telegram.mode = 'webhook'"
                )


def _describe(tp: Any) -> str:
    names = {str: "a string", int: "an integer", bool: "true or false", Secret: "a string"}
    if get_origin(tp) is tuple:
        return f"a list of {_describe(get_args(tp)[0]).removeprefix('a ').removeprefix('an ')}s"
    return names.get(tp, str(tp))


def _coerce(value: Any, tp: Any, source: str, key: str) -> Any:
    wrong = ConfigError(source, key, f"must be {_describe(tp)}, got {type(value).__name__}")
    if tp is Secret:
        if not isinstance(value, str):
            raise wrong
        return Secret(value)
    if get_origin(tp) is tuple:
        item = get_args(tp)[0]
        if not isinstance(value, list):
            raise wrong
        return tuple(_coerce(v, item, source, key) for v in value)
    if get_origin(tp) in (Union, types.UnionType):
        raise TypeError(f"unsupported config type for {key}")
    # bool is a subclass of int: refuse true/false where a number is meant.
    if tp is int and isinstance(value, bool):
        raise wrong
    if not isinstance(value, tp):
        raise wrong
    return value


def _build_section(cls: type[Any], raw: Mapping[str, Any], source: str, prefix: str) -> Any:
    hints = get_type_hints(cls)
    known = {f.name: f for f in dataclasses.fields(cls) if f.init and f.name != "source"}
    unknown = sorted(set(raw) - set(known))
    if unknown:
        raise ConfigError(source, f"{prefix}{unknown[0]}", "unknown key")
    values: dict[str, Any] = {}
    for name, fld in known.items():
        key = f"{prefix}{name}"
        tp = hints[name]
        if isinstance(tp, type) and dataclasses.is_dataclass(tp):
            sub = raw.get(name, {})
            if not isinstance(sub, dict):
                raise ConfigError(source, key, "must be a table ([" + key + "])")
            values[name] = _build_section(tp, sub, source, f"{key}.")
            continue
        if name not in raw:
            continue
        value = _coerce(raw[name], tp, source, key)
        check = fld.metadata.get("check")
        problem = check(value) if check else None
        if problem:
            raise ConfigError(source, key, problem)
        values[name] = value
    return cls(**values)


def parse_config(raw: Mapping[str, Any], source: str, env: Mapping[str, str] | None = None) -> Config:
    """Build a Config from parsed TOML, then apply the environment overrides."""
    env = os.environ if env is None else env
    config: Config = _build_section(Config, raw, source, "")
    config = dataclasses.replace(config, source=source)
    if config.pledges.late_status not in config.pledges.statuses:
        raise ConfigError(source, "pledges.late_status", "must be one of pledges.statuses")
    token = env.get(TOKEN_ENV, "").strip()
    if token:
        config = dataclasses.replace(config, telegram=dataclasses.replace(config.telegram, token=Secret(token)))
    db_url = env.get(DATABASE_ENV, "").strip()
    if db_url:
        problem = check_database_url(db_url)
        if problem:
            raise ConfigError(DATABASE_ENV, "database.url", problem)
        config = dataclasses.replace(config, database=dataclasses.replace(config.database, url=db_url))
    port = env.get(WEBHOOK_PORT_ENV, "").strip()
    if port:
        problem = None if port.isdigit() else "must be a whole number"
        problem = problem or _port(int(port))
        if problem:
            raise ConfigError(WEBHOOK_PORT_ENV, "webhook.port", problem)
        config = dataclasses.replace(config, webhook=dataclasses.replace(config.webhook, port=int(port)))
    return config


def load_config(path: str | Path | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Load the config: explicit path, else $SECRETARIAT_BOT_CONFIG, else ./config.toml, else defaults."""
    env = os.environ if env is None else env
    explicit = path or env.get(CONFIG_ENV)
    candidate = Path(explicit) if explicit else Path("config.toml")
    if not candidate.exists():
        if explicit:
            raise ConfigError(str(candidate), "(file)", "no such file")
        return parse_config({}, "(defaults)", env)
    try:
        raw = tomllib.loads(candidate.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(candidate), "(syntax)", str(exc)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(candidate), "(file)", str(exc)) from None
    return parse_config(raw, str(candidate), env)
