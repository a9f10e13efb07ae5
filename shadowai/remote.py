"""Inputs by URI: ``file://`` paths and ``s3://bucket/prefix`` objects of any S3-compatible
store (AWS, MinIO, Ceph, OVHcloud, Scaleway, Outscale...), through pyarrow.fs.

An object is what :mod:`shadowai.sources` needs of a local file: a name, a size and a
modification time, a raw byte stream (ranged reads, read ahead in growing chunks: the few
KiB a format detection reads cost one small request, a whole file a few large ones) and a
cheap "already seen" signature. Decompression, line splitting and the content fingerprint
are the local path's own: an object and the same bytes on disk are the same file.

Settings: ``[s3]`` endpoint, region, access_key_id, secret_access_key, timeout; unset ones
come from the standard AWS environment (AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, AWS_REGION /
AWS_DEFAULT_REGION, AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN,
AWS_PROFILE and the shared credentials file, web-identity and container credentials)."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import SimpleNamespace
from typing import Any
from urllib.parse import unquote, urlsplit

from pyarrow import fs

from shadowai.errors import ConfigError, InputError

SCHEMES = ("s3://", "file://")
#: Signature of an object without an ETag: its first and last bytes (two ranged reads).
EDGE_BYTES = 64 << 10
#: Read-ahead: the first request of a stream reads this much, each next one twice as much,
#: up to READ_MAX (what a 32 MiB block of a plain log asks for anyway).
READ_FIRST = 256 << 10
READ_MAX = 32 << 20

#: Environment variables by which the AWS SDK finds credentials of its own.
_CREDENTIAL_SOURCES = ("AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE",
                       "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                       "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")


@dataclass(frozen=True)
class S3Options:
    """Where and how to reach s3:// objects. Secrets never show in a repr; they travel to
    workers inside the run context (pickled task data), never in Spark configuration."""

    endpoint: str = ""
    region: str = ""
    timeout: float = 10.0
    access_key: str = field(default="", repr=False)
    secret_key: str = field(default="", repr=False)

    @classmethod
    def from_settings(cls, values: dict[str, Any]) -> S3Options:
        """[s3] settings first, then the standard AWS environment variables (endpoint and
        region only: credentials from the environment are read where the files are read,
        by each worker's own SDK, not copied from the driver)."""
        env = os.environ.get
        return cls(
            endpoint=(values.get("s3.endpoint") or env("AWS_ENDPOINT_URL_S3")
                      or env("AWS_ENDPOINT_URL") or ""),
            region=(values.get("s3.region") or env("AWS_REGION") or env("AWS_DEFAULT_REGION")
                    or ""),
            timeout=float(values.get("s3.timeout") or 10.0),
            access_key=values.get("s3.access_key_id") or "",
            secret_key=values.get("s3.secret_access_key") or "")

    def where(self) -> str:
        return self.endpoint or "AWS S3"

    def filesystem(self) -> fs.S3FileSystem:
        """This process's S3 client for these options (one per process: connections and
        credentials are reused across files)."""
        if self not in _FILESYSTEMS:
            _FILESYSTEMS[self] = self._connect()
        return _FILESYSTEMS[self]

    def _connect(self) -> fs.S3FileSystem:
        if bool(self.access_key) != bool(self.secret_key):
            raise ConfigError("[s3] access_key_id and secret_access_key go together: set "
                              "both, or neither (then the AWS environment is used).")
        if not self.access_key and not _environment_has_credentials():
            raise ConfigError(
                f"no S3 credentials found to read s3:// inputs from {self.where()}: set "
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE), or [s3] "
                "access_key_id and secret_access_key in the configuration.")
        options: dict[str, Any] = {
            "region": self.region or "us-east-1",
            "connect_timeout": self.timeout, "request_timeout": self.timeout,
            "retry_strategy": fs.AwsStandardS3RetryStrategy(max_attempts=3)}
        if self.endpoint:
            scheme = "http" if self.endpoint.startswith("http://") else "https"
            options.update(endpoint_override=self.endpoint.split("://", 1)[-1], scheme=scheme)
        if self.access_key:
            options.update(access_key=self.access_key, secret_key=self.secret_key)
        return fs.S3FileSystem(**options)


_FILESYSTEMS: dict[S3Options, fs.S3FileSystem] = {}


def _environment_has_credentials() -> bool:
    if any(os.environ.get(name) for name in _CREDENTIAL_SOURCES):
        return True
    shared = os.environ.get("AWS_SHARED_CREDENTIALS_FILE") or "~/.aws/credentials"
    return Path(shared).expanduser().is_file()


def is_uri(text: str) -> bool:
    return "://" in text


