"""Command line: thin adapters over the library. Results go to stdout, progress and
warnings to stderr; expected failures become one line and exit code 1 (2 = partial)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import os
import re
import signal
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import duckdb

from shadowai import __version__, formats, metrics, report
from shadowai import catalog as catalog_mod
from shadowai import trend as trend_mod
from shadowai.directory import Directory
from shadowai.engines import ProcessEngine, SparkEngine, available_cores
from shadowai.errors import STOP_SIGNALS, STOPPED_BY, ConfigError, ShadowaiError
from shadowai.formats._mapped import register_mapped
from shadowai.ingest import FileResult, Ingestor, normalise_host
from shadowai.pseudonym import (
    KeyRing,
    Pseudonymiser,
    derive_month_key,
    destroy_file,
    key_is_private,
    read_key,
)
from shadowai.remote import ObjectPath, S3Options, location
from shadowai.report.i18n import STRINGS
from shadowai.report.pdf import html_to_pdf
from shadowai.settings import Config, load_config, render_toml
from shadowai.sources import check_readable
from shadowai.store import Store

EXIT_PARTIAL = 2
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _stop(signum: int, _frame: object) -> None:
    """Signal handler: the first stop signal interrupts the work where it is (as Ctrl-C
    does); later ones are ignored so the clean-up and its one line are not cut short."""
    if not STOPPED_BY:
        STOPPED_BY.append(signum)
        raise KeyboardInterrupt


def _fail_cleanly(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn expected failures into one line on stderr and exit code 1, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ShadowaiError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except (KeyboardInterrupt, duckdb.InterruptException):
            signum = STOPPED_BY[0] if STOPPED_BY else signal.SIGINT
            click.echo(f"Interrupted ({signal.Signals(signum).name}): the file being stored "
                       "was rolled back and no other was started; the store is consistent. "
                       "Run the same command again to finish.", err=True)
            sys.exit(128 + signum)
        except BrokenPipeError:  # the reader went away (`| head`): main() ends quietly
            raise
        except OSError as exc:  # a file we write (report, key): its name and why
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"Error: {where}{exc.strerror or exc}.", err=True)
            sys.exit(1)

    return wrapper


class _Cli(click.Group):
    """The command group; usage errors exit 1 with one line (click's default, 2, is what
    shadowai uses for a partial run)."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except click.UsageError as exc:
            hint = f"; see '{exc.ctx.command_path} --help'" if exc.ctx else ""
            click.echo(f"Error: {exc.format_message().rstrip('.')}{hint}.", err=True)
            sys.exit(1)
        except click.ClickException as exc:
            click.echo(f"Error: {exc.format_message()}", err=True)
            sys.exit(1)
        except click.Abort:
            click.echo("Interrupted.", err=True)
            sys.exit(130)
        sys.exit(code if isinstance(code, int) else 0)


def _month(value: str | None) -> str:
    if value is None:
        today = dt.date.today().replace(day=1) - dt.timedelta(days=1)
        return today.strftime("%Y-%m")
    if not _MONTH.match(value):
        raise click.BadParameter(f"{value!r} is not a month; expected YYYY-MM, e.g. 2026-10.")
    return value


def _cfg(ctx: click.Context) -> Config:
    cfg: Config = ctx.obj["config"]()
    # Formats mapped in the configuration join the registry before anything reads logs.
    register_mapped(cfg.tables.get("formats"), str(cfg.source or "config"))
    return cfg


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="shadowai")
@click.option("--config", "config_path", type=click.Path(path_type=Path), default=None,
              help="Config file (default ./shadowai.toml, or $SHADOWAI_CONFIG).")
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None) -> None:
    """shadowai: monthly, pseudonymised reports of public generative-AI usage from proxy
    logs, per department, never per person.

    \b
    Typical monthly job:
      shadowai init                                  # once: config + secret key
      shadowai run --month 2026-10 /var/log/squid/   # ingest + report
    """
    ctx.ensure_object(dict)
    cache: dict[str, Config] = {}

    def config() -> Config:
        if "c" not in cache:
            cache["c"] = load_config(config_path)
        return cache["c"]

    ctx.obj["config"] = config
    ctx.obj["config_path"] = config_path


@cli.command()
@click.option("--print", "print_only", is_flag=True, help="Print the config, write nothing.")
@click.pass_context
@_fail_cleanly
def init(ctx: click.Context, print_only: bool) -> None:
    """Write a commented shadowai.toml and a new secret key (mode 0600).

    Never overwrites an existing key: every pseudonym depends on it.

    \b
    Example:
      shadowai init && $EDITOR shadowai.toml
    """
    text = render_toml()
    if print_only:
        click.echo(text, nl=False)
        return
    path: Path = ctx.obj["config_path"] or Path("shadowai.toml")
    if path.exists():
        click.echo(f"{path}: exists, left as is.", err=True)
    else:
        path.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {path}")
    cfg = _cfg(ctx)
    ring = KeyRing(Path(cfg["privacy.key_ring"]))
    ring.ensure_folder()
    click.echo(f"Key ring {ring.folder} ready (mode 0700): one random key per month is "
               "created there when the month is first met, and destroyed when the month is "
               "closed. Keep it out of backups of the store.")


def _catalog(cfg: Config) -> catalog_mod.Catalog:
    """The shipped catalog with the organisation's [catalog] overlay applied."""
    section = {k: v for k, v in (cfg.tables.get("catalog") or {}).items()
               if k != "alternatives"}  # a report setting, read by _alternatives
    base = cfg.source.parent if cfg.source else Path.cwd()
    return catalog_mod.apply_overlay(
        catalog_mod.load_configured(section, base, Path(cfg["store.path"])), section,
        where=f"{cfg.source or 'config'} [catalog]")


