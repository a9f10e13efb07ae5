"""Engines that run :func:`shadowai.ingest.scan_file` over many files: a process pool on
one machine, or Apache Spark over a cluster. Each yields the files' partials in the order
of the tasks given, so the driver commits them in plan order and the store is the same
whatever the engine. The store is only ever written by the driver.

What crosses to workers: the run context (catalog, directory, time zones, episode gap,
s3:// options), sent once per worker; per file, its URI, format name, prefix lengths and
the month keys of the months it can contain; and the stored DNS answers of the stage's
months, once per stage (a Spark broadcast, fetched once per executor; in a process pool,
with the run context), from which each task takes its file's months. Never the secret
key; nothing of it goes in Spark configuration (which Spark shows in its UI and logs).
"""

from __future__ import annotations

import contextlib
import dataclasses
import multiprocessing
import os
import pickle
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from shadowai.errors import STOP_SIGNALS, ConfigError
from shadowai.ingest import FilePartial, RunContext, ScanContext, scan_file_safely

#: Files per Spark job: partials of one batch are collected together, so this bounds
#: what the driver receives at once (spark.driver.maxResultSize, 1 GiB by default).
SPARK_BATCH = 64
#: Test hook: "file name:marker path" makes a Spark worker die on that file's first
#: attempt (the marker records the attempt), to check that a lost task is retried.
CRASH_ONCE = "SHADOWAI_TEST_CRASH_ONCE"


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity, not the machine's count)."""
    counter = getattr(os, "process_cpu_count", None)  # Python 3.13+
    if counter:
        return counter() or 1
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class ProcessEngine:
    """``workers`` processes (spawned: polars can deadlock in a child after a plain fork),
    each with ``cores // workers`` polars threads. Memory per task is one file's blocks."""

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)
        self.threads = max(1, available_cores() // self.workers)

    def scan(self, tasks: Iterable[tuple[str, ScanContext]]) -> Iterator[FilePartial]:
        tasks = list(tasks)
        if len(tasks) < 2:  # nothing to share: no process to start
            yield from (scan_file_safely(uri, context) for uri, context in tasks)
            return
        # Workers read POLARS_MAX_THREADS when they import polars, at start: they inherit
        # it from this process's environment, set for as long as they are being started.
        # The run context (catalog, directory) goes once to each worker, not with every
        # file: a worker keeps one catalog, and with it its cache of classified hosts.
        run = tasks[0][1].run
        answers, tasks = shared_answers(tasks)
        with _environ(POLARS_MAX_THREADS=str(self.threads)), ProcessPoolExecutor(
                max_workers=min(self.workers, len(tasks)),
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_set_run, initargs=(run, answers, os.getpid())) as pool:
            uris = [uri for uri, _ in tasks]
            contexts = [dataclasses.replace(context, run=None) for _, context in tasks]
            # map submits every task at once, and the pool starts its workers then: a stop
            # signal waits until they are started (a worker cut while reading its start-up
            # data from the pipe printed a traceback), then stops them all
            try:
                with _signals_held():
                    results = pool.map(_scan_in_worker, uris, contexts, chunksize=1)
                yield from results
            except BaseException:  # stopped (a signal, an error): no worker outlives it
                _terminate(pool)
                raise

    def close(self) -> None:
        pass


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Stop signals wait (blocked, then delivered) while the block runs; only the main
    thread receives them. Started workers inherit the mask: they unblock in ``_set_run``."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _terminate(pool: ProcessPoolExecutor) -> None:
    """End the pool's workers at once, before the pool's own shutdown waits for them: a
    worker still starting read a truncated pickle from the closed pipe and printed a
    traceback on the user's terminal (a SIGTERM in the first two seconds of a run)."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        with contextlib.suppress(OSError):
            process.terminate()


_RUN: list[Any] = []  # this worker's run context (and, under Spark, its pickle)
_ANSWERS: list[pa.Table | None] = [None]  # this pool worker's stage answers


#: How often a pool worker checks that the process that started it is still alive.
ORPHAN_CHECK_SECONDS = 1.0


def _set_run(run: RunContext, answers: pa.Table | None = None,
             parent: int | None = None) -> None:
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)  # held while it started
    _RUN[:] = [run]
    _ANSWERS[0] = answers
    if parent is not None:
        threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True,
                         name="shadowai-orphan-check").start()


def _exit_when_orphaned(parent: int) -> None:
    """End this worker once its parent is gone (killed with SIGKILL, nothing could tell the
    pool): a worker blocked writing a result nobody reads would otherwise wait forever,
    holding its memory (seen: ~175 MiB each, still there minutes later). A thread of its
    own: it runs while the main thread is blocked in that write."""
    while os.getppid() == parent:
        time.sleep(ORPHAN_CHECK_SECONDS)
    os._exit(1)


def _scan_in_worker(uri: str, context: ScanContext) -> FilePartial:
    context = with_answers(dataclasses.replace(context, run=_RUN[0]), _ANSWERS[0])
    return scan_file_safely(uri, context)


def shared_answers(tasks: list[tuple[str, ScanContext]]
                   ) -> tuple[pa.Table | None, list[tuple[str, ScanContext]]]:
    """The stage's stored DNS answers once (each month's rows taken from the first context
    that carries that month), and the tasks without them. Every context of a stage takes a
    month's answers from the same cache, so a month's rows are the same in all of them.

    Sent with each task, the answers were copied once per file: a ministry's month holds
    millions of answers to AI hosts (hundreds of MB), and a batch is 64 files."""
    months: dict[str, pa.Table] = {}
    slim = []
    for uri, context in tasks:
        table = context.dns_answers
        if table is not None:
            for month in context.month_keys:
                if month not in months:
                    rows = table.filter(pc.equal(table["month"], month))
                    if rows.num_rows:
                        months[month] = rows
            context = dataclasses.replace(context, dns_answers=None)
        slim.append((uri, context))
    return (pa.concat_tables(months.values()) if months else None), slim


def with_answers(context: ScanContext, answers: pa.Table | None) -> ScanContext:
    """The context with its months' rows of the stage's answers (None when it has none,
    as the driver would have given it)."""
    if answers is None or not context.month_keys:
        return context
    own = answers.filter(pc.is_in(answers["month"],
                                  value_set=pa.array(sorted(context.month_keys))))
    return dataclasses.replace(context, dns_answers=own if own.num_rows else None)


@contextlib.contextmanager
def _environ(**values: str) -> Iterator[None]:
    before = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in before.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


class SparkEngine:
    """One file = one Spark task: a frame of (index, task) rows, one row per partition,
    mapped with ``mapInArrow``; each task returns its file's partial, pickled, as one
    binary cell (no Arrow type of ours reaches Spark's schema: string_view, nested
    frames and time zones all stay inside the cell). Files go in batches of
    ``batch`` per job, so one collect stays under spark.driver.maxResultSize."""

    def __init__(self, master: str | None = None, remote: str | None = None,
                 batch: int = SPARK_BATCH, conf: dict[str, str] | None = None) -> None:
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            raise ConfigError("--engine spark needs PySpark: pip install "
                              "'shadowai[spark]' (and a Java runtime, e.g. Debian's "
                              "openjdk-17-jre-headless).") from None
        builder = SparkSession.builder.appName("shadowai ingest")
        if remote:
            builder = builder.remote(remote)
        elif master:
            builder = builder.master(master)
        # A file must stay one task: adaptive execution would merge small partitions.
        settings = {"spark.sql.adaptive.enabled": "false",
                    "spark.sql.execution.arrow.maxRecordsPerBatch": "1"}
        threads = os.environ.get("POLARS_MAX_THREADS") or _task_cores(master)
        settings["spark.executorEnv.POLARS_MAX_THREADS"] = threads
        if os.environ.get(CRASH_ONCE):
            settings[f"spark.executorEnv.{CRASH_ONCE}"] = os.environ[CRASH_ONCE]
        for key, value in {**settings, **(conf or {})}.items():
            builder = builder.config(key, value)
        self.spark = builder.getOrCreate()
        self.batch = max(1, batch)

    def scan(self, tasks: Iterable[tuple[str, ScanContext]]) -> Iterator[FilePartial]:
        answers, tasks = shared_answers(list(tasks))
        shared = self._broadcast(answers)
        try:
            for start in range(0, len(tasks), self.batch):
                yield from self._run(tasks[start:start + self.batch], shared)
        finally:
            if hasattr(shared, "destroy"):
                shared.destroy()

    def _broadcast(self, answers: pa.Table | None) -> Any:
        """The stage's DNS answers as a Spark broadcast: sent to each executor once for
        all the stage's jobs. Spark Connect has no broadcast: there they go in the task
        function, which Spark broadcasts with each job (once per job, not per file)."""
        if answers is None:
            return None
        try:
            context = self.spark.sparkContext
        except Exception:  # noqa: BLE001 - Spark Connect: no SparkContext on the client
            return answers
        return context.broadcast(answers)

    def _run(self, tasks: list[tuple[str, ScanContext]], answers: Any) -> list[FilePartial]:
        run = tasks[0][1].run
        rows = []
        for i, (uri, context) in enumerate(tasks):  # the run context goes in the function
            rows.append((i, pickle.dumps((uri, dataclasses.replace(context, run=None)))))
        frame = self.spark.createDataFrame(rows, "idx long, task binary")
        frame = frame.coalesce(1).repartition(len(rows))  # round robin: one row each
        scan = _spark_scanner(pickle.dumps(run), answers)
        out = frame.mapInArrow(scan, "idx long, partial binary").collect()
        found = {row["idx"]: pickle.loads(row["partial"]) for row in out}
        return [found[i] for i in range(len(tasks))]

    def close(self) -> None:
        self.spark.stop()


def _task_cores(master: str | None) -> str:
    """polars threads per Spark task: the cores of one task (spark.task.cpus is 1)."""
    return "1" if master and not master.startswith("local[") else "2"


def _spark_scanner(run_blob: bytes, answers: Any = None) -> Any:
    """The function Spark runs in each task (a closure: PySpark ships it by value).
    ``answers``: the stage's DNS answers, a broadcast or (Spark Connect) the table."""

    def scan(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        run = _run_from(run_blob)
        table = getattr(answers, "value", answers)  # a broadcast is read once per worker
        schema = pa.schema([("idx", pa.int64()), ("partial", pa.binary())])
        for batch in batches:
            for idx, blob in zip(batch.column("idx").to_pylist(),
                                 batch.column("task").to_pylist(), strict=True):
                uri, context = pickle.loads(blob)
                context = with_answers(dataclasses.replace(context, run=run), table)
                _crash_once_for_tests(uri)
                partial = scan_file_safely(uri, context)
                yield pa.record_batch([pa.array([idx], pa.int64()),
                                       pa.array([pickle.dumps(partial)], pa.binary())],
                                      schema=schema)

    return scan


def _run_from(blob: bytes) -> RunContext:
    """The run context of a Spark task: a reused Python worker keeps the one it has (and
    with it the catalog's cache of classified hosts). A module function, so that PySpark
    pickles it by reference and this module's state lives across tasks."""
    if not _RUN or _RUN[1] != blob:
        _RUN[:] = [pickle.loads(blob), blob]
    return _RUN[0]  # type: ignore[no-any-return]


def _crash_once_for_tests(uri: str) -> None:
    hook = os.environ.get(CRASH_ONCE)
    if not hook:
        return
    name, marker = hook.split(":", 1)
    if os.path.basename(uri) == name and not os.path.exists(marker):
        with open(marker, "w") as fh:
            fh.write(uri)
        os._exit(137)