def location(text: str | Path, options: S3Options | None = None) -> Path | ObjectPath:
    """A command-line input or a scan task's URI as what can be opened: a local Path
    (plain paths and ``file://``) or an :class:`ObjectPath` (``s3://``)."""
    if isinstance(text, Path) or not is_uri(text):
        return Path(text)
    if text.startswith("file://"):
        parts = urlsplit(text)
        if parts.netloc not in ("", "localhost"):
            raise ConfigError(f"{text}: a file:// URI names a file of this machine "
                              "(file:///path); mount remote shares, or use s3://.")
        return Path(unquote(parts.path))
    if text.startswith("s3://"):
        return ObjectPath(text, options or S3Options())
    raise ConfigError(f"{text}: unsupported input; give a local path, file:///path or "
                      "s3://bucket/prefix.")


class ObjectPath:
    """An object of an S3-compatible store, with what ingestion asks of a Path."""

    def __init__(self, uri: str, options: S3Options, info: fs.FileInfo | None = None) -> None:
        bucket, _, key = uri[len("s3://"):].partition("/")
        if not bucket:
            raise ConfigError(f"{uri}: no bucket; write s3://bucket/prefix.")
        self.uri, self.bucket, self.key = uri, bucket, key
        self.options = options
        self._info = info
        self._file: Any = None

    # -- what a Path gives --------------------------------------------------------------
    def __str__(self) -> str:
        return self.uri

    def __repr__(self) -> str:
        return f"ObjectPath({self.uri!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ObjectPath) and other.uri == self.uri

    def __hash__(self) -> int:
        return hash(self.uri)

    def __getstate__(self) -> dict[str, Any]:
        return {**vars(self), "_file": None}  # a handle is this process's own

    @property
    def name(self) -> str:
        return PurePosixPath(self.key).name

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.key).suffix

    def resolve(self, strict: bool = False) -> ObjectPath:
        return self

    def exists(self) -> bool:
        return True

    def is_file(self) -> bool:
        return True

    def is_dir(self) -> bool:
        return False

    def is_symlink(self) -> bool:
        return False

    def stat(self) -> Any:
        info = self.info()
        mtime_ns = info.mtime_ns or 0
        return SimpleNamespace(st_size=info.size, st_mtime=mtime_ns / 1e9, st_mtime_ns=mtime_ns,
                               st_mode=stat.S_IFREG | 0o444)

    # -- the store ----------------------------------------------------------------------
    def info(self) -> fs.FileInfo:
        if self._info is None:
            info = self._call(self.options.filesystem().get_file_info, self._path)
            if info.type != fs.FileType.File:
                raise InputError(f"{self.uri}: no such object. Check the key (list the "
                                 "prefix with s3://bucket/prefix/).")
            self._info = info
        return self._info

    @property
    def _path(self) -> str:
        return f"{self.bucket}/{self.key}"

    def open_raw(self) -> _RangeReader:
        return _RangeReader(self._handle(), self.uri)

    def _handle(self) -> Any:
        """One random-access handle per object (opening it is a HEAD request, which also
        gives the ETag); it holds no connection between reads."""
        if self._file is None:
            self._file = self._call(self.options.filesystem().open_input_file, self._path)
        return self._file

    def signature(self) -> str:
        """Size, modification time and ETag (one HEAD request). An object cannot change in
        place: a new version is a new upload, with a new Last-Modified and ETag. Without an
        ETag (some S3-compatible stores), its URI and its first and last bytes instead."""
        info = self.info()
        h = hashlib.sha256(f"s3:{info.size}:{info.mtime_ns}".encode())
        etag = self._metadata().get("ETag", "")
        if etag:
            h.update(f":{etag}".encode())
            return h.hexdigest()
        h.update(f":{self.uri}".encode())
        with self.open_raw() as fh:
            for offset in sorted({0, max(0, info.size - EDGE_BYTES)}):
                fh.seek(offset)
                h.update(fh.read(EDGE_BYTES))
        return h.hexdigest()

    def _metadata(self) -> dict[str, str]:
        return {k: v.decode("utf-8", "replace") if isinstance(v, bytes) else v
                for k, v in self._handle().metadata().items()}

    def _call(self, fn: Any, *args: Any) -> Any:
        try:
            return fn(*args)
        except FileNotFoundError:
            raise InputError(f"{self.uri}: no such object.") from None
        except OSError as exc:
            raise explain(exc, self.uri, self.options) from None


