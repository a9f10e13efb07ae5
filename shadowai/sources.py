"""Open inputs: walk paths, recognise compression by magic bytes, and stream blocks of
whole lines while fingerprinting the file's decompressed content in the same pass.

A file is its content: the fingerprint is over the decompressed bytes, so the same lines
plain, gzipped, renamed or reached through a symlink are the same data. While streaming,
the hash is also taken at the lengths of stored files that share this file's first line,
which tells whether this file extends one of them (it grew, or was rotated then appended
to). A cheap signature (size, times, sampled raw bytes) recognises files already read
without decompressing them again."""

from __future__ import annotations

import bz2
import codecs
import contextlib
import fnmatch
import gzip
import hashlib
import lzma
import re
import stat
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty, Queue
from typing import Any, BinaryIO

import zstandard

from shadowai.errors import InputError
from shadowai.remote import ObjectPath

try:  # ISA-L's inflate: 2.5x zlib's speed on the reader thread (measured on Squid logs)
    from isal import igzip as _igzip
    from isal.isal_zlib import error as _IsalError
except ImportError:  # a platform without a wheel: the standard library's zlib
    _igzip = None

    class _IsalError(Exception):  # type: ignore[no-redef]  # never raised
        pass

#: Bytes per block (whole lines). Memory is a few blocks in flight (read ahead, parsed,
#: aggregated), each about ten times its text once split into columns. Measured on 10 M
#: Squid lines (2-core machine, 2 December 2026, alternating runs): 8 MiB peaks at
#: 540-560 MiB in 19.1-20.6 s; 6 MiB at 493-508 MiB but 17.4-23.3 s (3-10 % slower over
#: four runs each); 4 MiB at 466-479 MiB, 15-20 % slower; 32 MiB: 770 MiB. Since ingest
#: aggregates four blocks at a time (``ingest.AGGREGATE_EVERY``), whose cost goes with the
#: distinct hosts and people of a batch rather than its lines, 6 MiB is the faster size and
#: the smaller peak (3 December 2026, 10 M lines, alternating runs: 449-458 MiB against
#: 459-485 for 8 MiB aggregated block by block; see benchmarks/README.md, session 7).
BLOCK_BYTES = 6 << 20
#: The first line (at most this many bytes) keys the stored files a file may extend.
FIRST_LINE_BYTES = 4096
#: Files up to this size are signed whole; larger ones by sampled windows.
SIGN_WHOLE_BYTES = 1 << 20
SIGN_WINDOW = 4096
SIGN_WINDOWS = 16
SIGN_EDGE = 64 << 10
#: Longest line read as a log record (after transcoding to UTF-8). Real records stay far
#: below (a long URL is a few KiB); a longer "line" is a corrupt tail (NUL padding left by
#: an unclean shutdown) or not a log. Past this, a line is cut (its rest skipped, so memory
#: does not grow with it) and ingest rejects it with ``LONG_LINE``.
MAX_LINE_BYTES = 64 << 10
LONG_LINE = f"line longer than {MAX_LINE_BYTES:,} bytes"
HEAD_BYTES = 256 << 10

_MAGIC = (
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
)


#: Files found in log folders that are not access logs: Squid's own diagnostics and state.
NOT_LOGS = ("cache.log", "cache.log.*", "cache.log-*", "store.log", "store.log.*",
            "store.log-*", "netdb.state", "*.pid", "*.swp", "*.tmp")
EMPTY = "empty file"
OWN_STORE = "shadowai's own store (never read as a log)"
OWN_KEY = "a shadowai secret key (never read as a log)"
NOT_A_LOG = "not a log (Squid cache or store log, state file)"
EXCLUDED = "excluded by [ingest] exclude"
NOT_INCLUDED = "not matched by [ingest] include"
NOT_REGULAR = "not a regular file"
UNRECOGNISED = "format not recognised"


@dataclass(frozen=True)
class Found:
    """A path to read, or to skip (``skip`` says why), or that cannot be read (``error``).
    ``named``: given on the command line, not found by walking a folder."""

    path: Path  # or a shadowai.remote.ObjectPath (s3://)
    named: bool
    skip: str | None = None
    error: str | None = None