def _alternatives(cfg: Config, catalog: catalog_mod.Catalog) -> dict[str, str]:
    """``[catalog] alternatives``: category of use -> sanctioned service id to offer."""
    where = f"{cfg.source or 'config'} [catalog] alternatives"
    table = (cfg.tables.get("catalog") or {}).get("alternatives", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: must be a table of category = \"service-id\".")
    for category, sid in table.items():
        if category not in catalog_mod.CATEGORIES:
            raise ConfigError(f"{where}: unknown category {category!r}; expected one of "
                              f"{', '.join(catalog_mod.CATEGORIES)}.")
        if not isinstance(sid, str) or sid not in catalog.services:
            raise ConfigError(f"{where}: {category} = {sid!r} is not a catalogued service "
                              "('shadowai domains list' lists them).")
    return dict(table)


class _Context:
    """Everything ingest and report need, built from the config once."""

    def __init__(self, cfg: Config) -> None:
        self.cfg = cfg
        self.catalog = _catalog(cfg)
        self.alternatives = _alternatives(cfg, self.catalog)
        self.directory = Directory.load(cfg.path("directory.users"),
                                        cfg.path("directory.networks"),
                                        cfg.path("directory.headcount"))
        self.ring = KeyRing(Path(cfg["privacy.key_ring"]),
                            notify=functools.partial(click.echo, err=True))
        if self.ring.folder.exists() and not self.ring.folder.is_dir():
            raise ConfigError(f"[privacy] key_ring {self.ring.folder} is a file, not a folder: "
                              "point key_ring at a folder (shadowai creates it, mode 0700).")
        for warning in self.directory.warnings:
            click.echo(f"Warning: {warning}", err=True)

    def prepare(self, store: Store) -> None:
        """Before anything is read or reported: migrate a key of shadowai < 0.2, tell the
        key ring which months must not get a new key, finish an interrupted close, and
        close the months whose grace period is over."""
        closed = store.closed_months()
        legacy = self.cfg.path("privacy.key_file")
        if legacy and legacy.exists() and legacy.is_file():
            secret = read_key(legacy)
            months = sorted((set(store.key_checks()) | set(store.detail_months()))
                            - set(closed))
            for month in months:
                if not self.ring.path(month).exists():
                    self.ring.add(month, derive_month_key(secret, month))
            destroy_file(legacy)
            click.echo(f"Migrated {legacy} into the key ring {self.ring.folder} "
                       f"({len(months)} month key(s)), then destroyed it: month keys are no "
                       "longer derived from one long-lived secret.", err=True)
        self.ring.closed = set(closed)
        self.ring.protected = set(store.key_checks()) - set(closed)
        for month in self.ring.months():
            if month in closed:  # a close interrupted after its store transaction
                self.ring.destroy(month)
        exposed = [p for p in [self.ring.folder, *map(self.ring.path, self.ring.months())]
                   if p.exists() and not key_is_private(p)]
        if exposed:
            click.echo(f"Warning: {exposed[0]} is readable by other users; "
                       f"run 'chmod -R go-rwx {self.ring.folder}'.", err=True)
        days = self.cfg["privacy.close_after_days"]
        if days:
            today = dt.date.today()
            for month in store.detail_months():
                if month not in closed and today >= (metrics.month_bounds(month)[1]
                                                     + dt.timedelta(days=days)):
                    close_month(self, store, month, why=f"{days} days after its end")


def close_month(ctx: _Context, store: Store, month: str, why: str) -> None:
    """Close a month: keep its k-anonymous summary, remove its per-person rows, destroy
    its key. Afterwards nobody can link anything of that month to a person."""
    model = None
    if month in store.detail_months() and month not in store.purged_months():
        model = _build(ctx, store, month, ctx.cfg["report.lang"])
    removed = store.close_month(month, model)
    ctx.ring.destroy(month)
    ctx.ring.closed.add(month)
    ctx.ring.protected.discard(month)
    click.echo(f"Closed {month} ({why}): summary kept, {removed:,} per-person rows removed, "
               "its key destroyed. Nobody can re-identify it any more.", err=True)


def _progress() -> Callable[[str, int, int], None] | None:
    if not sys.stderr.isatty():
        return None

    def show(path: str, done: int, _lines: int) -> None:
        click.echo(f"\r  {Path(path).name}: {done / 1e6:,.0f} MB read", err=True, nl=False)

    return show


@dataclasses.dataclass(frozen=True)
class _EngineChoice:
    """How files are scanned: in this process, a process pool, or Spark."""

    engine: str = "local"
    workers: int | None = None
    spark_master: str | None = None
    spark_remote: str | None = None
    configured: int = 0  # [ingest] workers

    def make(self) -> Any:
        if self.engine == "spark":
            return SparkEngine(self.spark_master, self.spark_remote)
        workers = self.workers or self.configured or available_cores()
        return ProcessEngine(workers) if workers > 1 else None


def _ingest(ctx: _Context, paths: list[Path | ObjectPath], format_name: str | None,
            force: bool, choice: _EngineChoice | None = None,
            show_raw: bool = False) -> list[FileResult]:
    warn = functools.partial(click.echo, err=True)
    store_path = Path(ctx.cfg["store.path"])
    own = (store_path, ctx.cfg.path("privacy.key_file"), ctx.ring.folder)
    choice = dataclasses.replace(choice or _EngineChoice(workers=1),
                                 configured=ctx.cfg["ingest.workers"])
    engine = choice.make()
    with Store(store_path) as store:
        ctx.prepare(store)
        ingestor = Ingestor(store, ctx.catalog, ctx.directory, Pseudonymiser(ctx.ring),
                            ctx.cfg["report.timezone"], warn=lambda m: warn(f"Warning: {m}"),
                            progress=_progress(),
                            episode_gap_minutes=ctx.cfg["ingest.episode_gap_minutes"],
                            source_timezones=ctx.cfg.tables.get("timezones"),
                            closed_months=set(store.closed_months()),
                            engine=engine, mapped_formats=ctx.cfg.tables.get("formats"),
                            mapped_where=str(ctx.cfg.source or "config"),
                            s3=S3Options.from_settings(ctx.cfg.values), show_raw=show_raw)
        try:
            results = ingestor.ingest(paths, format_name, force,
                                      exclude=tuple(ctx.cfg["ingest.exclude"]),
                                      include=tuple(ctx.cfg["ingest.include"]),
                                      own=tuple(p for p in own if p))
        finally:
            if engine is not None:
                engine.close()
            # Workers get the keys of every month a file may hold; a key whose month got
            # no data protects nothing: destroy it rather than keep it lying around.
            used = set(store.key_checks())
            for month in ctx.ring.months():
                if month not in used:
                    ctx.ring.destroy(month)
            ctx.ring.announce(used)
    if sys.stderr.isatty():
        click.echo("\r", err=True, nl=False)
    return results


