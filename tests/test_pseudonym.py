"""Keyed pseudonyms: stable within a month, unlinkable across months, key handled safely."""

from __future__ import annotations

import stat
from pathlib import Path

import duckdb
import pytest

from shadowai.errors import ConfigError
from shadowai.pseudonym import KeyRing, Pseudonymiser, create_key, pseudonym, read_key


def test_stable_within_a_month_and_unlinkable_across_months() -> None:
    p = Pseudonymiser(b"s" * 32)
    assert p("2026-10", "alice") == p("2026-10", "alice")
    assert p("2026-10", "alice") != p("2026-11", "alice")
    assert p("2026-10", "alice") != p("2026-10", "bob")
    assert Pseudonymiser(b"t" * 32)("2026-10", "alice") != p("2026-10", "alice")
    assert "alice" not in p("2026-10", "alice")


def test_key_is_private_and_never_overwritten(tmp_path: Path) -> None:
    key = tmp_path / "secret.key"
    create_key(key)
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    first = read_key(key)
    assert len(first) == 32
    with pytest.raises(ConfigError, match="refusing to overwrite"):
        create_key(key)
    assert read_key(key) == first


def test_garbage_key_is_a_clear_error(tmp_path: Path) -> None:
    key = tmp_path / "secret.key"
    key.write_text("not hex")
    with pytest.raises(ConfigError, match="not a shadowai key"):
        read_key(key)


# -- golden vectors --------------------------------------------------------------------
# Checked against `openssl dgst -sha256 -mac HMAC -macopt hexkey:<key>`. If one of these
# changes, every pseudonym changes: a month ingested across the change counts each person
# twice. Change them only with a migration plan for open months.
KEY = bytes(range(32))  # 000102...1f


@pytest.mark.parametrize("identity, expected", [
    ("alice", "6eefad2bed97b6d9"),
    ("ip:10.1.0.10", "0336d5dc90ede34e"),
    ("hélène martin", "ed276375153140bf"),  # UTF-8, NFC
    ("martin, hélène", "5732a5bf2930ac7b"),
    ("ip:2001:db8::1", "bb32f5149eadffd3"),
])
def test_pseudonym_is_hmac_sha256_of_the_identity_under_the_month_key(
        identity: str, expected: str) -> None:
    assert pseudonym(KEY, identity) == expected  # KEY used here as a month key


@pytest.mark.parametrize("month, expected", [
    ("2026-10", "7929ebd600a97d51cf841ab9411efcc6c5fb5e8df8a00073201ced2f52f0777e"),
    ("2026-11", "c7db879fcc0b742a8904308cf4a2d7416e53b0967e902319bb83a1f9d1bfaf9e"),
    ("2026-12", "eaad38351261a86ecd6d2af915d1c4f49a57c03264d7505da645a30ba62ebc07"),
    ("2027-01", "e9e8e499e6f2e57f7d5e88f87baa2830fd1a20b41f1820bbf98b14b76349882c"),
])
def test_month_key_is_hmac_of_the_month_under_the_secret_key(month: str,
                                                            expected: str) -> None:
    """Current derivation: HMAC-SHA256(secret key, b"shadowai/month/" + YYYY-MM)."""
    p = Pseudonymiser(KEY)
    assert p.month_key(month).hex() == expected
    assert p.month_key(month) == p.month_key(month)  # cached, same value


def test_pseudonyms_of_a_month_chain_both_derivations() -> None:
    p = Pseudonymiser(KEY)
    assert p("2026-10", "alice") == "8423f91d26416b8d"
    assert p("2026-11", "alice") == "b8b7be5b460de7bf"
    assert p("2026-10", "bob") == "d46b4c6cc448c429"


def test_the_store_holds_exactly_these_pseudonyms(tmp_path: Path) -> None:
    """End to end with a fixed secret key: what ingest writes for alice in October and
    November (local months) is the chain above, for the normalised name. The one place to
    update when the key handling changes (per-month random keys)."""
    from shadowai.pseudonym import derive_month_key
    from tests.orgkit import hit, local, shadowai, write_log, write_org

    config = write_org(tmp_path, k=2)
    ring = tmp_path / "secret.keys"  # the key ring next to [privacy] key_file
    ring.mkdir(mode=0o700)
    for month in ("2026-10", "2026-11"):  # month keys fixed as the chain above
        (ring / f"{month}.key").write_text(derive_month_key(KEY, month).hex() + "\n")
        (ring / f"{month}.key").chmod(0o600)
    log = write_log(tmp_path / "access.log", [
        hit(local(2026, 10, 31, 23, 30), "CORP\\Alice", "openai-chatgpt"),
        hit(local(2026, 11, 1, 0, 10), "alice@corp.example", "openai-chatgpt"),
        hit(local(2026, 11, 2), "bob", "openai-chatgpt"),
    ])
    assert shadowai(config, "ingest", str(log)).exit_code == 0
    con = duckdb.connect(str(tmp_path / "store.duckdb"), read_only=True)
    try:
        rows = con.execute("SELECT day::VARCHAR, pseudonym FROM ai_daily UNION "
                           "SELECT day::VARCHAR, pseudonym FROM traffic_daily "
                           "ORDER BY ALL").fetchall()
        checks = con.execute("SELECT month, key_check FROM month_keys ORDER BY 1").fetchall()
    finally:
        con.close()
    assert rows == [("2026-10-31", "8423f91d26416b8d"), ("2026-11-01", "b8b7be5b460de7bf"),
                    ("2026-11-02", "af31c3b8bdda1498")]
    # The check values of the keys used: a later release reading this store recomputes
    # them from the key ring, and refuses the month when they differ.
    assert checks == [("2026-10", "80b30779bfdcb3fc"), ("2026-11", "d3cb6e2ab6956fa9")]