class _RangeReader:
    """A raw byte stream over an object: ranged reads, read ahead in growing chunks."""

    def __init__(self, handle: Any, uri: str) -> None:
        self.handle, self.uri = handle, uri
        self.size = handle.size()
        self.pos = 0
        self.buffer = b""
        self.buffer_at = 0
        self.chunk = READ_FIRST

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            n = self.size - self.pos
        start = self.pos - self.buffer_at
        if start < 0 or start + n > len(self.buffer):
            want = min(max(n, self.chunk), self.size - self.pos)
            self.chunk = min(self.chunk * 2, READ_MAX)
            self.buffer, self.buffer_at, start = self._fetch(self.pos, want), self.pos, 0
        data = self.buffer[start:start + n]
        self.pos += len(data)
        return data

    def readinto(self, buffer: Any) -> int:  # what ISA-L's gzip reader calls
        view = memoryview(buffer).cast("B")
        data = self.read(len(view))
        view[:len(data)] = data
        return len(data)

    def _fetch(self, offset: int, n: int) -> bytes:
        try:
            return bytes(self.handle.read_at(n, offset)) if n > 0 else b""
        except OSError as exc:
            raise InputError(f"{self.uri}: read failed at byte {offset:,} "
                             f"({_first_line(exc)}). Run again to retry.") from None

    def seek(self, offset: int, whence: int = 0) -> int:
        self.pos = offset if whence == 0 else (self.pos + offset if whence == 1
                                               else self.size + offset)
        return self.pos

    def tell(self) -> int:
        return self.pos

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def close(self) -> None:
        self.buffer = b""  # the handle is the object's, kept for its next reader

    def __enter__(self) -> _RangeReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def explain(exc: OSError, uri: str, options: S3Options) -> InputError:
    """An S3 client error as one line saying what to check."""
    text = str(exc)
    if "NO_SUCH_BUCKET" in text or "NoSuchBucket" in text:
        bucket = uri[len("s3://"):].split("/", 1)[0]
        return InputError(f"{uri}: no such bucket {bucket!r} at {options.where()}. Check the "
                          "bucket name and [s3] endpoint.")
    if any(s in text for s in ("NETWORK_CONNECTION", "curlCode", "Timeout", "timed out",
                               "Could not connect", "Could not resolve")):
        return UnreachableError(
            f"{uri}: cannot reach the S3 endpoint {options.where()} ({_first_line(exc)}). "
            "Check [s3] endpoint (or AWS_ENDPOINT_URL) and the network.")
    if any(s in text for s in ("ACCESS_DENIED", "AccessDenied", "InvalidAccessKeyId",
                               "SignatureDoesNotMatch", "HTTP response code: 403")):
        return UnreachableError(f"{uri}: access denied by {options.where()}. Check the "
                                "credentials (AWS_ACCESS_KEY_ID, [s3] access_key_id) and "
                                "their rights on the bucket.")
    return InputError(f"{uri}: {_first_line(exc)}.")


class UnreachableError(InputError):
    """No s3:// input can be read (endpoint unreachable, access refused): stop the run."""


def _first_line(exc: BaseException) -> str:
    """The reason an AWS SDK error gives, without its request context and ids."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    found = re.search(r"operation: (?:curlCode: \d+, )?(.*?)(?:;|\(Request ID|$)", text)
    return (found.group(1) if found else text).strip()[:160]


def walk_objects(uris: list[ObjectPath], exclude: tuple[str, ...] = (),
                 include: tuple[str, ...] = ()) -> list[Any]:
    """What :func:`shadowai.sources.walk` gives for local paths, for s3:// URIs: an object
    named exactly, or every object under a prefix (``s3://bucket/prefix/``), sorted; hidden
    names (a part starting with a dot), empty objects, Squid's own files and the
    include/exclude patterns are skipped the same way."""
    from shadowai.sources import EMPTY, Found, skip_by_name

    found: list[Found] = []
    seen: set[str] = set()
    for top in uris:
        filesystem = top.options.filesystem()
        try:
            if top.key and not top.key.endswith("/"):
                info = filesystem.get_file_info(top._path)
                if info.type == fs.FileType.File:
                    if top.uri not in seen:
                        seen.add(top.uri)
                        obj = ObjectPath(top.uri, top.options, info)
                        found.append(Found(obj, True, skip=EMPTY if not info.size else None))
                    continue
            selector = fs.FileSelector(top._path.rstrip("/"), recursive=True)
            infos = sorted((i for i in filesystem.get_file_info(selector)
                            if i.type == fs.FileType.File), key=lambda i: i.path)
        except FileNotFoundError:
            infos = []
        except OSError as exc:
            error = explain(exc, top.uri, top.options)
            if isinstance(error, UnreachableError):
                raise error from None
            found.append(Found(top, True, error=str(error).split(": ", 1)[1].rstrip(".")))
            continue
        if not infos:
            found.append(Found(top, True, error="no object under this prefix"))
            continue
        prefix = top.key.rstrip("/")
        for info in infos:
            uri = f"s3://{info.path}"
            if uri in seen:
                continue
            seen.add(uri)
            obj = ObjectPath(uri, top.options, info)
            below = info.path.split("/", 1)[1][len(prefix):].lstrip("/")
            if any(part.startswith(".") for part in below.split("/")):
                continue
            skip = EMPTY if not info.size else skip_by_name(obj.name, uri, exclude, include)
            found.append(Found(obj, False, skip=skip))
    return found