def _check_inputs(paths: tuple[str, ...], format_name: str | None,
                  cfg: Config) -> list[Path | ObjectPath]:
    """Usage errors first, before anything is created or read. One unreadable path among
    readable ones is not a usage error: it fails as a file and the others go on. Returns
    the inputs as local paths and s3:// objects (whose credentials are checked here)."""
    if format_name:
        formats.get(format_name)
    options = S3Options.from_settings(cfg.values)
    inputs = [location(p, options) for p in paths]
    if any(isinstance(p, ObjectPath) for p in inputs):
        options.filesystem()
    problems = []
    for path in inputs:  # s3:// inputs are listed by the ingest itself
        try:
            if not isinstance(path, ObjectPath) and not path.is_dir():
                check_readable(path)
        except ShadowaiError as exc:
            problems.append(exc)
    if problems and len(problems) == len(paths):
        raise problems[0]
    return inputs


def _check_out(out: Path) -> Path:
    """The reports folder, created and proven writable before any work is done (a bad
    --out used to fail after the ingest had been committed)."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out, prefix=".shadowai-check-"):
            pass
    except OSError as exc:
        raise ConfigError(f"{out}: cannot write reports there ({exc.strerror or exc}). "
                          "Pass another --out or fix [report] out.") from None
    return out


def _training_rule(cfg: Config) -> metrics.TrainingRule:
    return metrics.TrainingRule(cfg["training.users_share"], cfg["training.others_share"],
                                cfg["training.group_size"])


def _partial(results: list[FileResult], cfg: Config) -> bool:
    """True when a file failed, rejected more lines than tolerated, or came too late: all
    its dated lines are of closed months, so no report will ever count it."""
    tolerance = cfg["ingest.max_rejected_ratio"]
    return any(r.status == "failed" or (r.lines and r.rejected / r.lines > tolerance)
               or (r.status == "ingested" and r.month_closed and not r.parsed)
               for r in results)


def _print_results(results: list[FileResult]) -> None:
    for r in results:
        if r.status == "ingested":
            extends = (f"; extends {r.replaced} stored file(s), whose rows it replaces"
                       if r.replaced else "")
            click.echo(f"{r.path}: {r.format}, {r.lines:,} lines, {r.rejected:,} rejected, "
                       f"{r.ai_requests:,} AI requests ({r.seconds:.1f} s){extends}")
        else:
            click.echo(f"{r.path}: {r.status}" + (f" ({r.message})" if r.message else ""))
    ok = [r for r in results if r.status == "ingested"]
    click.echo(f"{len(ok)} file(s) ingested, {sum(r.lines for r in ok):,} lines, "
               f"{sum(r.rejected for r in ok):,} rejected, "
               f"{sum(r.ai_requests for r in ok):,} AI requests; "
               f"{sum(r.status in ('unchanged', 'duplicate') for r in results)} already "
               f"ingested, {sum(r.status == 'skipped' for r in results)} skipped (not logs), "
               f"{sum(r.status == 'failed' for r in results)} failed.")


_paths = click.argument("paths", nargs=-1, required=True,  # local, file:// or s3://
                        type=click.Path(path_type=str))
_format = click.option("--format", "format_name", default=None,
                       help="Force the log format instead of detecting it "
                            "('shadowai formats' lists them).")
_force = click.option("--force", is_flag=True,
                      help="Re-read files already ingested (e.g. after a catalog update); "
                           "a file of closed months only stays as the close left it.")
_show_raw = click.option("--show-raw", is_flag=True,
                         help="Print rejected lines as they are (user names, addresses) on "
                              "stderr, to debug a format; --json and the store stay masked.")


def _engine_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--workers, --engine, --spark-master, --spark-remote."""
    for option in reversed([
            click.option("--workers", type=click.IntRange(min=1), default=None,
                         help="Processes reading files in parallel (default: the cores "
                              "available to shadowai; 1 reads in this process)."),
            click.option("--engine", type=click.Choice(["local", "spark"]), default="local",
                         help="local (this machine) or spark (needs shadowai[spark])."),
            click.option("--spark-master", default=None,
                         help="Spark master URL, e.g. yarn, k8s://https://..., local[4,2]."),
            click.option("--spark-remote", default=None,
                         help="Spark Connect server, e.g. sc://spark.example:15002.")]):
        fn = option(fn)
    return fn


@cli.command()
@_paths
@_format
@_force
@_engine_options
@_show_raw
@click.option("--json", "as_json", is_flag=True,
              help="Print a JSON array on stdout, one object per file (messages stay on "
                   "stderr).")
@click.pass_context
@_fail_cleanly
def ingest(ctx: click.Context, paths: tuple[str, ...], format_name: str | None, force: bool,
           workers: int | None, engine: str, spark_master: str | None,
           spark_remote: str | None, show_raw: bool, as_json: bool) -> None:
    """Read log files and directories (recursively; .gz .bz2 .xz .zst too) into the store.

    Files already ingested are skipped; a file whose content changed replaces its earlier
    version. Exit code 2 when a file failed, rejected too many lines, or holds only lines
    of closed months (it came too late to be counted).

    \b
    Example:
      shadowai ingest /var/log/squid/access.log-202610*.gz
      shadowai ingest --engine spark --spark-master yarn s3://logs/proxy/2026-10/
    """
    inputs = _check_inputs(paths, format_name, _cfg(ctx))
    results = _ingest(_Context(_cfg(ctx)), inputs, format_name, force,
                      _EngineChoice(engine, workers, spark_master, spark_remote), show_raw)
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in results], indent=2, ensure_ascii=False))
    else:
        _print_results(results)
    if _partial(results, _cfg(ctx)):
        sys.exit(EXIT_PARTIAL)


