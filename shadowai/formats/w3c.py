"""W3C extended log files (``#Fields:`` header), as written by web proxies and web servers.

- Blue Coat / Symantec ProxySG "ELFF" access logs (SGOS 3.x to 7.x; ``bcreportermain_v1``
  and custom formats). Space separated; fields with spaces are double-quoted (user agent,
  categories). Documented in "SGOS Access Logging" (Blue Coat, "Volume 8/9: Access
  Logging"), and the ELFF field table in the ProxySG CLI/Admin guides.
- Microsoft ISA Server 2000/2004/2006 and Forefront TMG 2010 web proxy, firewall and
  packet filter logs in W3C mode. TAB separated; firewall field names contain spaces
  (``original client IP``, ``bytes sent``). Documented in Microsoft TechNet "ISA Server /
  Forefront TMG log fields" (W3C format times are UTC).
- Cisco (IronPort) WSA / Secure Web Appliance "W3C access logs" (AsyncOS 6.3 and later):
  ``timestamp`` (epoch), ``x-resultcode-httpstatus``, ``cs-url``, ``x-acltag``. Documented
  in the AsyncOS for Cisco Web Security Appliances User Guide, "W3C Compliant Access Log
  Files".
- Microsoft IIS 6 to 10 W3C logs (``date time s-ip cs-method cs-uri-stem ...``), the
  format the W3C working draft "Extended Log File Format" (WD-logfile-960323) describes.
  Lines without any header (a file whose comments were stripped by a shipper) are read with
  IIS's default field set when they match it (see ``_IIS_DEFAULT``).

The header gives the columns: each line uses the last ``#Fields:`` line above it; a block
that starts mid-file inherits the last header of the previous block (see
:class:`~shadowai.formats._common.HeaderTracker`). W3C times (``date``/``time``) are UTC
by definition. One line = one request (counting unit: proxy request); IIS lines are
requests to the server itself.
"""

from __future__ import annotations

import re

import polars as pl

from shadowai.formats._base import register, reject_when, share_matching
from shadowai.formats._common import (
    LINE,
    NULL_STR,
    HeaderTracker,
    canonical,
    concat_in_order,
    epoch_to_utc,
    ipv4_without_port,
    is_empty,
    null_if,
    unquote,
    url_host,
)
from shadowai.schema import ALLOWED, BLOCKED

FIELDS = "#Fields:"
# ISA/TMG logs its own cache refreshes ("Active Cache Request") with no client and no user:
# nobody to attribute them to.
NO_CLIENT = "not an event: no client (the proxy's own request)"
_DIRECTIVE = re.compile(r"^#(?:Software|Version|Date|Fields|Remark|Start-Date|End-Date|System):")
# A space-separated token: a double-quoted string ("" escapes a quote) or a run of non-spaces.
_TOKEN = r'"(?:[^"]|"")*"|[^ ]+'
_TOKEN_RE = re.compile(_TOKEN)

# IIS's default W3C field set, for lines without a header: date time [s-sitename or
# s-computername] s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip
# cs(User-Agent) [cs(Referer) or cs(Cookie)] [cs-host] sc-status sc-substatus
# sc-win32-status, then time-taken, or sc-bytes cs-bytes time-taken, and any custom fields.
# With one optional field before the status it is taken as the referer, with two the second
# is the host (IIS's own field order).
_IIS_DEFAULT = (
    r"^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) (?:\S+ )?(\S+) ([A-Z][A-Z_-]*) (\S+) (\S+)"
    r" (\d{1,5}) (\S+) (\S+) (\S+)(?: (\S+))?(?: (\S+))? (\d{3}) (\d+) (\d+)"
    r"(?: (\d+) (\d+) (\d+))?(?: .*)?$"
)
_IIS_DEFAULT_RE = re.compile(_IIS_DEFAULT)

# canonical meaning -> W3C field names that carry it, best first (compared in lower case).
_CLIENT = ("c-ip", "original client ip", "source-ip", "source")
_USER = ("cs-username", "username", "cs-userdn")
_HOST = ("cs-host", "cs(host)", "r-host", "x-cs-host", "destination name")
_URL = ("cs-uri", "cs-url", "cs-uri-stem")
_HOST_IP = ("r-ip", "destination-ip", "destination")
_METHOD = ("cs-method", "s-operation", "ip protocol", "protocol")
_UP = ("cs-bytes", "bytes sent")
_DOWN = ("sc-bytes", "bytes received")