def walk(paths: list[Path], exclude: tuple[str, ...] = (), include: tuple[str, ...] = (),
         own: tuple[Path, ...] = ()) -> list[Found]:
    """The files named and every non-hidden file below folders, sorted, each once (a
    folder reached through a symlink too). What is not a log is skipped with a reason:
    shadowai's own store and key (by path and by content, whatever ``--format`` says),
    empty files, Squid's diagnostics, ``exclude`` patterns (and what ``include`` patterns,
    when given, do not match). Patterns match the file name or its full path."""
    own_resolved = {p.resolve() for p in own}
    own_resolved |= {p.with_name(p.name + ".wal") for p in own_resolved}
    found: list[Found] = []
    seen: set[Path] = set()
    for p in paths:
        if p.is_dir():
            files = sorted(f for f in p.rglob("*") if not _hidden(f, p) and not f.is_dir())
            named = False
        elif p.exists() or p.is_symlink():
            files, named = [p], True
        else:
            found.append(Found(p, True, error="no such file or directory"))
            continue
        for f in files:
            try:
                real = f.resolve(strict=True)
            except (OSError, RuntimeError):
                found.append(Found(f, named, error="cannot read (a broken symlink or a "
                                                   "symlink loop)"))
                continue
            if real in seen:
                continue
            seen.add(real)
            found.append(Found(f, named, skip=_skip_reason(f, real, named, exclude, include,
                                                           own_resolved)))
    return found


def _skip_reason(f: Path, real: Path, named: bool, exclude: tuple[str, ...],
                 include: tuple[str, ...], own: set[Path]) -> str | None:
    if real in own:
        return OWN_KEY if real.suffix != ".duckdb" and not real.name.endswith(".wal") \
            and _looks_like_key(real) else OWN_STORE
    if not real.is_file():
        return NOT_REGULAR
    if _looks_like_store(real):
        return OWN_STORE
    if _looks_like_key(real):
        return OWN_KEY
    if real.stat().st_size == 0:
        return EMPTY
    if named:
        return None
    return skip_by_name(f.name, str(f.absolute()), exclude, include)


def skip_by_name(name: str, full: str, exclude: tuple[str, ...],
                 include: tuple[str, ...]) -> str | None:
    """Why a file found in a folder (or under an s3:// prefix) is not read, by its name or
    full path alone: ``exclude`` and ``include`` patterns, Squid's own files."""
    if any(fnmatch.fnmatch(name, pat) or fnmatch.fnmatch(full, pat) for pat in exclude):
        return EXCLUDED
    if include and not any(fnmatch.fnmatch(name, pat) or fnmatch.fnmatch(full, pat)
                           for pat in include):
        return NOT_INCLUDED
    if any(fnmatch.fnmatch(name, pat) for pat in NOT_LOGS):
        return NOT_A_LOG
    return None


def _looks_like_store(path: Path) -> bool:
    """A DuckDB database file (its header says DUCK at byte 8), or its write-ahead log."""
    if path.name.endswith(".duckdb.wal"):
        return True
    try:
        with open(path, "rb") as fh:
            return fh.read(12)[8:12] == b"DUCK"
    except OSError:
        return False


_KEY = re.compile(rb"^[0-9a-fA-F]{32,256}\s*$")


def _looks_like_key(path: Path) -> bool:
    """A key file: one line of hex digits and nothing else."""
    try:
        if path.stat().st_size > 600:
            return False
        with open(path, "rb") as fh:
            return bool(_KEY.match(fh.read(600)))
    except OSError:
        return False


def signature(path: Path, compression: str) -> str:
    """What makes a file "already seen" without reading it all: size, modification time
    and sampled raw bytes (the whole file up to 1 MiB; else its head, its tail and 16
    windows between). Compressed files end with a checksum of their content, so any change
    shows in their tail. A plain file rewritten in place with its size and mtime restored
    is caught by its change time (ctime cannot be set back), which is why plain files also
    sign their inode and ctime: a renamed plain file is then read again (and found
    identical by its content fingerprint), a compressed one is not."""
    if isinstance(path, ObjectPath):  # an s3:// object: size, mtime and ETag
        return path.signature()
    st = path.stat()
    h = hashlib.sha256(f"{st.st_size}:{st.st_mtime_ns}".encode())
    if compression == "none":
        h.update(f":{st.st_dev}:{st.st_ino}:{st.st_ctime_ns}".encode())
    with _open_raw(path) as fh:
        if st.st_size <= SIGN_WHOLE_BYTES:
            h.update(fh.read())
        else:
            step = (st.st_size - 2 * SIGN_EDGE) // (SIGN_WINDOWS + 1)
            spans = [(0, SIGN_EDGE), (st.st_size - SIGN_EDGE, SIGN_EDGE)] + [
                (SIGN_EDGE + i * step, SIGN_WINDOW) for i in range(1, SIGN_WINDOWS + 1)]
            for offset, length in spans:
                fh.seek(offset)
                h.update(fh.read(length))
    return h.hexdigest()