def _month_warnings(q: dict[str, Any], episodes: int | None) -> list[str]:
    """What a month's report warns about on stderr (the report shows it too)."""
    warnings = []
    missing = q["missing_days"]
    if missing:
        shown = ", ".join(missing[:5]) + (", ..." if len(missing) > 5 else "")
        warnings.append(f"{len(missing)} of {q['days_in_month']} days have no data ({shown}); "
                        "the report says the month is not fully covered.")
    split = q.get("split_episodes") or {}  # none in summaries before session 8
    if split.get("excess"):
        warnings.append(
            f"{split['person_days']:,} person-days on a service were read from several files "
            f"(proxies behind a load balancer, a log rotated during a session): episodes are "
            f"counted file by file, so up to {split['excess']:,} of the "
            f"{'episodes' if episodes is None else f'{episodes:,}'} may be counted twice; "
            f"the report says so.")
    if split.get("excess") and split.get("copies_likely"):
        warnings.append(
            f"in {split['mirrored']:,} of them every file holds the same number of requests: "
            f"the same lines may be stored twice (a copy with other line ends, or without its "
            f"first lines, is another file to shadowai); requests would then be counted twice "
            f"too. Look for such copies among the inputs.")
    for name in q.get("headcount_below_users", []):  # none in summaries before session 9
        warnings.append(STRINGS["headcount_below_users"]["en"].format(name=name))
    if q.get("headcount_incomplete"):
        warnings.append(STRINGS["headcount_incomplete"]["en"])
    if q.get("department_changes"):
        warnings.append(STRINGS["department_changes"]["en"].format(
            n=f"{q['department_changes']:,}"))
    return warnings


def _catalog_warnings(model: dict[str, Any], current: str, detail: bool) -> list[str]:
    """Said on stderr too (cron mail): an old catalog, and, for a month whose rows are
    still here, files classified with another catalog than today's (after an import)."""
    warnings = []
    cat = (model.get("risk") or {}).get("catalog") or {}
    if cat.get("stale"):
        warnings.append(f"the catalog is {cat['age_days']} days old (more than [catalog] "
                        f"max_age_days = {cat['max_age_days']}): services launched since are "
                        "missed. Import a newer release with 'shadowai domains import'.")
    older = [v for v in model.get("catalog_versions_used") or [] if v != current]
    if detail and older:
        warnings.append(f"files of this month were classified with catalog {', '.join(older)} "
                        f"at their ingest, not with today's ({current}): run again with "
                        "--force to classify them with today's.")
    return warnings


def _build(ctx: _Context, store: Store, month: str, lang: str,
           fresh: bool = False) -> dict[str, Any]:
    """The month's report model. ``fresh`` (the report of an open month): with today's
    headcount file, stored as the month's; otherwise (close, trend, purge) with the
    headcount the month was last reported with, today's file if none was stored."""
    zone = ctx.cfg["report.timezone"]
    start, end = metrics.month_bounds(month)
    others = store.frame("month_day_zones", start=start, end=end, timezone=zone).rows()
    if others:
        was = ", ".join(f"{tz} ({n} file(s))" for tz, n in others)
        raise ConfigError(
            f"{month}: files were ingested with their days cut in {was}, and [report] "
            f"timezone is now {zone}: their days and months would be wrong. Re-ingest them "
            f"with the same inputs and --force, or set [report] timezone back.")
    directory = ctx.directory
    if fresh:
        store.save_headcounts(month, directory.headcount)
    else:
        kept = store.headcounts(month)
        if kept is not None:
            directory = dataclasses.replace(directory, headcount=kept)
    return metrics.build(store, month, ctx.catalog, directory, ctx.cfg["privacy.k"],
                         ctx.cfg["report.timezone"], lang, _training_rule(ctx.cfg),
                         ctx.cfg["ingest.episode_gap_minutes"], ctx.cfg["report.unit"] or None,
                         organisation=ctx.cfg["report.organisation"],
                         alternatives=ctx.alternatives,
                         show_file_names=ctx.cfg["report.show_file_names"])


def _report(ctx: _Context, month: str, lang: str | None, out: Path | None,
            pdf: bool = False, audience: str = "full",
            inputs: list[FileResult] | None = None) -> dict[str, Any]:
    """Build (or, for a purged month, re-render from its kept summary) and write the
    month's report. A month without any ingested line is refused: no month is published
    from nothing."""
    lang = lang or ctx.cfg["report.lang"]
    out = _check_out(out or Path(ctx.cfg["report.out"]))
    with Store(Path(ctx.cfg["store.path"]), must_exist=True) as store:
        ctx.prepare(store)
        kept = store.summary(month)
        closed = store.closed_months()
        if month in closed and kept:
            model = {**metrics.relabel(kept, lang),
                     "closed_at": closed[month].replace(microsecond=0).isoformat()}
        elif month in store.purged_months() and kept:
            # Its detailed rows are gone: the kept summary is the month's record, never
            # replaced by figures computed from what is left.
            model = metrics.relabel(kept, lang)
            click.echo(f"{month}: detailed data purged; report written from the summary "
                       "kept at purge time.", err=True)
        elif month in store.detail_months():
            model = _build(ctx, store, month, lang, fresh=True)
            store.save_summary(month, model)
            days = ctx.cfg["privacy.close_after_days"]
            # who can re-identify the month, and until when: said on the report
            model["closes_on"] = (metrics.month_bounds(month)[1]
                                  + dt.timedelta(days=days)).isoformat() if days else None
        elif kept:
            model = metrics.relabel(kept, lang)
        else:
            raise NoDataError(month, store, inputs)
        detail = month in store.detail_months()
        if not detail and not ctx.cfg["report.show_file_names"]:
            model = metrics.neutral_file_names(model)
    index = report.write_month(model, out, audience=audience,
                               csv_dialect=ctx.cfg["report.csv_dialect"])
    t = model["totals"]
    def count(value: int | None) -> str:
        return f"{value:,}" if value is not None else f"< {model['k']}"
    people = count(t["ai_people"])
    q, a = model["quality"], model.get("addresses") or {}  # none in summaries before v3
    apart = ""
    if a.get("counted_apart") and a["ai_requests"]:
        ai = f"{a['ai_people']:,}" if a["ai_people"] is not None else f"< {model['k']}"
        apart = (f"; {ai} addresses without a user counted apart "
                 f"({a['ai_requests']:,} AI requests)")
    click.echo(f"{month}: {q['file_count']} file(s), {q['lines']:,} lines "
               f"({q['rejected']:,} rejected); {people} people used public AI in "
               f"{count(t['ai_episodes'])} episodes ({count(t['ai_requests'])} AI requests)"
               f"{apart}; "
               f"{q['days_with_data']}/{q['days_in_month']} days covered.")
    for warning in _month_warnings(q, t["ai_episodes"]) + _catalog_warnings(
            model, ctx.catalog.version, detail):
        click.echo(f"Warning: {month}: {warning}", err=True)
    for warning in ctx.directory.check():
        click.echo(f"Warning: {warning}", err=True)
    click.echo(f"Report: {index}")
    if pdf:
        click.echo(f"PDF: {html_to_pdf(index, index.with_name('report.pdf'))}")
    return model