class _Layout:
    """One ``#Fields:`` header: field positions and separator.

    ``field`` hands out column references (``_w<i>``) and remembers which positions were
    asked for; ``materialise`` then extracts and cleans each of them once, since a field is
    often used by several canonical columns."""

    def __init__(self, header: str) -> None:
        rest = header[len(FIELDS):].strip(" \r\n")
        self.tab = "\t" in rest
        names = rest.split("\t") if self.tab else rest.split()
        self.names = [n.strip().lower() for n in names]
        self.index: dict[str, int] = {}
        for i, n in enumerate(self.names):
            self.index.setdefault(n, i)
        self.used: set[int] = set()

    def split(self) -> pl.Expr:
        return LINE.str.split("\t") if self.tab else LINE.str.extract_all(_TOKEN)

    def field(self, *names: str) -> pl.Expr | None:
        """The first of ``names`` present in the header, as a nullable string column."""
        for n in names:
            if n in self.index:
                self.used.add(self.index[n])
                return pl.col(f"_w{self.index[n]}")
        return None

    def first(self, *groups: tuple[str, ...]) -> pl.Expr:
        exprs = [e for g in groups for n in g if (e := self.field(n)) is not None]
        return pl.coalesce(exprs) if exprs else NULL_STR

    def materialise(self, frame: pl.LazyFrame) -> pl.LazyFrame:
        raw = {i: pl.col("_f").list.get(i, null_on_oob=True) for i in sorted(self.used)}
        f = frame.with_columns(e.alias(f"_r{i}") for i, e in raw.items())

        def clean(i: int) -> pl.Expr:
            value = pl.col(f"_r{i}")
            if not self.tab:
                value = unquote(value).str.replace_all('""', '"', literal=True)
            return null_if(value.str.strip_chars()).alias(f"_w{i}")

        return f.with_columns(clean(i) for i in raw)


def _blocked(status: pl.Expr, layout: _Layout) -> pl.Expr:
    checks = [status == 403]
    for name, cond in (
        ("s-action", lambda e: e.str.contains("DENIED", literal=True)),
        ("sc-filter-result", lambda e: e.str.to_uppercase() == "DENIED"),
        ("action", lambda e: e.str.to_lowercase().is_in(["denied", "blocked", "block"])),
        ("filter-rule", lambda e: e.str.to_uppercase() == "BLOCKED"),
        ("x-acltag", lambda e: e.str.starts_with("BLOCK_")),
        ("x-resultcode-httpstatus", lambda e: e.str.contains("DENIED", literal=True)),
    ):
        value = layout.field(name)
        if value is not None:
            checks.append(cond(value))
    blocked = pl.any_horizontal([c.fill_null(False) for c in checks])
    return pl.when(blocked).then(pl.lit(BLOCKED)).otherwise(pl.lit(ALLOWED))


def _client(ip: pl.Expr) -> pl.Expr:
    # IPv6 zone ids (fe80::1%3) mean nothing outside the host that logged them.
    return ipv4_without_port(ip).str.replace(r"%[^%]*$", "")


def _user(user: pl.Expr) -> pl.Expr:
    # ISA/TMG and IIS write "anonymous" for unauthenticated requests.
    return pl.when(user.str.to_lowercase() == "anonymous").then(NULL_STR).otherwise(user)


def _common_rejects() -> list[tuple[pl.Expr, str]]:
    return [
        (is_empty(), "empty line"),
        (LINE.str.starts_with("#"), "not an event: w3c directive"),
    ]