def first_line_hash(head: bytes) -> str:
    """sha256 of the first line (with its newline), at most FIRST_LINE_BYTES."""
    cut = head.find(b"\n", 0, FIRST_LINE_BYTES)
    return hashlib.sha256(head[:cut + 1 if cut >= 0 else FIRST_LINE_BYTES]).hexdigest()
def check_readable(path: Path) -> None:
    """Raise an InputError saying why ``path`` cannot be read as a log file, if it cannot:
    only regular files are opened (a FIFO would block the run forever)."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({str(exc.strerror).lower()}). Check the path "
                         "(directories are read recursively).") from None
    if not stat.S_ISREG(mode):
        raise InputError(f"{path}: not a regular file (a FIFO, socket or device); skipped.")


def _hidden(f: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in f.relative_to(root).parts)


def sniff_encoding(head: bytes) -> str:
    """UTF-16 (Windows tools) by BOM or NUL pattern, UTF-8 when the head decodes as such
    (cutting at most one character at its end), else Windows-1252 (a superset of Latin-1
    for the printable range)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if len(head) >= 4 and head[1:4:2] == b"\x00\x00" and head[0:4:2] != b"\x00\x00":
        return "utf-16-le"
    if len(head) >= 4 and head[0:4:2] == b"\x00\x00" and head[1:4:2] != b"\x00\x00":
        return "utf-16-be"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut by the sample's end
            return "cp1252"
    return "utf-8"


def compression_of(path: Path) -> str:
    with _open_raw(path) as fh:
        head = fh.read(8)
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    return "none"


def _open_raw(path: Path) -> BinaryIO:
    if isinstance(path, ObjectPath):  # ranged reads of an s3:// object
        return path.open_raw()  # type: ignore[return-value]
    try:
        return open(path, "rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot open ({exc.strerror}). Check its permissions.") from None


class _HashingReader:
    """A read-only file wrapper that hashes and counts every raw byte read through it.
    ``hashing=False`` (a plain file: its raw bytes are its content, hashed once by
    :class:`_ContentHash`) only counts: sha256 of the same bytes twice cost 0.8 CPU s per
    10 M lines on the reader thread."""

    def __init__(self, raw: BinaryIO, hashing: bool = True) -> None:
        self.raw = raw
        self.hash = hashlib.sha256() if hashing else None
        self.bytes = 0

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n)
        if self.hash is not None:
            self.hash.update(data)
        self.bytes += len(data)
        return data

    def readinto(self, buffer: Any) -> int:  # what ISA-L's gzip reader calls
        n = self.raw.readinto(buffer)
        if self.hash is not None:
            self.hash.update(memoryview(buffer)[:n])
        self.bytes += n
        return n

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self.raw.close()


