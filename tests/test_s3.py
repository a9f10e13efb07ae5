"""s3:// inputs against a real S3-compatible server on loopback (moto's standalone server,
started here on a random port): the demo organisation's compressed logs, uploaded as
objects, give the store their local copies give; a rerun adds nothing; an object replaced
by a grown version replaces its rows as a local file does; workers and Spark read objects
themselves; a missing bucket, missing credentials or an unreachable endpoint is one line."""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from shadowai.cli import cli
from tests.conftest import DEMO, at, native
from tests.test_scale import _config, spark, store_tables

moto_server = pytest.importorskip("moto.server", reason="moto[server] is in the test extra")
boto3 = pytest.importorskip("boto3")

BUCKET = "logs"
PREFIX = "demo/"
SECRET = "s3cr3t-that-must-never-show"
#: Credentials only for the fake server; no real AWS configuration may leak in (nor the
#: instance-metadata lookup, which would leave loopback).
FAKE_AWS = {"AWS_ACCESS_KEY_ID": "shadowai-test", "AWS_SECRET_ACCESS_KEY": "shadowai-test",
            "AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": "/nonexistent",
            "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent"}


@pytest.fixture(scope="module")
def s3() -> Iterator[dict[str, object]]:
    """A moto server on 127.0.0.1 holding the demo logs under s3://logs/demo/, and a local
    copy of them with the objects' modification times."""
    with pytest.MonkeyPatch.context() as mp:
        for name, value in FAKE_AWS.items():
            mp.setenv(name, value)
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL",
                     "AWS_ENDPOINT_URL_S3"):
            mp.delenv(name, raising=False)
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request
        server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        try:
            host, port = server.get_host_and_port()
            endpoint = f"http://{host}:{port}"
            client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
            client.create_bucket(Bucket=BUCKET)
            logs = DEMO / "logs"
            for f in sorted(p for p in logs.rglob("*") if p.is_file()):
                client.upload_file(str(f), BUCKET, PREFIX + f.relative_to(logs).as_posix())
            yield {"endpoint": endpoint, "client": client}
        finally:
            server.stop()


def _local_copy(s3: dict[str, object], to: Path) -> Path:
    """The demo logs on disk, each with its object's Last-Modified as mtime (the months a
    file can hold, hence the keys it gets, follow from it)."""
    client = s3["client"]
    for obj in client.list_objects_v2(Bucket=BUCKET, Prefix=PREFIX)["Contents"]:  # type: ignore[attr-defined]
        target = to / obj["Key"][len(PREFIX):]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(DEMO / "logs" / obj["Key"][len(PREFIX):], target)
        stamp = obj["LastModified"].timestamp()
        os.utime(target, (stamp, stamp))
    return to


def _work(tmp: Path, endpoint: str, extra: str = "") -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    config = _config(tmp)
    with config.open("a", encoding="utf-8") as fh:
        fh.write(f'[s3]\nendpoint = "{endpoint}"\ntimeout = 2\n{extra}')
    return config