def _parse_with_header(frame: pl.LazyFrame, layout: _Layout) -> pl.LazyFrame:
    date, time = layout.field("date"), layout.field("time")
    if date is not None and time is not None:
        ts = pl.concat_str([date, time], separator=" ").str.strptime(
            pl.Datetime("us"), "%Y-%m-%d %H:%M:%S%.f", strict=False).dt.replace_time_zone("UTC")
    elif (epoch := layout.field("timestamp", "x-timestamp-unix")) is not None:
        ts = epoch_to_utc(epoch.cast(pl.Float64, strict=False))
    else:
        ts = pl.lit(None, dtype=pl.Datetime("us", "UTC"))
    method = layout.first(_METHOD)
    status = layout.field("sc-status")
    if status is None and (code := layout.field("x-resultcode-httpstatus")) is not None:
        status = code.str.extract(r"/(\d{3})$", 1)
    status = (status if status is not None else NULL_STR).cast(pl.Int32, strict=False)
    url = layout.first(_URL)
    connect_target = pl.when(method == "CONNECT").then(url).otherwise(NULL_STR)
    host = pl.coalesce(layout.first(_HOST), url_host(url), connect_target,
                       layout.first(_HOST_IP))
    derived = {
        "_ts": ts, "_status": status, "_n": pl.col("_f").list.len(),
        "_user": _user(layout.first(_USER)), "_client": _client(layout.first(_CLIENT)),
        "_host": host, "_method": method,
        "_up": layout.first(_UP).cast(pl.Int64, strict=False),
        "_down": layout.first(_DOWN).cast(pl.Int64, strict=False),
    }
    action = _blocked(pl.col("_status"), layout)
    f = layout.materialise(frame.with_columns(layout.split().alias("_f")))
    f = f.with_columns(e.alias(n) for n, e in derived.items())
    reject = reject_when([
        *_common_rejects(),
        (pl.col("_n") != len(layout.names), "wrong number of fields"),
        (pl.col("_ts").is_null(), "bad timestamp"),
        (pl.col("_user").is_null() & pl.col("_client").is_null(), NO_CLIENT),
    ])
    return canonical(
        f, reject,
        ts=pl.col("_ts"),
        user=pl.col("_user"),
        client_ip=pl.col("_client"),
        host=pl.col("_host"),
        method=pl.col("_method"),
        status=pl.col("_status"),
        action=action,
        bytes_up=pl.col("_up"),
        bytes_down=pl.col("_down"),
    )


def _parse_headerless(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Lines with no header above them: IIS default fields, or rejected."""
    f = frame.with_columns(LINE.str.extract_groups(_IIS_DEFAULT).alias("g")).unnest("g")
    g = {i: null_if(pl.col(str(i))) for i in range(1, 19)}
    ts = pl.concat_str([pl.col("1"), pl.col("2")], separator=" ").str.strptime(
        pl.Datetime("us"), "%Y-%m-%d %H:%M:%S", strict=False).dt.replace_time_zone("UTC")
    status = pl.col("13").cast(pl.Int32, strict=False)
    reject = reject_when([
        *_common_rejects(),
        (pl.col("1").is_null(), "no #Fields header before this line"),
        (ts.is_null(), "bad timestamp"),
        (g[8].is_null() & g[9].is_null(), NO_CLIENT),
    ])
    return canonical(
        f, reject,
        ts=ts,
        user=_user(g[8]),
        client_ip=_client(g[9]),
        host=g[12],
        method=g[4],
        status=status,
        action=pl.when(status == 403).then(pl.lit(BLOCKED)).otherwise(pl.lit(ALLOWED)),
        bytes_up=g[17].cast(pl.Int64, strict=False),
        bytes_down=g[16].cast(pl.Int64, strict=False),
    )


class W3C:
    name = "w3c"
    description = ("W3C extended log with a #Fields header: Blue Coat ProxySG ELFF, "
                   "ISA/TMG, Cisco WSA W3C, IIS")
    unit = "proxy request"

    def __init__(self) -> None:
        self._headers = HeaderTracker(FIELDS)

    def start_file(self) -> None:
        """A new file begins: forget the header of the previous one."""
        self._headers.reset()

    def detect(self, lines: list[str]) -> float:
        """Directive lines, and data lines with as many fields as the header in effect;
        without any header, lines in IIS's default layout."""
        if not lines:
            return 0.0
        if not any(x.startswith(FIELDS) for x in lines):
            return share_matching(_IIS_DEFAULT_RE, [x.rstrip("\r") for x in lines])
        good = 0
        layout: _Layout | None = None
        for raw in lines:
            x = raw.rstrip("\r")
            if x.startswith(FIELDS):
                layout = _Layout(x)
            if _DIRECTIVE.match(x):
                good += 1
            elif layout is not None:
                n = x.count("\t") + 1 if layout.tab else len(_TOKEN_RE.findall(x))
                good += n == len(layout.names)
        return good / len(lines)

    def parse(self, frame: pl.LazyFrame, timezone: str) -> pl.LazyFrame:
        frame = frame.with_columns(LINE.str.strip_chars_end("\r"))
        frame, headers = self._headers.split(frame)
        parts = [_parse_with_header(frame.filter(pl.col("_hdr") == h), _Layout(h))
                 for h in headers]
        parts.append(_parse_headerless(frame.filter(pl.col("_hdr").is_null())))
        return concat_in_order(parts)


register(W3C())