@dataclass
class Source:
    """One input file, streamed once. ``fingerprint`` (sha256 of the decompressed content),
    ``content_bytes``, ``raw_fingerprint`` and ``prefix_hashes`` (hash of the content's
    first N bytes, for each N in ``prefix_lengths`` reached) are final after the blocks are
    consumed."""

    path: Path
    compression: str = "none"
    size: int = 0
    encoding: str = "utf-8"
    lines: int = 0
    fingerprint: str = ""
    raw_fingerprint: str = ""
    content_bytes: int = 0
    first_line_hash: str = ""
    prefix_lengths: set[int] = field(default_factory=set)
    prefix_hashes: dict[int, str] = field(default_factory=dict)
    _reader: _HashingReader | None = field(default=None, repr=False)

    @classmethod
    def open(cls, path: Path) -> Source:
        source = cls(path, compression_of(path), path.stat().st_size)
        with source._stream() as stream:
            head = _read_checked(stream, 64 << 10, source)
        source.encoding = sniff_encoding(head)
        source.first_line_hash = first_line_hash(head)
        return source

    def head(self, max_lines: int = 200) -> list[str]:
        """The first lines (decompressed, decoded), for format detection. Lines longer than
        ``MAX_LINE_BYTES`` come as empty strings: detection never reads them."""
        with self._stream() as stream:
            data = _read_checked(stream, HEAD_BYTES, self)
        if len(data) > MAX_LINE_BYTES and b"\n" not in data:
            raise InputError(f"{self.path}: no line break in the first {len(data) >> 10} KiB: "
                             f"not a line-oriented log (a {LONG_LINE} is refused).")
        text = data.decode(self.encoding, "replace").lstrip("\ufeff").replace("\r\n", "\n")
        lines = text.split("\n")
        if len(data) == HEAD_BYTES:
            lines = lines[:-1]
        return [x if len(x) <= MAX_LINE_BYTES else "" for x in lines[:max_lines]]

    def blocks(self, block_bytes: int | None = None) -> Iterator[tuple[int, int, bytes]]:
        """Yield (first line number, line count, block of whole lines ending with a newline).

        A background thread reads, decompresses and hashes the next block while the caller
        parses this one (those steps release the GIL), so reading costs almost no wall time.
        """
        block_bytes = block_bytes or BLOCK_BYTES
        queue: Queue[tuple[int, int, bytes] | BaseException | None] = Queue(maxsize=2)
        stop = threading.Event()

        def produce() -> None:
            try:
                for item in self._read_blocks(block_bytes):
                    if stop.is_set():
                        return
                    queue.put(item)
                queue.put(None)
            except BaseException as exc:  # handed to the consumer, raised there
                queue.put(exc)

        reader = threading.Thread(target=produce, daemon=True, name=f"read {self.path.name}")
        reader.start()
        try:
            while (item := queue.get()) is not None:
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            stop.set()
            while reader.is_alive():  # unblock a producer waiting on a full queue
                with contextlib.suppress(Empty):
                    queue.get(timeout=0.05)
            reader.join()

    def _read_blocks(self, block_bytes: int) -> Iterator[tuple[int, int, bytes]]:
        line_no = 1
        rest = b""
        skipping = False  # inside a line already cut at MAX_LINE_BYTES: drop to its end
        decoder = None if self.encoding == "utf-8" else \
            codecs.getincrementaldecoder(self.encoding)("replace")
        content = _ContentHash(self.prefix_lengths)
        with self._stream() as stream:
            while True:
                data = _read_checked(stream, block_bytes, self)
                content.update(data)
                if decoder is not None:  # parsers read UTF-8: transcode once, here
                    text = decoder.decode(data, final=not data)
                    if line_no == 1 and not rest:
                        text = text.lstrip("\ufeff")
                    data = text.encode("utf-8")
                elif line_no == 1 and not rest and data.startswith(codecs.BOM_UTF8):
                    data = data[len(codecs.BOM_UTF8):]
                if not data:
                    break
                if skipping:
                    end = data.find(b"\n")
                    if end < 0:
                        continue
                    data, skipping = data[end:], False
                if rest:
                    data = rest + data
                cut = data.rfind(b"\n") + 1
                rest = data[cut:]
                if len(rest) > MAX_LINE_BYTES:  # keep enough for ingest to see it is too long
                    rest, skipping = rest[:MAX_LINE_BYTES + 1], True
                if cut:
                    block = data[:cut] if rest else data
                    count = block.count(b"\n")
                    yield line_no, count, block
                    line_no += count
            if rest:
                yield line_no, 1, rest + b"\n"
                line_no += 1
            assert self._reader is not None
            while self._reader.read(1 << 20):  # hash any trailing raw bytes (gzip trailer)
                pass
            raw_hash = self._reader.hash
        self.fingerprint = content.hash.hexdigest()
        self.raw_fingerprint = self.fingerprint if raw_hash is None else raw_hash.hexdigest()
        self.content_bytes = content.length
        self.prefix_hashes = content.prefixes
        self.lines = line_no - 1

    def _stream(self) -> _Stream:
        raw = _HashingReader(_open_raw(self.path), hashing=self.compression != "none")
        self._reader = raw
        return _Stream(raw, self.compression)


