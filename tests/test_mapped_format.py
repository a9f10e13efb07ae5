"""CSV and JSON-lines formats mapped column by column in shadowai.toml."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
from click.testing import CliRunner

from shadowai.cli import cli

CSV = """date;ip;utilisateur;url;action;octets
08/10/2026 09:15:02;10.1.0.10;CD\\alice;https://chatgpt.com/c/1;autorisé;1200
08/10/2026 09:16:00;10.1.0.11;bob;"https://claude.ai/chat?q=a;b";bloqué;300

08/10/2026 25:00:00;10.1.0.11;bob;https://claude.ai/;autorisé;1
"""

JSONL = """{"event": {"time": "2026-10-08T09:15:02Z"}, "src": "10.1.0.10", "who": "alice", "dest": "chat.mistral.ai"}
{"event": {"time": "2026-10-08T09:20:00Z"}, "src": "10.1.0.12", "who": "carol", "dest": "www.example.org"}
"""  # noqa: E501

CONFIG = """
[privacy]
key_file = "k.key"
k = 2
[store]
path = "s.duckdb"
[report]
out = "r"
[formats.olfeo]
type = "csv"
delimiter = ";"
header = true
time = "date"
time_format = "%d/%m/%Y %H:%M:%S"
user = "utilisateur"
client_ip = "ip"
url = "url"
action = "action"
blocked = ["bloqué"]
bytes_down = "octets"
[formats.siem]
type = "jsonl"
unit = "proxy request"
time = "event.time"
user = "who"
client_ip = "src"
host = "dest"
"""


def test_csv_and_jsonl_mapped_formats(tmp_path: Path) -> None:
    (tmp_path / "olfeo.csv").write_text(CSV, encoding="utf-8")
    (tmp_path / "siem.jsonl").write_text(JSONL, encoding="utf-8")
    config = tmp_path / "shadowai.toml"
    config.write_text(CONFIG, encoding="utf-8")
    runner = CliRunner()
    listed = runner.invoke(cli, ["--config", str(config), "formats"])
    assert "olfeo" in listed.stdout and "siem" in listed.stdout
    result = runner.invoke(cli, ["--config", str(config), "ingest", "--json",
                                 str(tmp_path / "olfeo.csv"), str(tmp_path / "siem.jsonl")])
    files = {Path(f["path"]).name: f for f in json.loads(result.stdout)}
    olfeo, siem = files["olfeo.csv"], files["siem.jsonl"]
    assert olfeo["format"] == "olfeo" and siem["format"] == "siem"
    assert (olfeo["lines"], olfeo["parsed"], olfeo["rejected"], olfeo["not_event"]) == (5, 2, 1, 2)
    assert olfeo["rejected_by_reason"] == {"bad timestamp": 1}
    assert olfeo["ai_requests"] == 2 and siem["ai_requests"] == 1
    report = runner.invoke(cli, ["--config", str(config), "report", "--month", "2026-10"])
    assert report.exit_code == 0, report.output
    s = json.loads((tmp_path / "r" / "2026-10" / "summary.json").read_text())
    # one person per service (k = 2): their counts are hidden in the report, read the store
    assert s["totals"]["blocked_requests"] == 1
    with duckdb.connect(str(tmp_path / "s.duckdb"), read_only=True) as con:
        rows = dict(con.execute("SELECT service_id, list_value(sum(blocked), sum(bytes_down)) "
                                "FROM ai_daily GROUP BY ALL").fetchall())
    assert rows["anthropic-claude"][0] == 1  # "bloqué" maps to blocked
    assert rows["openai-chatgpt"][1] == 1200


def test_a_bad_mapping_is_one_clear_line(tmp_path: Path) -> None:
    config = tmp_path / "shadowai.toml"
    config.write_text('[formats.bad]\ntype = "csv"\nheader = true\nuser = "u"\n')
    result = CliRunner().invoke(cli, ["--config", str(config), "formats"])
    assert result.exit_code == 1
    assert "[formats.bad]: 'time' (the time column) is required" in result.stderr