_lang = click.option("--lang", type=click.Choice(["fr", "en"]), default=None,
                     help="Report language (default from config: fr).")
_out = click.option("--out", type=click.Path(path_type=Path), default=None,
                    help="Reports folder (default from config: reports).")
_pdf = click.option("--pdf", is_flag=True,
                    help="Also print the report to report.pdf (A4) with a local Chromium.")
_audience = click.option(
    "--audience", type=click.Choice(["full", "management"]), default="full",
    help="'management' leaves out the operator annex (files, rejected lines, hosts to review "
         "for the catalog, directory checks) from what is distributed. Default: full.")
_month_opt = click.option("--month", default=None,
                          help="Month YYYY-MM (default: last month).")


@cli.command("report")
@_month_opt
@_lang
@_out
@_pdf
@_audience
@click.pass_context
@_fail_cleanly
def report_cmd(ctx: click.Context, month: str | None, lang: str | None,
               out: Path | None, pdf: bool, audience: str) -> None:
    """Write reports/YYYY-MM/: index.html, summary.json and CSV exports.

    \b
    Example:
      shadowai report --month 2026-10 --lang en
      shadowai report --month 2026-10 --audience management --pdf
    """
    _report(_Context(_cfg(ctx)), _month(month), lang, out, pdf, audience)


@cli.command()
@_month_opt
@_paths
@_format
@_force
@_lang
@_out
@_pdf
@_audience
@_engine_options
@_show_raw
@click.pass_context
@_fail_cleanly
def run(ctx: click.Context, month: str | None, paths: tuple[str, ...],
        format_name: str | None, force: bool, lang: str | None, out: Path | None,
        pdf: bool, audience: str, workers: int | None, engine: str,
        spark_master: str | None, spark_remote: str | None, show_raw: bool) -> None:
    """The monthly batch: ingest PATHS, then write the month's report.

    Exit code 0 when all went well, 2 when some files or too many lines were rejected or
    a file held only lines of closed months (the report is still written), 1 on a usage or
    configuration error.

    \b
    Example (cron, on the 2nd of each month):
      shadowai run --month "$(date -d 'last month' +%Y-%m)" /var/log/squid/
    """
    month = _month(month)
    inputs = _check_inputs(paths, format_name, _cfg(ctx))
    _check_out(out or Path(_cfg(ctx)["report.out"]))
    context = _Context(_cfg(ctx))
    results = _ingest(context, inputs, format_name, force,
                      _EngineChoice(engine, workers, spark_master, spark_remote), show_raw)
    _print_results(results)
    _report(context, month, lang, out, pdf, audience, inputs=results)
    if _partial(results, context.cfg):
        sys.exit(EXIT_PARTIAL)


class NoDataError(ShadowaiError):
    """A report asked for a month of which no line was ingested."""

    def __init__(self, month: str, store: Store, inputs: list[FileResult] | None) -> None:
        held = sorted(set(store.detail_months()) | {s["month"] for s in store.summaries()})
        given = ""
        if inputs is not None:
            spans = sorted({m for r in inputs for m in r.months})
            given = (f" The files given cover {', '.join(spans)}." if spans else
                     " The files given added no dated line.")
        super().__init__(
            f"{month}: no log line of this month has been ingested, so there is no report "
            f"to write (nothing was written).{given} The store holds "
            f"{', '.join(held) or 'no month yet'}. Check --month and the paths given.")


def _refresh_summaries(ctx: _Context, store: Store, months: list[str]) -> None:
    """(Re)compute the k-anonymous summary of months that still have detailed data."""
    for month in months:
        store.save_summary(month, _build(ctx, store, month, ctx.cfg["report.lang"]))


@cli.command("close")
@click.option("--month", default=None,
              help="Close this month now (YYYY-MM). Default: every month whose grace "
                   "period ([privacy] close_after_days) is over.")
@click.pass_context
@_fail_cleanly
def close_cmd(ctx: click.Context, month: str | None) -> None:
    """Close months: keep their k-anonymous summary, delete their per-person rows and
    destroy their key, so that nobody, the operator included, can re-identify them.

    Lines of a closed month that arrive later are not ingested (counted as "month
    closed"). Reports and trends of closed months are rendered from their summaries.

    \b
    Example (close October now, before the automatic delay):
      shadowai close --month 2026-10
    """
    context = _Context(_cfg(ctx))
    with Store(Path(context.cfg["store.path"]), must_exist=True) as store:
        context.prepare(store)  # closes what is due
        if month is None:
            return
        month = _month(month)
        if month in store.closed_months():
            click.echo(f"{month} is closed.")
            return
        if month not in store.detail_months():
            raise NoDataError(month, store, None)
        close_month(context, store, month, why="asked")


EXIT_AUDIT_FAILED = 3


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the audit as JSON.")
@click.pass_context
@_fail_cleanly
def audit(ctx: click.Context, as_json: bool) -> None:
    """What the store holds right now (tables, columns, rows per month, months open and
    closed, key ring) and the checks that no column holds a raw identity. Read-only.

    Exit code 3 when a check fails.

    \b
    Example (for staff representatives or the DPO):
      shadowai audit --json > audit-2026-11.json
    """
    from shadowai import audit as audit_mod

    context = _Context(_cfg(ctx))
    with Store(Path(context.cfg["store.path"]), read_only=True) as store:
        result = audit_mod.run(store, context.ring, context.directory, context.catalog)
    click.echo(json.dumps(result, indent=2, ensure_ascii=False) if as_json
               else audit_mod.render_text(result))
    if not result["ok"]:
        sys.exit(EXIT_AUDIT_FAILED)


