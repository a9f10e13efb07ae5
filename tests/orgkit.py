"""A small organisation written to disk for end-to-end tests: maps, config, Squid logs in
the real Europe/Paris zone (DST included), and the real CLI to run on them."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from click.testing import CliRunner, Result

from shadowai.cli import cli
from tests.conftest import DEMO, REPO, native

PARIS = ZoneInfo("Europe/Paris")
HOSTS = {
    "openai-chatgpt": "chatgpt.com",
    "anthropic-claude": "claude.ai",
    "mistral-le-chat": "chat.mistral.ai",
    "deepl-translator": "www.deepl.com",
}


def local(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A wall-clock time in Paris (the offset in force that day, CET or CEST)."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=PARIS)


def hit(when: dt.datetime, user: str, service_or_host: str, blocked: bool = False,
        client: str = "10.9.0.1") -> str:
    """One Squid native CONNECT line of ``user`` to a catalogued service (or a host)."""
    host = HOSTS.get(service_or_host, service_or_host)
    code = "TCP_DENIED/403" if blocked else "TCP_TUNNEL/200"
    return native(when, client, code, 1000, "CONNECT", f"{host}:443", user)


def ecs_hit(when: dt.datetime, user: str, service_or_host: str,
            client: str = "10.9.0.1") -> str:
    """One Elastic Common Schema line: carries any user name (an LDAP DN with spaces and
    escaped commas) without the quoting a Squid line would need."""
    host = HOSTS.get(service_or_host, service_or_host)
    stamp = when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return json.dumps({
        "@timestamp": stamp, "event": {"kind": "event", "category": ["web"],
                                       "type": ["access"], "action": "allowed"},
        "source": {"ip": client, "user": {"name": user}},
        "url": {"original": f"https://{host}/", "domain": host},
        "http": {"request": {"method": "GET"}, "response": {"status_code": 200}}},
        ensure_ascii=False)


def write_org(folder: Path, *, k: int, users: dict[str, str] | None = None,
              networks: str | None = None, headcount: dict[str, int] | None = None,
              extra: str = "") -> Path:
    """A config in ``folder`` with a user map (user -> department); returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["user,department", *(f"{u},{d}" for u, d in (users or {}).items())]
    (folder / "users.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    text = (f'[store]\npath = "store.duckdb"\n[privacy]\nkey_file = "secret.key"\nk = {k}\n'
            '[directory]\nusers = "users.csv"\n')
    if networks is not None:
        (folder / "networks.csv").write_text(networks, encoding="utf-8")
        text += 'networks = "networks.csv"\n'
    if headcount is not None:
        rows = ["department,headcount", *(f"{d},{n}" for d, n in headcount.items())]
        (folder / "headcount.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
        text += 'headcount = "headcount.csv"\n'
    text += '[report]\nout = "reports"\n' + extra
    config = folder / "shadowai.toml"
    config.write_text(text, encoding="utf-8")
    return config


def demo_config(work: Path) -> Path:
    """A config in ``work`` on the demo organisation's maps, month keys in ``work/keys``."""
    work.mkdir(parents=True, exist_ok=True)
    config = work / "shadowai.toml"
    config.write_text(
        f'[store]\npath = "store.duckdb"\n[privacy]\nkey_ring = "keys"\n'
        f'[directory]\nusers = "{DEMO / "users.csv"}"\nnetworks = "{DEMO / "networks.csv"}"\n'
        f'headcount = "{DEMO / "headcount.csv"}"\n[report]\nout = "reports"\n',
        encoding="utf-8")
    return config


def zeek_dns_answer(path: Path, when: dt.datetime, client: str, host: str,
                    answers: list[str]) -> Path:
    """A Zeek dns.log (the sample's header) with one A/AAAA answer: ``host`` resolved for
    ``client`` at ``when`` to ``answers`` (TTL 60 each)."""
    header = [x for x in (REPO / "sample_logs/formats/zeek-dns.log").read_text().splitlines()
              if x.startswith("#")]
    answer = "\t".join([f"{when.timestamp():.6f}", "CX1", client, "40000", "10.0.0.53", "53",
                        "udp", "1", "0.01", host, "1", "C_INTERNET", "1", "A", "0", "NOERROR",
                        "F", "F", "T", "T", "0", ",".join(answers),
                        ",".join("60" for _ in answers), "F"])
    return write_log(path, [*header[:-1], answer, header[-1]])


def write_log(path: Path, lines: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def shadowai(config: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--config", str(config), *args], catch_exceptions=False)


def run_month(config: Path, month: str, *paths: Path) -> dict[str, Any]:
    """`shadowai run --month` on the logs; returns the month's summary.json."""
    result = shadowai(config, "run", "--month", month, *map(str, paths))
    assert result.exit_code == 0, result.output
    return summary(config, month)


def summary(config: Path, month: str) -> dict[str, Any]:
    return json.loads((config.parent / "reports" / month / "summary.json").read_text())


def csv_rows(config: Path, month: str, name: str) -> list[dict[str, str]]:
    path = config.parent / "reports" / month / name
    # French exports are written for spreadsheets: ';' and a BOM
    with open(path, newline="", encoding="utf-8-sig") as fh:
        text = fh.read()
    delimiter = ";" if ";" in text.splitlines()[0] else ","
    return list(csv.DictReader(text.splitlines(), delimiter=delimiter))
