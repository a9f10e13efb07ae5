"""Fuzzing every registered format (issue 9): real sample lines, mutated the way corrupt
logs are (byte flips, cuts, lost fields, huge numbers, odd Unicode, NUL, long runs of
spaces, glued records), must come out parsed or rejected, one row per line, never as an
exception, in bounded time.

The CI profile is small and derandomised (a few seconds, the same examples every run).
``scripts/fuzz.py`` runs the same properties with the "deep" profile before a release.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shadowai import formats
from shadowai.errors import InputError
from shadowai.ingest import EARLIEST, FUTURE_SLACK, lines_frame, plausible
from shadowai.schema import LINE_COLUMN, REJECT_COLUMN
from tests.conftest import REPO

settings.register_profile("ci", max_examples=4, derandomize=True, deadline=None,
                          database=None, suppress_health_check=list(HealthCheck))
settings.register_profile("deep", deadline=None, suppress_health_check=list(HealthCheck),
                          max_examples=int(os.environ.get("SHADOWAI_FUZZ_EXAMPLES", 3000)))
settings.load_profile(os.environ.get("SHADOWAI_FUZZ_PROFILE", "ci"))

SAMPLES = REPO / "sample_logs" / "formats"
REAL = REPO.parent / "shared" / "realdata"
#: Seconds one parse of a handful of lines may take (measured worst: well under 0.5 s).
MAX_SECONDS = 3.0
#: Where the deep run writes the slowest example seen (for the release note).
WORST = os.environ.get("SHADOWAI_FUZZ_WORST")


def seed_lines(name: str) -> tuple[list[str], list[str]]:
    """(header lines, record lines) of the format's samples (real logs too, when present)."""
    files = sorted(SAMPLES.glob(f"{name}.log")) + sorted(SAMPLES.glob(f"{name}--*.log"))
    real = REAL / name.replace("-", "_")
    if real.is_dir():
        files += sorted(p for p in real.rglob("*") if p.is_file() and p.suffix in (".log", ""))
    header: list[str] = []
    records: list[str] = []
    for path in files[:4]:
        with open(path, encoding="utf-8", errors="replace") as fh:
            for raw in list(fh)[:60]:
                line = raw.rstrip("\n")
                (header if line.startswith("#") else records).append(line)
    return header[:20], records or ["x"]


SEEDS = {name: seed_lines(name) for name in sorted(formats.REGISTRY)}

ODD = st.text(st.characters(codec="utf-8", categories=("Cc", "Cf", "Zs", "Zl", "So", "Lo",
                                                       "Mn", "Nd")), min_size=1, max_size=8)
HUGE = st.sampled_from(["99999999999999999999999999", "-9223372036854775809", "1e400",
                        "NaN", "17908060871790806088.043", "0x7fffffffffffffff", "5138"])


@st.composite
def mutated(draw: st.DrawFn, line: str) -> str:
    """One corrupt version of ``line``: one to three mutations, each at a drawn place."""
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(line)))
        kind = draw(st.sampled_from(["flip", "cut", "drop-field", "huge", "odd", "nul",
                                     "spaces", "glue", "quote", "repeat"]))
        if kind == "flip" and line:
            i = min(at, len(line) - 1)
            line = line[:i] + chr(ord(line[i]) ^ (1 << draw(st.integers(0, 6)))) + line[i + 1:]
        elif kind == "cut":
            line = line[:at]
        elif kind == "drop-field":
            sep = draw(st.sampled_from([" ", ",", "\t", "|", ";", '"']))
            parts = line.split(sep)
            if len(parts) > 1:
                del parts[draw(st.integers(0, len(parts) - 1))]
            line = sep.join(parts)
        elif kind == "huge":
            line = line[:at] + draw(HUGE) + line[at:]
        elif kind == "odd":
            line = line[:at] + draw(ODD) + line[at:]
        elif kind == "nul":
            line = line[:at] + "\x00" * draw(st.integers(1, 64)) + line[at:]
        elif kind == "spaces":
            line = line[:at] + " " * draw(st.sampled_from([1, 100, 2_000, 20_000])) + line[at:]
        elif kind == "glue":
            line = line[:at] + line
        elif kind == "quote":
            line = line[:at] + draw(st.sampled_from(['"', "'", "{", "[", "\\", "|", "="])) \
                + line[at:]
        elif kind == "repeat":
            line = line[:at] * draw(st.integers(2, 50)) + line[at:]
    return line


def parse_lines(fmt: formats.Format, header: list[str], lines: list[str]) -> pl.DataFrame:
    """The lines through the format and ingest's central check, as ingest reads a block."""
    block = "".join(x.replace("\n", " ") + "\n" for x in header + lines).encode("utf-8",
                                                                               "replace")
    start_file = getattr(fmt, "start_file", None)
    if start_file:
        start_file()
    frame = lines_frame(block, 1, len(header) + len(lines))
    events = fmt.parse(frame.lazy(), "Europe/Paris").collect()
    latest = dt.datetime.now(dt.UTC) + FUTURE_SLACK
    return plausible(events, pl.Series(LINE_COLUMN, [], dtype=pl.Int64), latest)


def record_worst(name: str, seconds: float, lines: list[str]) -> None:
    if WORST:
        with open(WORST, "a", encoding="utf-8") as fh:
            fh.write(f"{seconds:.4f}\t{name}\t{max(len(x) for x in lines)}\n")


@pytest.mark.parametrize("name", sorted(formats.REGISTRY))
def test_mutated_lines_are_parsed_or_rejected(name: str) -> None:
    fmt = formats.REGISTRY[name]
    header, records = SEEDS[name]

    @given(st.lists(st.sampled_from(records).flatmap(mutated), min_size=1, max_size=4))
    def check(lines: list[str]) -> None:
        started = time.perf_counter()
        events = parse_lines(fmt, header, lines)
        seconds = time.perf_counter() - started
        record_worst(name, seconds, lines)
        assert seconds < MAX_SECONDS, (name, [x[:80] for x in lines])
        assert events.height == len(header) + len(lines)
        assert events[LINE_COLUMN].to_list() == list(range(1, events.height + 1))
        usable = events.filter(pl.col(REJECT_COLUMN).is_null())
        assert usable["ts"].null_count() == 0
        if usable.height:
            assert usable["ts"].min() >= EARLIEST
        started = time.perf_counter()
        with contextlib.suppress(InputError):
            formats.detect(header + lines, "fuzz")
        assert time.perf_counter() - started < MAX_SECONDS

    check()


@given(st.binary(max_size=3000))
def test_any_bytes_split_into_exact_lines(data: bytes) -> None:
    """The fast CSV split and the exact split agree on any bytes (0x1F once broke it)."""
    block = data if data.endswith(b"\n") else data + b"\n"
    expected = block.count(b"\n")
    frame = lines_frame(block, 7, expected)
    assert frame.height == expected
    assert frame[LINE_COLUMN].to_list() == list(range(7, 7 + expected))
    exact = [x.rstrip(b"\r").decode("utf-8", "replace") or None
             for x in block.split(b"\n")[:expected]]
    got = [x.rstrip("\r") if x else x for x in frame["line"].to_list()]
    assert [x or None for x in got] == exact


def test_every_format_has_seed_lines() -> None:
    """The fuzzer mutates real lines: a format without a sample would be fuzzed on 'x'."""
    assert [n for n, (_, records) in SEEDS.items() if records == ["x"]] == []


def test_profile_is_deterministic_in_ci() -> None:
    if os.environ.get("SHADOWAI_FUZZ_PROFILE"):
        pytest.skip("deep profile")
    assert settings.default.derandomize and settings.default.max_examples <= 20