@cli.command()
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Folder (default: [report] out/transparency).")
@click.option("--lang", type=click.Choice(["fr", "en", "both"]), default="both",
              help="Language of the documents (default: both).")
@click.pass_context
@_fail_cleanly
def transparency(ctx: click.Context, out: Path | None, lang: str) -> None:
    """Write the information notice for agents (GDPR art. 13), the record of processing
    (art. 30) and a DPIA summary (CNIL PIA structure), from the settings and the store.

    \b
    Example:
      shadowai transparency --out /srv/intranet/shadowai-rgpd
    """
    from shadowai import audit as audit_mod
    from shadowai import transparency as transparency_mod

    context = _Context(_cfg(ctx))
    out = _check_out(out or Path(context.cfg["report.out"]) / "transparency")
    for name in transparency_mod.missing(context.cfg):
        section, key = name.split(".")
        click.echo(f"Warning: [{section}] {key} is not set: the documents say \"à compléter "
                   "/ to be completed\" where it belongs.", err=True)
    with Store(Path(context.cfg["store.path"])) as store:
        result = audit_mod.run(store, context.ring, context.directory, context.catalog)
        facts = transparency_mod.facts(context.cfg, store, result)
    langs = ("fr", "en") if lang == "both" else (lang,)
    written = transparency_mod.write(facts, out, langs)
    click.echo(f"Wrote {len(written) - 1} document(s) in {out} ({', '.join(langs)}), with "
               "facts.json." + ("" if result["ok"] else " Warning: the audit failed; run "
                                "'shadowai audit'."))


@cli.command()
@click.option("--from", "start", default=None, help="First month YYYY-MM (default: first).")
@click.option("--to", "end", default=None, help="Last month YYYY-MM (default: last).")
@_lang
@_out
@click.pass_context
@_fail_cleanly
def trend(ctx: click.Context, start: str | None, end: str | None, lang: str | None,
          out: Path | None) -> None:
    """Write the multi-month trend report: reports/trend/ (index.html, trend.json, CSV).

    Months still in the store are recomputed; purged months come from their stored
    summaries. Catalog or data-coverage changes are flagged per month.

    \b
    Example:
      shadowai trend --from 2026-01 --to 2026-12 --lang en
    """
    start = _month(start) if start else "0000-00"
    end = _month(end) if end else "9999-99"
    if start > end:
        raise ConfigError(f"--from {start} is after --to {end}: nothing to show, the trend "
                          "report was left as it was.")
    context = _Context(_cfg(ctx))
    lang = lang or context.cfg["report.lang"]
    out = _check_out(out or Path(context.cfg["report.out"]))
    with Store(Path(context.cfg["store.path"]), must_exist=True) as store:
        context.prepare(store)
        _refresh_summaries(context, store, [m for m in store.detail_months()
                                            if start <= m <= end])
        summaries = [s for s in store.summaries() if start <= s["month"] <= end]
    if not summaries:
        raise ConfigError(f"{store.path}: no month between {start.replace('0000-00', 'the first')} "
                          f"and {end.replace('9999-99', 'the last')}; the trend report was "
                          "left as it was.")
    model = trend_mod.build(summaries, context.cfg["privacy.k"], lang,
                            context.cfg["report.organisation"])
    index = report.write_trend(model, out, context.cfg["report.csv_dialect"])
    click.echo(f"Trend: {len(model['months'])} month(s)"
               + (f", {model['from']} to {model['to']}" if model["months"] else "")
               + f". Report: {index}")


@cli.command()
@click.option("--before", required=True, help="Remove detailed data of months before "
              "this one (YYYY-MM); monthly summaries are kept.")
@click.option("--dry-run", is_flag=True, help="Say what would be removed, remove nothing.")
@click.pass_context
@_fail_cleanly
def purge(ctx: click.Context, before: str, dry_run: bool) -> None:
    """Retention: delete detailed rows of months before --before.

    Each month's k-anonymous summary is computed first and kept, so trends survive.

    \b
    Example (keep 13 months):
      shadowai purge --before "$(date -d '13 months ago' +%Y-%m)"
    """
    before = _month(before)
    context = _Context(_cfg(ctx))
    with Store(Path(context.cfg["store.path"]), must_exist=True) as store:
        detail = [m for m in store.detail_months() if m < before]
        # closed months keep no person row, but their files' labels and line counts
        months = [m for m in store.registered_months() if m < before]
        start = metrics.month_bounds(before)[0]
        if dry_run:
            counts = store.purge_counts(start)
        else:
            _refresh_summaries(context, store, detail)
            counts = store.purge_before(start, months)
    closed = sorted(set(months) - set(detail))
    what = (f"{len(months)} month(s) ({', '.join(months) or 'none'}"
            + (f"; closed already: {', '.join(closed)}" if closed else "") + ")")
    figures = (f"{counts['ai_daily']:,} AI rows, {counts['traffic_daily']:,} activity rows, "
               f"{counts['files']} file(s) from the registry")
    if dry_run:
        click.echo(f"Would remove the detailed data of {what}: {figures}; their summaries "
                   "would be kept.")
    else:
        click.echo(f"Removed the detailed data of {what}: {figures}. Monthly summaries kept "
                   "for trends.")