def _ingest(config: Path, *args: str) -> list[dict[str, object]]:
    result = CliRunner().invoke(cli, ["--config", str(config), "ingest", "--json", *args],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def _normalised(db: Path, *roots: str) -> dict[str, list[str]]:
    """Store tables with the inputs' location cut off (``ROOT/``); signatures, which say
    where a file was seen, are left out."""
    out = {}
    for table, rows in store_tables(db).items():
        if table == "file_signatures":
            continue
        text = [repr(r) for r in rows]
        for root in roots:
            text = [t.replace(root, "ROOT/") for t in text]
        out[table] = sorted(text)
    return out


@pytest.fixture(scope="module")
def from_s3(s3: dict[str, object], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo logs ingested from s3://logs/demo/ in one process."""
    config = _work(tmp_path_factory.mktemp("from-s3"), str(s3["endpoint"]))
    results = _ingest(config, "--workers", "1", f"s3://{BUCKET}/{PREFIX}")
    assert [r["status"] for r in results] == ["ingested"] * 6
    assert {Path(str(r["path"])).suffix for r in results} >= {".gz", ".bz2", ".xz", ".zst"}
    return config.parent / "store.duckdb"


def test_objects_give_the_store_their_local_copies_give_and_a_rerun_adds_nothing(
        s3: dict[str, object], from_s3: Path, tmp_path: Path) -> None:
    local = _local_copy(s3, tmp_path / "copy")
    config = _work(tmp_path / "local", str(s3["endpoint"]))
    _ingest(config, "--workers", "1", f"file://{local}")  # file:// is a local path
    on_disk = _normalised(config.parent / "store.duckdb", f"{local}/")
    in_bucket = _normalised(from_s3, f"s3://{BUCKET}/{PREFIX}")
    assert in_bucket["ai_daily"] and len(in_bucket["files"]) == 6
    assert in_bucket == on_disk

    before = store_tables(from_s3)
    again = _ingest(from_s3.parent / "shadowai.toml", "--workers", "1",
                    f"s3://{BUCKET}/{PREFIX}")
    assert [r["status"] for r in again] == ["unchanged"] * 6
    assert store_tables(from_s3) == before


def test_workers_read_objects_with_the_configured_keys_and_show_them_nowhere(
        s3: dict[str, object], from_s3: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """--workers 2 with credentials from [s3] only (none in the environment): the keys
    reach the workers with the run context; no output, store or report shows them."""
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    config = _work(tmp_path, str(s3["endpoint"]),
                   f'access_key_id = "shadowai-test"\nsecret_access_key = "{SECRET}"\n')
    result = CliRunner().invoke(cli, ["--config", str(config), "run", "--month", "2026-10",
                                      "--workers", "2", f"s3://{BUCKET}/{PREFIX}"],
                                catch_exceptions=False)
    assert result.exit_code in (0, 2), result.output
    pooled, embedded = store_tables(tmp_path / "store.duckdb"), store_tables(from_s3)
    for table in ("month_summaries", "month_headcounts"):  # run wrote the report: ingest not
        assert pooled.pop(table) and not embedded.pop(table), table
    assert pooled == embedded
    assert SECRET not in result.output
    assert SECRET.encode() not in (tmp_path / "store.duckdb").read_bytes()
    for written in (tmp_path / "reports").rglob("*"):
        if written.is_file():
            assert SECRET.encode() not in written.read_bytes(), written


def test_an_object_replaced_by_a_grown_version_replaces_its_rows_as_a_local_file_does(
        s3: dict[str, object], tmp_path: Path) -> None:
    lines = [native(at(day, 9 + i % 8), f"10.1.0.{i % 7}", "TCP_TUNNEL/200", 900, "CONNECT",
                    "chatgpt.com:443", f"agent{i % 9}") for i, day in
             enumerate(d for d in range(3, 20) for _ in range(4))]
    first, grown = "\n".join(lines[:30]) + "\n", "\n".join(lines) + "\n"
    client = s3["client"]
    key = "grow/access.log"
    local_file = tmp_path / "disk" / "access.log"
    local_file.parent.mkdir()
    stores = {}
    for where in ("s3", "disk"):
        config = _work(tmp_path / where, str(s3["endpoint"]))
        target = f"s3://{BUCKET}/{key}" if where == "s3" else str(local_file)
        for n, text in enumerate((first, grown)):
            if where == "s3":
                client.put_object(Bucket=BUCKET, Key=key, Body=text.encode())  # type: ignore[attr-defined]
                stamp = client.head_object(Bucket=BUCKET, Key=key)["LastModified"].timestamp()  # type: ignore[attr-defined]
            else:
                local_file.write_text(text)
                os.utime(local_file, (stamp, stamp))  # the object's time: same month keys
            result = _ingest(config, "--workers", "1", target)
            assert result[0]["status"] == "ingested"
            assert result[0]["replaced"] == n  # the grown version replaces the first
        stores[where] = _normalised(config.parent / "store.duckdb", f"s3://{BUCKET}/grow/",
                                    f"{local_file.parent}/")
    con = duckdb.connect(str(tmp_path / "s3" / "store.duckdb"), read_only=True)
    assert con.execute("SELECT lines FROM files").fetchall() == [(len(lines),)]
    con.close()
    assert stores["s3"] == stores["disk"]


def test_a_prefix_is_walked_like_a_folder_and_a_key_names_one_object(
        s3: dict[str, object], tmp_path: Path) -> None:
    """Hidden names, empty objects, Squid's own logs and [ingest] exclude are skipped under
    a prefix as in a folder; a key names one object; a key that is not there fails."""
    client = s3["client"]
    line = native(at(6), "10.1.0.10", "TCP_TUNNEL/200", 1, "CONNECT", "claude.ai:443", "bob")
    for key, body in [("walk/a/access.log", line), ("walk/.snapshots/access.log", line),
                      ("walk/a/cache.log", line), ("walk/empty.log", ""),
                      ("walk/a/access.log.old", line)]:
        client.put_object(Bucket=BUCKET, Key=key, Body=body.encode())  # type: ignore[attr-defined]
    config = _work(tmp_path, str(s3["endpoint"]), '[ingest]\nexclude = ["*.old"]\n')
    result = CliRunner().invoke(cli, ["--config", str(config), "ingest", "--json",
                                      f"s3://{BUCKET}/walk/", f"s3://{BUCKET}/walk/a/access.log",
                                      f"s3://{BUCKET}/walk/a/nothing.log"])
    assert result.exit_code == 2, result.output
    seen = {(r["path"], r["status"], r["message"]) for r in json.loads(result.stdout)}
    assert seen == {
        (f"s3://{BUCKET}/walk/a/access.log", "ingested", ""),
        (f"s3://{BUCKET}/walk/a/access.log.old", "skipped", "excluded by [ingest] exclude"),
        (f"s3://{BUCKET}/walk/a/cache.log", "skipped",
         "not a log (Squid cache or store log, state file)"),
        (f"s3://{BUCKET}/walk/empty.log", "skipped", "empty file"),
        (f"s3://{BUCKET}/walk/a/nothing.log", "failed",
         f"s3://{BUCKET}/walk/a/nothing.log: no object under this prefix."),
    }  # the named object is the listed one: read once; .snapshots/ is hidden


def test_a_missing_bucket_fails_its_input_in_one_line(s3: dict[str, object],
                                                      tmp_path: Path) -> None:
    config = _work(tmp_path, str(s3["endpoint"]))
    result = CliRunner().invoke(cli, ["--config", str(config), "ingest", "s3://no-such/x/"],
                                catch_exceptions=False)
    assert result.exit_code == 2
    assert "s3://no-such/x/: no such bucket 'no-such'" in result.stderr
    assert "Traceback" not in result.output


def test_no_credentials_is_a_configuration_error_before_anything_is_read(
        s3: dict[str, object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    config = _work(tmp_path, str(s3["endpoint"]).replace("127.0.0.1", "localhost"))
    result = CliRunner().invoke(cli, ["--config", str(config), "ingest", "s3://logs/demo/"],
                                catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no S3 credentials found")
    assert result.stderr.count("\n") == 1
    assert not (tmp_path / "store.duckdb").exists()


def test_an_unreachable_endpoint_is_one_line(s3: dict[str, object], tmp_path: Path) -> None:
    """A port nothing listens on: one line, exit 1, nothing else tried."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    listener.close()
    config = _work(tmp_path, f"http://127.0.0.1:{port}")
    result = CliRunner().invoke(cli, ["--config", str(config), "ingest", "s3://logs/demo/",
                                      "s3://logs/other/"], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stderr == (f"Error: s3://logs/demo/: cannot reach the S3 endpoint "
                             f"http://127.0.0.1:{port} (Could not connect to server). Check "
                             "[s3] endpoint (or AWS_ENDPOINT_URL) and the network.\n")


def test_a_silent_endpoint_times_out_instead_of_hanging(s3: dict[str, object],
                                                        tmp_path: Path) -> None:
    """A server that accepts connections and never answers: [s3] timeout (1 s here) bounds
    each of the 3 attempts; the run ends with one line (in a subprocess, so that a hang
    would fail the test instead of stopping the suite)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        port = listener.getsockname()[1]
        config = _work(tmp_path, f"http://127.0.0.1:{port}").with_suffix(".toml")
        config.write_text(config.read_text().replace("timeout = 2", "timeout = 1"))
        proc = subprocess.run(
            [sys.executable, "-m", "shadowai.cli", "--config", str(config), "ingest",
             "s3://logs/demo/"], capture_output=True, text=True, timeout=120, cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.startswith(f"Error: s3://logs/demo/: cannot reach the S3 endpoint "
                                  f"http://127.0.0.1:{port}")
    assert proc.stderr.count("\n") == 1, proc.stderr


@pytest.mark.spark
@spark
def test_spark_executors_read_objects_themselves(s3: dict[str, object], from_s3: Path,
                                                 tmp_path: Path) -> None:
    config = _work(tmp_path, str(s3["endpoint"]))
    _ingest(config, "--engine", "spark", "--spark-master", "local[2,2]",
            f"s3://{BUCKET}/{PREFIX}")
    assert store_tables(tmp_path / "store.duckdb") == store_tables(from_s3)
