"""The one settings object: a TOML config file plus environment overrides, read at the edge.

The CLI and the Prefect flow call `load_settings()` once and pass the pieces inward; the core
packages never read the environment or the config file themselves.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from laborwatch.domain import DEFAULT_ALERT_METRICS, METRICS
from laborwatch.redaction import redact_url

CONFIG_NAME = "laborwatch.toml"
# The bundled sample (seed articles, a small feed, watches for them only): package data.
SAMPLE_CONFIG = Path(__file__).resolve().parent / "samples" / CONFIG_NAME
SAMPLE_DATABASE = Path("var") / "laborwatch-sample.db"
NO_CONFIG_HINT = (
    "no configuration: pass --config FILE, set LABORWATCH_CONFIG, or create ./laborwatch.toml "
    "(`laborwatch init` writes a commented starter; `laborwatch run --sample` tries the bundled "
    "sample)"
)


class SettingsError(ValueError):
    """A configuration value a person has to fix; the message says which and why."""


class NoConfigError(SettingsError):
    """No config file was named and there is none where the user is."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SourceConfig(_Strict):
    """A feed (URL or file) or a folder / file of articles."""

    location: str = Field(description="Feed URL, feed file, article file or folder of articles")
    name: str | None = Field(default=None, description="Label shown in alerts and the UI")
    kind: Literal["auto", "feed", "articles"] = "auto"
    enabled: bool = True

    @field_validator("location")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        # An empty location would read the folder one is in.
        if not value.strip():
            raise ValueError("empty: give a feed URL, a feed or article file, or a folder")
        return value.strip()

    @property
    def label(self) -> str:
        return self.name or self.location


class WatchConfig(_Strict):
    """A named topic: which articles it covers, which subjects are one, whom it alerts."""

    name: str
    include: list[str] = Field(default_factory=list, description="any of these words must appear")
    exclude: list[str] = Field(default_factory=list, description="none of these may appear")
    aliases: dict[str, list[str]] = Field(
        default_factory=dict, description="canonical subject -> other names for it"
    )
    tags: list[str] = Field(default_factory=list, description="Apprise tags this watch alerts")


class AlertSettings(_Strict):
    urls: list[str] = Field(default_factory=list, description="Apprise URLs (secret: not logged)")
    config: str | None = Field(default=None, description="Apprise YAML config file with tags")
    secret_block: str | None = Field(
        default=None, description="Prefect Secret block holding Apprise URLs (list or string)"
    )
    mode: Literal["digest", "each"] = "digest"
    metrics: list[str] = Field(default_factory=lambda: list(DEFAULT_ALERT_METRICS))
    min_relative_change: float = Field(default=0.0, ge=0.0)
    tolerance: float = Field(default=0.005, ge=0.0, lt=1.0)
    operators_urls: list[str] = Field(default_factory=list, description="source-health alerts")

    @field_validator("metrics")
    @classmethod
    def _known_metrics(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(METRICS))
        if unknown:
            raise ValueError(f"unknown metric(s) {unknown}; known: {', '.join(METRICS)}")
        return value


class FetchSettings(_Strict):
    connect_timeout: float = Field(default=10.0, gt=0)
    total_timeout: float = Field(default=30.0, gt=0)
    max_bytes: int = Field(default=10_000_000, gt=0, description="response size cap")
    max_redirects: int = Field(default=5, ge=0)
    per_host_concurrency: int = Field(default=2, ge=1)
    concurrency: int = Field(default=16, ge=1)
    user_agent: str = "laborwatch/0.1 (+https://github.com/laborwatch/laborwatch)"
    allow_private_addresses: bool = Field(
        default=False, description="allow feeds on loopback/private networks (tests, intranets)"
    )
    respect_robots: bool = Field(
        default=True,
        description="fetch a page a feed links to only where its site's robots.txt allows it "
        "(feeds are fetched as published)",
    )


class ScaleSettings(_Strict):
    """Where a flow run's page parsing and figure extraction run (prefect-dask)."""

    dask_address: str = Field(
        default="",
        description="scheduler of a running Dask cluster (tcp://host:8786); "
        "empty: a local cluster per flow run",
    )
    dask_workers: int = Field(default=0, ge=0, description="local cluster workers; 0: per core")
    analysis_min_articles: int = Field(
        default=64, ge=0, description="fewer articles in a run: analysed without Dask"
    )


class Settings(_Strict):
    database_url: str = "sqlite:///var/laborwatch.db"
    sources: list[SourceConfig] = Field(default_factory=list)
    watches: list[WatchConfig] = Field(default_factory=list)
    alerts: AlertSettings = Field(default_factory=AlertSettings)
    fetch: FetchSettings = Field(default_factory=FetchSettings)
    scale: ScaleSettings = Field(default_factory=ScaleSettings)
    config_path: str | None = None


def _resolve_relative(value: str, base: Path) -> str:
    """Paths in a config file are relative to that file, URLs are left alone."""
    if "://" in value or value == "-":
        return value
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else (base / path))


def _resolve_sqlite(url: str, base: Path) -> str:
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith("sqlite:////") and url != "sqlite:///:memory:":
        return prefix + str((base / url[len(prefix) :]).resolve())
    return url


def _split_env_list(value: str) -> list[str]:
    return [part for chunk in value.split(",") for part in chunk.split() if part]


def config_file(
    config_path: str | os.PathLike[str] | None, environ: Mapping[str, str], cwd: Path
) -> Path:
    """Which config file a run uses: --config, else $LABORWATCH_CONFIG, else ./laborwatch.toml
    in the directory the user is in. Never the install folder's: a run from elsewhere must not
    silently use somebody else's watches and database."""
    chosen = config_path or environ.get("LABORWATCH_CONFIG")
    if chosen:
        path = (cwd / Path(chosen).expanduser()).resolve()
        if path.is_dir():
            raise SettingsError(f"config file {path} is a directory, not a TOML file")
        if not path.exists():
            raise SettingsError(f"config file {path} does not exist")
        return path
    local = cwd / CONFIG_NAME
    if local.is_file():
        return local.resolve()
    raise NoConfigError(NO_CONFIG_HINT)