@cli.command()
@click.pass_context
@_fail_cleanly
def status(ctx: click.Context) -> None:
    """Show the months in the store with their files, lines and AI requests.

    \b
    Example:
      shadowai status
    """
    cfg = _cfg(ctx)
    path = Path(cfg["store.path"])
    # never creates a store (a mistyped path is said, not answered "0 files"); a store the
    # user may only read (a DPO's copy) is read as it is
    with Store(path, must_exist=True,
               read_only=path.exists() and not os.access(path, os.W_OK)) as store:
        months = store.frame("months")
        files = store.rows("SELECT count(*), coalesce(sum(lines), 0), "
                           "coalesce(sum(rejected), 0) FROM files")[0]
        purged = store.purged_months()
        summaries = {s["month"]: s for s in store.summaries()}
        kept = list(summaries)
        closed = store.closed_months()
    click.echo(f"Store {cfg['store.path']}: {files[0]} file(s), {files[1]:,} lines, "
               f"{files[2]:,} rejected. Each line counts in the month it belongs to:")
    for month, nfiles, lines, rejected, ai, late in months.iter_rows():
        label = month or "no dated line"
        if month in closed:  # its detail is gone: its figures are those of its summary
            kept = summaries.get(month) or {}
            apart = kept.get("addresses") or {}  # counted apart in the report, in ai_daily
            ai = (kept.get("totals", {}).get("ai_requests", 0)
                  + (apart.get("ai_requests") or 0 if apart.get("counted_apart") else 0))
            label += f" (closed {closed[month]:%Y-%m-%d})"
        not_ingested = (f" ({late:,} of them arrived after the month closed: not ingested)"
                        if late else "")
        click.echo(f"  {label}: {nfiles} file(s), {lines:,} lines{not_ingested}, "
                   f"{rejected:,} rejected, {ai:,} AI requests")
    for month in sorted(set(kept) & set(purged)):
        click.echo(f"  {month}: purged, summary kept")


@cli.command("formats")
@click.pass_context
@_fail_cleanly
def formats_cmd(ctx: click.Context) -> None:
    """List the log formats shadowai reads (with those mapped in the configuration), with
    their counting unit.

    \b
    Example:
      shadowai formats
    """
    _cfg(ctx)
    for fmt in sorted(formats.REGISTRY.values(), key=lambda f: f.name):
        click.echo(f"{fmt.name:18} {fmt.unit:20} {fmt.description}")


@cli.group()
def domains() -> None:
    """Inspect the gen-AI catalog (domains/)."""