def content_prefixes(path: Path, lengths: set[int]) -> dict[int, str]:
    """sha256 of a file's first N decompressed bytes, for each N in ``lengths`` it reaches
    (no parsing: for the rare candidate stored after the file was scanned)."""
    source = Source.open(path)
    source.prefix_lengths = set(lengths)
    for _ in source._read_blocks(BLOCK_BYTES):
        pass
    return source.prefix_hashes


class _ContentHash:
    """sha256 of the decompressed bytes, with the digest taken on the way at each of
    ``lengths`` (one pass: each chunk is split at the lengths it crosses)."""

    def __init__(self, lengths: set[int]) -> None:
        self.hash = hashlib.sha256()
        self.length = 0
        self.pending = sorted(n for n in lengths if n > 0)
        self.prefixes: dict[int, str] = {}

    def update(self, data: bytes) -> None:
        view = memoryview(data)
        while self.pending and self.pending[0] <= self.length + len(view):
            cut = self.pending.pop(0) - self.length
            self.hash.update(view[:cut])
            self.length += cut
            view = view[cut:]
            self.prefixes[self.length] = self.hash.hexdigest()
        self.hash.update(view)
        self.length += len(view)


class _Stream:
    def __init__(self, raw: _HashingReader, compression: str) -> None:
        self.raw = raw
        if compression == "gzip" and _igzip is not None:
            self.fh = _igzip.IGzipFile(fileobj=raw)  # type: ignore[arg-type]
        elif compression == "gzip":
            self.fh = gzip.GzipFile(fileobj=raw)  # type: ignore[arg-type]
        elif compression == "bzip2":
            self.fh = bz2.BZ2File(raw)  # type: ignore[arg-type]
        elif compression == "xz":
            self.fh = lzma.LZMAFile(raw)  # type: ignore[arg-type]  # noqa: SIM115
        elif compression == "zstd":
            self.fh = _ZstdReader(raw)  # type: ignore[assignment]
        else:
            self.fh = raw

    def __enter__(self) -> _Stream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.raw.close()

    def read(self, n: int) -> bytes:
        return self.fh.read(n)


class _ZstdReader:
    """Zstandard frames, one after the other, that fail on a truncated last frame.

    zstandard's stream_reader ends silently at a cut (half a file read as a whole one), so
    frames are fed to decompression objects, whose ``eof`` says whether a frame ended.
    Input goes in small pieces: the output of one piece stays bounded (at most 128 KiB per
    4-byte block) even for data that decompresses a million times over."""

    PIECE = 2048

    def __init__(self, raw: _HashingReader) -> None:
        self.raw = raw
        self.dctx = zstandard.ZstdDecompressor()
        self.frame: Any = None
        self.pending = memoryview(b"")
        self.out: list[bytes] = []
        self.size = 0

    def read(self, n: int) -> bytes:
        while self.size < n:
            if not self.pending:
                self.pending = memoryview(self.raw.read(self.PIECE * 256))
                if not self.pending:
                    if self.frame is not None:
                        raise zstandard.ZstdError("premature end of data: the last frame is "
                                                  "incomplete")
                    break
            piece, self.pending = self.pending[:self.PIECE], self.pending[self.PIECE:]
            while piece:
                if self.frame is None:
                    self.frame = self.dctx.decompressobj()
                data = self.frame.decompress(piece)
                self.out.append(data)
                self.size += len(data)
                piece = memoryview(b"")
                if self.frame.eof:
                    piece, self.frame = memoryview(self.frame.unused_data), None
        data = b"".join(self.out)
        self.out = [data[n:]] if len(data) > n else []
        self.size = len(data) - n if len(data) > n else 0
        return data[:n] if len(data) > n else data


def _read_checked(stream: _Stream, n: int, source: Source) -> bytes:
    try:
        return stream.read(n)
    except (OSError, EOFError, lzma.LZMAError, zlib.error, _IsalError, zstandard.ZstdError,
            ValueError) as exc:
        what = source.compression if source.compression != "none" else "file"
        raise InputError(f"{source.path}: corrupt or truncated {what} data ({exc}). "
                         "Re-copy the file from the log server.") from None
