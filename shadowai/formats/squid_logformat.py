"""Squid access logs written with a custom ``logformat`` (Squid 3.x to 7.x).

Squid's ``logformat <name> <format>`` directive (squid-cache.org, "cf_manual/logformat")
describes a line with ``%`` codes: ``%[encoding][-][[0]width][{arg}]code[{arg}]``, where
the encoding ``"`` quotes the value (``\\"`` inside), ``[`` and ``#`` escape it without
spaces (a format may also put literal quotes around a code: ``"%{Referer}>h"``), and
codes are ``ts``/``tu`` (epoch seconds / milliseconds), ``tl``/``tg`` (local / GMT
``dd/Mmm/yyyy:HH:MM:SS +zzzz``), ``tr`` (elapsed ms), ``>a`` (client address), ``>p``,
``un``/``ul``/``ue``/``ui``/``us`` (user names), ``Ss`` (Squid result code), ``>Hs``
(status), ``Sh``/``<a`` (hierarchy / server address), ``<st``/``>st`` (reply / request
size), ``<sh``/``>sh`` (header sizes), ``<bs`` (reply body), ``rm``/``ru``/``rv`` (method,
URL, HTTP version), ``>rd`` (request domain), ``mt`` (MIME type), ``{Header}>h``,
``ssl::>sni``… :class:`SquidLogformat` turns such a string into one regular expression and
a field mapping: the format is data, so another site's format is one more instance.

Mapping (counting unit: proxy request): time ``ts``(+``tu``), else ``tg`` (UTC), else
``tl`` (its own offset); client ``>a``; user ``un``, ``ul``, ``ue``, ``us``, ``ui`` (first
present); destination ``>rd``, else the URL's host (``ru``/``>ru``; CONNECT's ``host:port``
as is), else ``ssl::>sni``, else the ``Host`` header; method ``rm``; status ``>Hs``; bytes
``>st`` up and ``<st`` (else ``st``, else ``<bs``) down; blocked when the result code is
``…DENIED…`` or the status 403, as for the native format. Lines that do not match the
format are ``wrong number of fields``.

Registered instance ``squid-logformat``: the extended format of Elastic's Squid
integration test (``test-access-extensive.log``, Squid 6/7), reconstructed field by field
from that file and the field names Elastic's expected output gives each column
(destination.bytes = ``<st``, source.bytes = ``>st``, reply / request header sizes,
response body bytes, ``rv``, ``<p``, ``host_header``, ``network.forwarded_ip``,
``server_time`` = ``<tt``): see ``EXTENDED``. The two ``-`` columns after ``%mt`` and the
last column are ``-`` in every line of that file, so their codes cannot be told; they
are written as ``%ssl::bump_mode %ssl::>cert_subject`` and ``%err_code`` (codes that log
``-`` when there is nothing to say) and are not used.
"""

from __future__ import annotations

import re

import polars as pl

from shadowai.formats._base import register, reject_when, share_matching
from shadowai.formats._common import LINE, canonical, epoch_to_utc, is_empty, url_host
from shadowai.schema import ALLOWED, BLOCKED

EXTENDED = (
    '%ts.%03tu %6tr %>a %>p %Ss/%03>Hs %<st %>st %<sh %>sh %<bs %rm %ru %rv %[un '
    '%Sh/%<a %<p %mt %ssl::bump_mode %ssl::>cert_subject "%{Referer}>h" '
    '"%{User-Agent}>h" "%{Host}>h" "%{X-Forwarded-For}>h" %<tt %err_code'
)

# One % code: encoding, alignment, width (and precision), an argument before or after it.
_CODE = re.compile(
    r'%(?P<enc>["\[#\'/]?)-?0?\d*(?:\.\d+)?(?:\{(?P<pre>[^}]*)\})?'
    r"(?P<code>%|(?:[a-z]+::)?[<>]{0,2}[A-Za-z_]+)(?:\{(?P<post>[^}]*)\})?")
_USERS = ("un", "ul", "ue", "us", "ui")