@domains.command("check")
@click.argument("hosts", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of objects.")
@click.pass_context
@_fail_cleanly
def domains_check(ctx: click.Context, hosts: tuple[str, ...], as_json: bool) -> None:
    """Show which service each HOST matches, and why.

    \b
    Example:
      shadowai domains check copilot.microsoft.com www.microsoft.com
    """
    cat = _catalog(_cfg(ctx))
    out = []
    for raw in hosts:
        host = normalise_host(raw) or raw
        m = cat.match(host)
        s = m.service
        out.append({"host": host, "service_id": s.id if s else None,
                    "name": s.name if s else None, "vendor": s.vendor if s else None,
                    "category": s.category if s else None,
                    "jurisdiction": s.jurisdiction if s else None,
                    "sanctioned": s.sanctioned if s else None,
                    "matched_domain": m.domain, "reason": m.reason})
    if as_json:
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    for o in out:
        if o["service_id"]:
            click.echo(f"{o['host']}: {o['service_id']} ({o['name']}, {o['vendor']}, "
                       f"{o['category']}, {o['jurisdiction']}) - {o['reason']}")
        else:
            click.echo(f"{o['host']}: not AI - {o['reason']}")


@domains.command("list")
@click.option("--category", type=click.Choice(catalog_mod.CATEGORIES), default=None,
              help="Only this category.")
@click.option("--jurisdiction", type=click.Choice(catalog_mod.JURISDICTIONS,
                                                  case_sensitive=False),
              default=None, help="Only this vendor jurisdiction.")
@click.pass_context
@_fail_cleanly
def domains_list(ctx: click.Context, category: str | None, jurisdiction: str | None) -> None:
    """List catalogued services with their domains.

    \b
    Example:
      shadowai domains list --jurisdiction FR
    """
    cat = _catalog(_cfg(ctx))
    by_service: dict[str, list[str]] = {}
    for domain, sid in sorted(cat.domains.items()):
        by_service.setdefault(sid, []).append(domain)
    for s in sorted(cat.services.values(), key=lambda s: s.id):
        if (category and s.category != category) or (
                jurisdiction and s.jurisdiction != jurisdiction.upper()):
            continue
        mark = " [sanctioned]" if s.sanctioned else ""
        click.echo(f"{s.id:32} {s.category:22} {s.jurisdiction:5} "
                   f"{', '.join(by_service.get(s.id, []))}{mark}")


@domains.command("validate")
@click.option("--dir", "directory", type=click.Path(path_type=Path, file_okay=False),
              default=None, help="Catalog folder to check (default: the shipped one).")
@_fail_cleanly
def domains_validate(directory: Path | None) -> None:
    """Check the catalog: layout, sorting, names, public suffixes, over-broad domains.

    Needs the publicsuffixlist package (pip install -e '.[test]').

    \b
    Example:
      shadowai domains validate --dir domains/
    """
    problems = catalog_mod.validate(directory)
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise ShadowaiError(f"{len(problems)} problem(s) in the catalog.")
    cat = catalog_mod.load(directory)
    click.echo(f"Catalog {cat.version}: {len(cat.services)} services, "
               f"{len(cat.domains)} domains, no problem.")


@domains.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@click.pass_context
@_fail_cleanly
def domains_stats(ctx: click.Context, as_json: bool) -> None:
    """Count catalogued services by category and vendor jurisdiction.

    \b
    Example:
      shadowai domains stats
    """
    st = catalog_mod.stats(_catalog(_cfg(ctx)))
    if as_json:
        click.echo(json.dumps(st, indent=2, ensure_ascii=False))
        return
    click.echo(f"Catalog {st['version']}: {st['services']} services ({st['active']} active, "
               f"{st['retired']} retired, {st['sanctioned']} sanctioned), {st['vendors']} "
               f"vendors, {st['domains']} domains.")
    jurs = list(st["by_jurisdiction"])
    click.echo(f"{'category':24}" + "".join(f"{j:>7}" for j in jurs) + f"{'total':>7}")
    for cat, row in st["by_category_jurisdiction"].items():
        click.echo(f"{cat:24}" + "".join(f"{row.get(j, 0):>7}" for j in jurs)
                   + f"{st['by_category'][cat]:>7}")
    click.echo(f"{'total':24}" + "".join(f"{st['by_jurisdiction'][j]:>7}" for j in jurs)
               + f"{st['services']:>7}")
    rc = st["risk"]
    click.echo(f"Risk profiles: {rc['profiled']} of {rc['services']} services "
               f"({rc['profiled_share']:.1%}); {rc['with_rows']} with a row "
               f"({rc['from_vendor']} from a vendor-wide row), {rc['with_known_value']} with "
               "a known value.")
    for factor, row in rc["by_factor"].items():
        values = ", ".join(f"{v} {n}" for v, n in row["values"].items())
        click.echo(f"  {factor:28} {row['known']:>4} known of {row['profiled']:>4} "
                   f"({row['known_share']:.1%} of all services)  {values}")
    click.echo(f"Released {st['released']} ({st['origin']}"
               + (f", release {st['release']})" if st["release"] else ")"))


@domains.command("import")
@click.argument("bundle", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.pass_context
@_fail_cleanly
def domains_import(ctx: click.Context, bundle: Path) -> None:
    """Install a catalog release (zip with manifest and checksums) for this organisation.

    The release goes to [catalog] dir (default: catalog/ next to the store), never into
    the installed package; it is verified and validated first.

    \b
    Example:
      shadowai domains import shadowai-catalog-2027.01.zip
    """
    from shadowai import release

    cfg = _cfg(ctx)
    base = cfg.source.parent if cfg.source else Path.cwd()
    folder = catalog_mod.catalog_dir(cfg.tables.get("catalog"), base, Path(cfg["store.path"]))
    done = release.install(bundle, folder)
    before = f" (was {done['previous']})" if done["previous"] else " (was the shipped catalog)"
    click.echo(f"Installed catalog release {done['version']} of {done['released']}{before}: "
               f"{done['services']} services, {done['domains']} domains, in {done['directory']}.")


@domains.command("bundle")
@click.argument("out", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--version", "version", required=True, help="Release version, e.g. 2027.01.")
@click.option("--dir", "directory", type=click.Path(path_type=Path, file_okay=False),
              default=None, help="Catalog folder (default: the shipped one).")
@_fail_cleanly
def domains_bundle(out: Path, version: str, directory: Path | None) -> None:
    """Write a catalog release (zip + manifest with SHA-256 checksums) for `domains import`.

    \b
    Example:
      shadowai domains bundle --version 2027.01 shadowai-catalog-2027.01.zip
    """
    from shadowai import release

    source = directory or catalog_mod.default_dir()
    problems = [p for p in catalog_mod.validate(source) if "publicsuffixlist package" not in p]
    if problems:
        raise ShadowaiError(f"{len(problems)} problem(s) in {source}; run `shadowai domains "
                            "validate` first.")
    release.make_bundle(source, out, version)
    click.echo(f"Wrote {out} (catalog release {version}).")


@domains.command("diff")
@click.argument("old", type=click.Path(path_type=Path, exists=True))
@click.argument("new", type=click.Path(path_type=Path, exists=True))
@click.option("--json", "as_json", is_flag=True, help="Print the differences as JSON.")
@_fail_cleanly
def domains_diff(old: Path, new: Path, as_json: bool) -> None:
    """Rows added, removed and changed between two catalogs (release files or folders).

    \b
    Example:
      shadowai domains diff shadowai-catalog-2026.12.zip shadowai-catalog-2027.01.zip
    """
    from shadowai import release

    changes = release.diff(old, new)
    if as_json:
        click.echo(json.dumps(changes, indent=2, ensure_ascii=False))
        return
    for name, c in changes.items():
        click.echo(f"{name}: {len(c['added'])} added, {len(c['removed'])} removed, "
                   f"{len(c['changed'])} changed")
        for row in c["added"]:
            click.echo("  + " + ",".join(row.values()))
        for row in c["removed"]:
            click.echo("  - " + ",".join(row.values()))
        for ch in c["changed"]:
            fields = "; ".join(f"{k}: {a!r} -> {b!r}" for k, (a, b) in ch["fields"].items())
            click.echo(f"  ~ {','.join(ch['key'])}: {fields}")


@cli.command()
@_month_opt
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@click.pass_context
@_fail_cleanly
def candidates(ctx: click.Context, month: str | None, as_json: bool) -> None:
    """Hosts seen in the logs that look like AI services but are not in the catalog.

    Request counts only, nobody attached: material for catalog upkeep.

    \b
    Example:
      shadowai candidates --month 2026-10
    """
    month = _month(month)
    cfg = _cfg(ctx)
    with Store(Path(cfg["store.path"]), read_only=True) as store:
        rows = store.frame("month_candidates", month=month).rows()
        if not rows and month not in {*store.registered_months(), *store.closed_months(),
                                      *store.purged_months()}:
            raise NoDataError(month, store, None)  # not "nothing AI-looking": no data
    if as_json:
        click.echo(json.dumps([{"host": h, "requests": int(n)} for h, n in rows], indent=2))
        return
    if not rows:
        click.echo(f"{month}: no AI-looking host outside the catalog.")
    for host, requests in rows:
        click.echo(f"{requests:>10,}  {host}")


def main() -> None:
    for signum in STOP_SIGNALS:
        signal.signal(signum, _stop)
    try:
        cli(prog_name="shadowai")
    except ConfigError as exc:  # raised while click resolves defaults
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:  # stopped outside a command (while starting up)
        sys.exit(128 + (STOPPED_BY[0] if STOPPED_BY else signal.SIGINT))
    except BrokenPipeError:  # `shadowai status | head`
        os._exit(1)
    except Exception as exc:  # a bug: still one line for the user, never a traceback
        click.echo(f"Error: internal error ({type(exc).__name__}: "
                   f"{str(exc).splitlines()[0] if str(exc) else ''}). Please report it with "
                   "the command you ran; set SHADOWAI_DEBUG=1 to see the traceback.", err=True)
        if os.environ.get("SHADOWAI_DEBUG"):
            raise
        sys.exit(1)


if __name__ == "__main__":
    main()
