"""Rejected-line excerpts never carry an identity: stderr and --json show the line's
shape and its number, not a user name, an address or a host (issue 12)."""

from __future__ import annotations

import json
from pathlib import Path

from shadowai.ingest import mask
from tests.conftest import at, native


def test_mask_keeps_the_shape_and_drops_every_letter_and_digit() -> None:
    line = "17908060871790806088.043 120 10.20.39.26 TCP_MISS/abc 600 GET jean.dupont"
    assert mask(line) == ("99999999999999999999.999 999 99.99.99.99 xxx_xxxx/xxx 999 xxx "
                          "xxxx.xxxxxx")


def test_no_identity_in_messages_or_json(shadowai, org: Path) -> None:
    bad = [native(at(5), "10.20.39.26", "TCP_MISS/abc", 10, "GET", "http://claude.ai/",
                  "jean.dupont") for _ in range(3)]
    log = org.parent / "only-bad.log"
    log.write_text("\n".join(bad) + "\n", encoding="utf-8")
    result = shadowai("ingest", "--format", "squid-native", "--json", str(log))
    assert result.exit_code == 2
    rows = json.loads(result.stdout)
    assert rows[0]["status"] == "failed" and "bad status" in rows[0]["message"]
    for text in (result.stdout, result.stderr):
        assert "jean.dupont" not in text and "10.20.39.26" not in text
        assert "claude.ai" not in text
    assert "only-bad.log:1: bad status" in result.stderr