def compile_logformat(logformat: str) -> tuple[str, dict[str, int]]:
    """``logformat`` -> (a regular expression for the whole line, code -> group number).
    Spaces in the format match one or more spaces (``%6tr`` pads with spaces); a code
    matches a quoted string when quoted, else a run of non-spaces (``tl``/``tg`` hold one
    space)."""
    parts: list[str] = []
    groups: dict[str, int] = {}
    pos = 0
    for m in _CODE.finditer(logformat):
        parts.append(_literal(logformat[pos:m.start()]))
        pos = m.end()
        code = m.group("code")
        if code == "%":
            parts.append("%")
            continue
        arg = m.group("pre") or m.group("post")
        key = f"{code}{{{arg}}}" if arg else code
        quoted_literal = (logformat[m.start() - 1:m.start()] == '"'
                          and logformat[m.end():m.end() + 1] == '"')
        if m.group("enc") == '"':
            parts.append(r'"((?:[^"\\]|\\.)*)"')
        elif quoted_literal:  # "%{User-Agent}>h": the quotes are the format's, not Squid's
            parts.append(r'((?:[^"\\]|\\.)*)')
        elif code in ("tl", "tg"):
            parts.append(r"(\S+ [+-]\d{4})")
        else:
            # lazy, so a literal right after the code (``%Ss/``, ``%ts.``) ends it
            parts.append(r"(\S*?)")
        number = len(groups) + 1
        # a repeated code keeps its first column; the others get a name nobody reads
        groups[f"{key}#{number}" if key in groups else key] = number
    parts.append(_literal(logformat[pos:]))
    return "^" + "".join(parts) + r"\s*$", groups


def _literal(text: str) -> str:
    return " +".join(re.escape(chunk) for chunk in re.split(r"\s+", text)) if text else ""


class SquidLogformat:
    """A Squid access log in one given ``logformat``."""

    unit = "proxy request"

    def __init__(self, name: str, logformat: str, description: str) -> None:
        self.name = name
        self.logformat = logformat
        self.description = description
        self.pattern, self.groups = compile_logformat(logformat)
        self._regex = re.compile(self.pattern)

    def detect(self, lines: list[str]) -> float:
        # Through share_matching's linear engine: with Python's, empty lazy fields
        # between ' +' separators made one line of N spaces cost ~N^4 steps.
        return share_matching(self._regex, lines)

    def parse(self, frame: pl.LazyFrame, timezone: str) -> pl.LazyFrame:
        f = frame.with_columns(LINE.str.extract_groups(self.pattern).alias("_g")).unnest("_g")

        def get(*keys: str) -> pl.Expr:
            cols = [pl.col(str(self.groups[k])) for k in keys if k in self.groups]
            if not cols:
                return pl.lit(None, dtype=pl.String)
            value = pl.coalesce([pl.when(c.is_in(["", "-"])).then(None).otherwise(c)
                                 for c in cols])
            return value

        matched = pl.col("1").is_not_null() if self.groups else pl.lit(False)
        seconds = get("ts").cast(pl.Float64, strict=False) + get("tu").cast(
            pl.Float64, strict=False).fill_null(0) / 1000
        stamp = pl.coalesce(get("tg"), get("tl")).str.strptime(
            pl.Datetime("us", "UTC"), "%d/%b/%Y:%H:%M:%S %z", strict=False)
        ts = pl.coalesce(epoch_to_utc(seconds), stamp)
        method = get("rm", ">rm")
        url = get("ru", ">ru")
        host = pl.coalesce(
            get(">rd"),
            pl.when(method == "CONNECT").then(url).otherwise(url_host(url)),
            get("ssl::>sni"), get(">h{Host}"))
        result = get("Ss")
        status = get(">Hs", "Hs").cast(pl.Int32, strict=False)
        blocked = result.str.contains("DENIED", literal=True).fill_null(False) | (status == 403)
        f = f.with_columns(ts.alias("_ts"), status.alias("_status"))
        reject = reject_when([
            (is_empty(), "empty line"),
            (~matched, "wrong number of fields"),
            (pl.col("_ts").is_null(), "bad timestamp"),
            (get(">Hs", "Hs").is_not_null() & pl.col("_status").is_null(), "bad status"),
        ])
        return canonical(
            f, reject,
            ts=pl.col("_ts"),
            user=get(*_USERS),
            client_ip=get(">a"),
            host=host,
            method=method,
            status=pl.col("_status"),
            action=pl.when(blocked.fill_null(False)).then(pl.lit(BLOCKED))
            .otherwise(pl.lit(ALLOWED)),
            bytes_up=get(">st"),
            bytes_down=get("<st", "st", "<bs"),
        )


register(SquidLogformat(
    "squid-logformat", EXTENDED,
    "Squid access.log in a custom logformat (registered: the extended Squid 6/7 layout)"))
