"""Opening inputs: every compression, exact line numbers across blocks, fingerprints,
clear errors for corrupt files."""

from __future__ import annotations

import bz2
import gzip
import hashlib
import lzma
from pathlib import Path

import pytest
import zstandard

from shadowai import sources
from shadowai.errors import InputError
from shadowai.sources import Source, walk

TEXT = "".join(f"line {i}\n" for i in range(1, 1001)).encode()

WRITERS = {
    "plain": lambda data: data,
    "gzip": gzip.compress,
    "bzip2": bz2.compress,
    "xz": lzma.compress,
    "zstd": lambda data: zstandard.ZstdCompressor().compress(data),
}


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_every_compression_reads_the_same_lines(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "access.log"  # no telling extension: recognised by content
    raw = WRITERS[kind](TEXT)
    path.write_bytes(raw)
    source = Source.open(path)
    assert source.compression == ("none" if kind == "plain" else kind)
    data = b"".join(block for _, _, block in source.blocks(block_bytes=997))
    assert data == TEXT
    assert source.lines == 1000
    # a file is its content: the same lines in any compression have one fingerprint
    assert source.fingerprint == hashlib.sha256(TEXT).hexdigest()
    assert source.raw_fingerprint == hashlib.sha256(raw).hexdigest()


def test_line_numbers_stay_exact_across_small_blocks(tmp_path: Path) -> None:
    path = tmp_path / "a.log"
    path.write_bytes(TEXT + b"no newline at end")
    seen = []
    for first, count, block in Source.open(path).blocks(block_bytes=100):
        lines = block.split(b"\n")[:-1]
        assert len(lines) == count
        seen += [(first + i, x) for i, x in enumerate(lines)]
    assert seen[0] == (1, b"line 1") and seen[999] == (1000, b"line 1000")
    assert seen[-1] == (1001, b"no newline at end")


@pytest.mark.parametrize("inflate", ["isal", "zlib"])
def test_corrupt_gzip_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       inflate: str) -> None:
    if inflate == "zlib":  # where python-isal has no wheel
        monkeypatch.setattr(sources, "_igzip", None)
    path = tmp_path / "broken.log.gz"
    path.write_bytes(gzip.compress(TEXT * 50)[:2000])  # truncated
    with pytest.raises(InputError, match=r"broken\.log\.gz: corrupt or truncated gzip"):
        list(Source.open(path).blocks())
    bad = bytearray(gzip.compress(TEXT))
    bad[-6] ^= 0xFF  # a wrong CRC: whole, but not what was written
    path.write_bytes(bytes(bad))
    with pytest.raises(InputError, match=r"broken\.log\.gz: corrupt or truncated gzip"):
        list(Source.open(path).blocks())


@pytest.mark.parametrize("inflate", ["isal", "zlib"])
def test_both_gzip_readers_give_the_same_lines_and_fingerprints(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, inflate: str) -> None:
    if inflate == "zlib":
        monkeypatch.setattr(sources, "_igzip", None)
    raw = gzip.compress(TEXT[:5000]) + gzip.compress(TEXT[5000:])  # two members (rotation)
    path = tmp_path / "two.log.gz"
    path.write_bytes(raw)
    source = Source.open(path)
    assert b"".join(block for _, _, block in source.blocks(block_bytes=997)) == TEXT
    assert source.fingerprint == hashlib.sha256(TEXT).hexdigest()
    assert source.raw_fingerprint == hashlib.sha256(raw).hexdigest()


def test_walk_reads_directories_recursively_skipping_hidden(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.log").write_text("x\n")
    (tmp_path / "a" / ".hidden.log").write_text("x\n")
    (tmp_path / "y.log").write_text("y\n")
    assert [f.path.name for f in walk([tmp_path])] == ["x.log", "y.log"]
    (missing,) = walk([tmp_path / "missing.log"])
    assert missing.named and missing.error == "no such file or directory"


LATIN = ("1791712800.123    245 10.1.0.10 TCP_TUNNEL/200 5321 CONNECT claude.ai:443 "
         "h\u00e9l\u00e8ne -\n")


@pytest.mark.parametrize("encoding, expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8"), ("cp1252", "cp1252"),
    ("utf-16", "utf-16"), ("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be"),
])
def test_encodings_are_transcoded_to_utf8(tmp_path: Path, encoding: str,
                                          expected: str) -> None:
    path = tmp_path / "access.log"
    path.write_bytes((LATIN * 300).replace("\n", "\r\n").encode(encoding))
    source = Source.open(path)
    assert source.encoding == expected
    data = b"".join(block for _, _, block in source.blocks(block_bytes=1001))
    assert data.decode("utf-8").replace("\r\n", "\n") == LATIN * 300
    assert source.head()[0] == LATIN.rstrip("\n")