@pytest.mark.parametrize("month, expected", [("2026-10", "80b30779bfdcb3fc"),
                                             ("2026-11", "d3cb6e2ab6956fa9")])
def test_key_check_values_are_pinned(month: str, expected: str) -> None:
    """The store keeps a check value per month (HMAC-SHA256(month key, "shadowai/key-check"),
    16 hex characters) and refuses a run whose key gives another: if an upgrade changed the
    derivation, every month already stored would be refused as "another key"."""
    assert Pseudonymiser(KEY).key_check(month) == expected


# -- the key file --------------------------------------------------------------------------
@pytest.mark.parametrize("nbytes, ok", [(15, False), (16, True), (32, True)])
def test_keys_shorter_than_16_bytes_are_refused(tmp_path: Path, nbytes: int, ok: bool) -> None:
    key = tmp_path / "secret.key"
    key.write_text(bytes(range(nbytes)).hex() + "\n")
    if ok:
        assert read_key(key) == bytes(range(nbytes))
    else:
        with pytest.raises(ConfigError, match=r"secret\.key: key too short \(15 bytes, need "
                                              r"at least 16\)"):
            read_key(key)


def test_a_short_key_stops_ingest_with_one_clear_line(tmp_path: Path) -> None:
    from tests.orgkit import hit, local, shadowai, write_log, write_org

    config = write_org(tmp_path, k=2)
    ring = tmp_path / "secret.keys"
    ring.mkdir(mode=0o700)
    key = ring / "2026-10.key"
    key.write_text("00" * 15 + "\n")
    key.chmod(0o600)
    log = write_log(tmp_path / "access.log", [hit(local(2026, 10, 5), "alice", "claude.ai")])
    result = shadowai(config, "ingest", str(log))
    assert result.exit_code == 1  # a bad key stops the run before any file
    assert "key too short (15 bytes, need at least 16)" in result.stderr
    assert "Traceback" not in result.stderr
    con = duckdb.connect(str(tmp_path / "store.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM ai_daily").fetchall() == [(0,)]
    con.close()


def test_a_missing_key_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"absent\.key: cannot read the secret key"):
        read_key(tmp_path / "absent.key")


@pytest.mark.parametrize("mode, warned", [
    (0o644, True), (0o640, True), (0o604, True), (0o620, True), (0o602, True),
    (0o610, True), (0o601, True), (0o600, False), (0o400, False),
], ids=oct)
def test_a_key_readable_by_others_is_warned_about(tmp_path: Path, mode: int,
                                                  warned: bool) -> None:
    from tests.orgkit import hit, local, shadowai, write_log, write_org

    config = write_org(tmp_path, k=2)
    ring = tmp_path / "secret.keys"
    ring.mkdir(mode=0o700)
    key = ring / "2026-10.key"
    key.write_text(KEY.hex() + "\n")
    key.chmod(mode)
    log = write_log(tmp_path / "access.log", [hit(local(2026, 10, 5), "alice", "claude.ai")])
    result = shadowai(config, "ingest", str(log))
    assert result.exit_code == 0, result.output
    assert "1 file(s) ingested" in result.stdout
    warning = f"Warning: {key} is readable by other users; run 'chmod -R go-rwx {ring}'."
    assert (warning in result.stderr) is warned


def test_key_errors_are_whole_sentences(tmp_path: Path) -> None:
    key = tmp_path / "secret.key"
    create_key(key)
    with pytest.raises(ConfigError) as err:
        create_key(key)
    assert str(err.value) == (f"{key}: a key already exists; refusing to overwrite it (all "
                              "pseudonyms depend on it). Move it away first if you really "
                              "mean to start over.")
    for content in (b"not hex\n", b"\xff\xfe00\n"):
        key.write_bytes(content)
        with pytest.raises(ConfigError) as err:
            read_key(key)
        assert str(err.value) == f"{key}: not a shadowai key (expected 64 hex characters)."
    with pytest.raises(ConfigError) as err:
        read_key(tmp_path / "absent.key")
    assert str(err.value) == (f"{tmp_path / 'absent.key'}: cannot read the secret key (No "
                              "such file or directory). Create one with 'shadowai init'.")