def load_settings(
    config_path: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
    *,
    cwd: Path | None = None,
    sample: bool = False,
) -> Settings:
    """Read the config file (see `config_file`, or the bundled sample) and apply environment
    overrides. Raises SettingsError with a readable message."""
    env = os.environ if environ is None else environ
    here = Path.cwd() if cwd is None else cwd
    path = SAMPLE_CONFIG if sample else config_file(config_path, env, here)
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(f"config file {path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise SettingsError(f"config file {path}: {exc.strerror or exc}") from None
    if sample:
        # The sample's database lives where the user is, not in the install folder.
        data["database"] = {"url": f"sqlite:///{(here / SAMPLE_DATABASE).resolve()}"}
    base = path.parent

    database = data.pop("database", {})
    if isinstance(database, dict) and "url" in database:
        data["database_url"] = database["url"]
    _apply_environment(data, env)

    try:
        settings = Settings.model_validate({**data, "config_path": str(path)})
    except ValidationError as exc:
        raise SettingsError(f"config file {path}: {_explain(exc)}") from None
    settings.database_url = _resolve_sqlite(settings.database_url, base)
    for source in settings.sources:
        source.location = _resolve_relative(source.location, base)
    twice = location_given_twice(source.location for source in settings.sources)
    if twice is not None:
        raise SettingsError(f"config file {path}: sources: {twice} is listed twice")
    if settings.alerts.config:
        settings.alerts.config = _resolve_relative(settings.alerts.config, base)
    return settings


def _truthy(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes")


# Environment variable → (config section or None for the top level, key, how to read it).
_ENV_OVERRIDES: tuple[tuple[str, str | None, str, Callable[[str], Any]], ...] = (
    ("LABORWATCH_DB_URL", None, "database_url", str),
    ("LABORWATCH_NOTIFY_URLS", "alerts", "urls", _split_env_list),
    ("LABORWATCH_APPRISE_CONFIG", "alerts", "config", str),
    ("LABORWATCH_APPRISE_SECRET_BLOCK", "alerts", "secret_block", str),
    ("LABORWATCH_OPERATORS_URLS", "alerts", "operators_urls", _split_env_list),
    ("LABORWATCH_ALLOW_PRIVATE_ADDRESSES", "fetch", "allow_private_addresses", _truthy),
    ("LABORWATCH_DASK_ADDRESS", "scale", "dask_address", str),
)


def _apply_environment(data: dict[str, Any], env: Mapping[str, str]) -> None:
    """The environment's overrides on top of the config file's values."""
    for name, section, key, read in _ENV_OVERRIDES:
        if not env.get(name):
            continue
        if section is None:
            data[key] = read(env[name])
        else:
            data[section] = {**data.get(section, {}), key: read(env[name])}


def _explain(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"]) or "(top level)"
        parts.append(f"{where}: {str(error['msg']).removeprefix('Value error, ')}")
    return "; ".join(parts)


DATABASE_URL_HINT = (
    "e.g. sqlite:///var/laborwatch.db or postgresql+psycopg://localhost:5432/laborwatch"
)


def check_database_url(url: str) -> None:
    """Raise SettingsError when `url` cannot name a database we can open: not a SQLAlchemy
    URL, an unknown kind of database, a driver that is not installed, a port out of range, a
    SQLite file whose folder cannot be made. Checked at the edge, before any connection."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    shown = redact_url(url) or "''"
    try:
        parsed = make_url(url)
        port = parsed.port
    except (ArgumentError, ValueError):
        raise SettingsError(
            f"database URL {shown} is not a database URL ({DATABASE_URL_HINT})"
        ) from None
    if port is not None and not 0 < port < 65536:
        raise SettingsError(f"database URL {shown}: port {port} is out of range (1-65535)")
    try:
        dialect = parsed.get_dialect()
    except NoSuchModuleError:
        raise SettingsError(
            f"database URL {shown}: unknown kind of database {parsed.drivername!r} "
            f"({DATABASE_URL_HINT})"
        ) from None
    try:
        dialect.import_dbapi()
    except ImportError as exc:
        raise SettingsError(
            f"database URL {shown}: the Python driver for {parsed.drivername} is not installed "
            f"({exc.name or exc}); laborwatch works with SQLite and PostgreSQL (psycopg)"
        ) from None
    if parsed.get_backend_name() == "sqlite":
        _check_sqlite_folder(parsed.database or "", shown)


def _check_sqlite_folder(database: str, shown: str) -> None:
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database).expanduser()
    if path.is_dir():
        raise SettingsError(f"database URL {shown}: {path} is a folder, not a SQLite file")
    for folder in path.parents:
        if folder.exists():
            if not folder.is_dir():
                raise SettingsError(
                    f"database URL {shown}: cannot make the folder {path.parent}: "
                    f"{folder} is a file"
                )
            return


def location_given_twice(locations: Iterable[str]) -> str | None:
    """The first location given again ("articles" and "articles/" are one folder): a source read
    twice would count its articles twice."""
    seen: set[str] = set()
    for location in locations:
        key = location.strip().rstrip("/") or location
        if key in seen:
            return location
        seen.add(key)
    return None


def sources_from_locations(locations: list[str]) -> list[SourceConfig]:
    """Command-line --source values replace the configured sources for one run."""
    return [SourceConfig(location=_resolve_relative(loc, Path.cwd())) for loc in locations]