def test_a_new_key_is_64_hex_characters_in_a_new_folder(tmp_path: Path) -> None:
    key = tmp_path / "etc" / "shadowai" / "secret.key"
    create_key(key)
    text = key.read_text(encoding="ascii")
    assert len(text) == 65 and text.endswith("\n")
    assert len(read_key(key)) == 32
    other = tmp_path / "other.key"
    create_key(other)
    assert read_key(other) != read_key(key)  # random, not derived


# -- the key ring folder ---------------------------------------------------------------------
def test_a_new_key_ring_is_created_private_with_its_parents_and_reused(tmp_path: Path) -> None:
    folder = tmp_path / "var" / "lib" / "shadowai.keys"
    ring = KeyRing(folder)
    october = ring.key("2026-10")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(ring.path("2026-10").stat().st_mode) == 0o600
    november = ring.key("2026-11")  # a second month in the existing folder
    assert ring.months() == ["2026-10", "2026-11"] and october != november
    again = KeyRing(folder)  # the next run reads the same keys
    assert (again.key("2026-10"), again.key("2026-11")) == (october, november)


def test_a_destroyed_key_leaves_no_byte_of_it_behind(tmp_path: Path) -> None:
    """Closing a month overwrites its key file in place before unlinking it: a hard link,
    or the file's blocks read back from the disk, hold random bytes, not the key."""
    ring = KeyRing(tmp_path / "keys")
    key = ring.key("2026-10")
    text = ring.path("2026-10").read_bytes()
    linked = tmp_path / "linked.key"
    linked.hardlink_to(ring.path("2026-10"))
    assert ring.destroy("2026-10") is True
    assert not ring.path("2026-10").exists() and ring.months() == []
    left = linked.read_bytes()
    assert len(left) >= len(text) == 65
    for start in range(0, 64, 8):  # no piece of the key's hex text survives
        assert text[start:start + 8] not in left
    assert key.hex().encode() not in left
    assert ring.destroy("2026-10") is False  # already gone: nothing to do


def test_no_key_is_made_up_for_a_closed_or_stored_month(tmp_path: Path) -> None:
    """A closed month's key was destroyed on purpose, a stored month's key must be the one
    its pseudonyms were made with: the ring refuses to create either, in a whole sentence,
    and leaves no file behind."""
    from shadowai.pseudonym import KeyMissingError

    ring = KeyRing(tmp_path / "keys")
    ring.closed, ring.protected = {"2026-09"}, {"2026-10"}
    with pytest.raises(KeyMissingError) as err:
        ring.key("2026-09")
    assert str(err.value) == ("2026-09 is closed: its key was destroyed and nothing can be "
                              "added to it.")
    with pytest.raises(KeyMissingError) as err:
        ring.key("2026-10")
    assert str(err.value) == (
        f"{ring.path('2026-10')}: the key of 2026-10 is missing from the key ring, but the "
        "store holds data of 2026-10 pseudonymised with it. Restore the file from your safe "
        "copy of the key ring and run again; a new key would count every person of the "
        "month twice. Nothing was written.")
    assert ring.months() == [] and ring.created == set()


def test_only_new_keys_of_months_that_got_data_are_announced(tmp_path: Path) -> None:
    """A run creates keys as months are met; it tells the operator about those that now
    protect data (a month whose lines were all rejected gets no message), once."""
    said: list[str] = []
    KeyRing(tmp_path / "keys").key("2026-09")  # an earlier run's key
    ring = KeyRing(tmp_path / "keys", notify=said.append)
    for month in ("2026-09", "2026-10", "2026-11"):
        ring.key(month)
    ring.announce({"2026-09", "2026-10", "2026-12"})
    assert said == [f"Created the key of 2026-10 in the key ring ({ring.path('2026-10')}, "
                    "mode 0600): pseudonyms of the month depend on it until the month is "
                    "closed."]
    ring.announce({"2026-10", "2026-11"})
    assert len(said) == 1


def test_a_destroyed_key_is_forgotten_by_the_running_ring(tmp_path: Path) -> None:
    """`close` then more lines of that month in the same process: the key read before the
    close must not linger in memory and pseudonymise them."""
    from shadowai.pseudonym import KeyMissingError

    ring = KeyRing(tmp_path / "keys")
    ring.key("2026-10")
    assert ring.destroy("2026-10") is True
    ring.closed.add("2026-10")
    with pytest.raises(KeyMissingError, match="2026-10 is closed"):
        ring.key("2026-10")
    assert ring.months() == []
