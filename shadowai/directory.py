"""Who belongs to which department: a user map first, then a network (CIDR) map, else
``unassigned``. Works on distinct identities only, never per log line."""

from __future__ import annotations

import csv
import difflib
import ipaddress
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from shadowai.errors import DirectoryError

UNASSIGNED = "unassigned"
#: Which map placed an identity (stored with it: the directory coverage of a month).
BY_USERS, BY_NETWORKS = "users", "networks"
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def normalise_user(raw: str | None) -> str | None:
    """One identity per person whatever the logging style: case, ``DOMAIN\\user``,
    ``user@realm`` and LDAP DNs (``CN=name,OU=…``) are folded; ``-`` and empty mean no user.
    Non-ASCII names are NFC-normalised first, so composed and decomposed accents agree."""
    if raw is None:
        return None
    user = unicodedata.normalize("NFC", raw.strip())
    if user in ("", "-"):
        return None
    if user[:3].lower() == "cn=":  # LDAP DN: the common name is the identity
        return ldap_first_value(user[3:]).strip().casefold() or None
    user = user.rsplit("\\", 1)[-1]
    if "@" in user:
        user = user.split("@", 1)[0]
    return user.casefold() or None


def ldap_first_value(rest: str) -> str:
    """The value of a DN's first attribute, ``rest`` being the DN after ``CN=``, with the
    RFC 4514 escapes undone: ``\\,`` and the other escaped specials stand for themselves,
    ``\\C3\\A9`` for the UTF-8 bytes they spell. The value ends at the first unescaped
    ``,`` or ``+`` (the next attribute). So ``Martin\\, Hélène,OU=DSI`` is
    ``Martin, Hélène``, never just ``Martin``."""
    out = bytearray()
    i = 0
    while i < len(rest):
        char = rest[i]
        if char in ",+":
            break
        if char == "\\" and i + 1 < len(rest):
            pair = rest[i + 1:i + 3]
            if len(pair) == 2 and all(c in "0123456789abcdefABCDEF" for c in pair):
                out.append(int(pair, 16))
                i += 3
                continue
            char = rest[i + 1]
            i += 1
        out += char.encode()
        i += 1
    # Hex escapes may spell a decomposed accent: normalise again after decoding.
    return unicodedata.normalize("NFC", out.decode("utf-8", errors="replace"))


def read_map(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, list[str]]]:
    """Rows of a small CSV map, with their line numbers; the header must be ``columns``."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.reader(fh)
            header = [c.strip().lower() for c in next(reader, [])]
            if tuple(header) != columns:
                raise DirectoryError(f"{path}:1: header must be '{','.join(columns)}' "
                                     f"(found '{','.join(header)}').")
            for row in reader:
                if not row or not "".join(row).strip() or row[0].startswith("#"):
                    continue
                if len(row) != len(columns):
                    raise DirectoryError(f"{path}:{reader.line_num}: expected "
                                         f"{len(columns)} columns ({','.join(columns)}), "
                                         f"found {len(row)}.")
                yield reader.line_num, [c.strip() for c in row]
    except OSError as exc:
        raise DirectoryError(f"{path}: cannot read ({exc.strerror}). Fix [directory] in "
                             "the config.") from None
    except UnicodeDecodeError:
        raise DirectoryError(f"{path}: not UTF-8 text. Save it as UTF-8 CSV.") from None


@dataclass
class Directory:
    users: dict[str, str] = field(default_factory=dict)
    networks: list[tuple[Network, str]] = field(default_factory=list)
    headcount: dict[str, int] = field(default_factory=dict)
    #: Contradictions found while loading (the CLI prints them as warnings).
    warnings: list[str] = field(default_factory=list)
    _by_prefix: dict[tuple[int, int], dict[int, str]] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, users: Path | None, networks: Path | None,
             headcount: Path | None) -> Directory:
        d = cls()
        if users:
            first_line: dict[str, int] = {}
            for line, (user, dept) in read_map(users, ("user", "department")):
                key = normalise_user(user)
                if not key or not dept:
                    raise DirectoryError(f"{users}:{line}: empty user or department.")
                if d.users.get(key, dept) != dept:  # the login is not repeated: cron mails
                    d.warnings.append(f"{users}:{line}: the user of line {first_line[key]} "
                                      f"is listed again, in {d.users[key]!r} there; this "
                                      f"later line wins ({dept!r}).")
                first_line.setdefault(key, line)
                d.users[key] = dept
        if networks:
            for line, (cidr, dept) in read_map(networks, ("cidr", "department")):
                try:
                    net = ipaddress.ip_network(cidr, strict=False)
                except ValueError:
                    raise DirectoryError(f"{networks}:{line}: {cidr!r} is not a network "
                                         "(expected e.g. 10.12.0.0/16).") from None
                if not dept:
                    raise DirectoryError(f"{networks}:{line}: empty department.")
                earlier = next((dep for n, dep in d.networks if n == net), None)
                if earlier is not None:
                    d.warnings.append(f"{networks}:{line}: network {net} is listed again; "
                                      f"the first line wins ({earlier!r}).")
                d.networks.append((net, dept))
        if headcount:
            listed: dict[str, int] = {}
            for line, (dept, count) in read_map(headcount, ("department", "headcount")):
                if not count.isdigit():
                    raise DirectoryError(f"{headcount}:{line}: headcount {count!r} is not "
                                         "a whole number.")
                if dept in listed:  # a repeat or a part of it? Adoption would be a guess
                    raise DirectoryError(
                        f"{headcount}:{line}: department {dept!r} is already listed on line "
                        f"{listed[dept]}; give each department's headcount once (add up "
                        "its lines if they are parts of it).")
                listed[dept] = line
                d.headcount[dept] = int(count)
        d._index()
        return d

    def _index(self) -> None:
        # Longest-prefix match as one dict probe per prefix length in use (a handful),
        # instead of testing every network.
        for net, dept in self.networks:
            table = self._by_prefix.setdefault((net.version, net.prefixlen), {})
            table.setdefault(int(net.network_address), dept)

    def department(self, user: str | None, client_ip: str | None) -> str:
        return self.resolve(user, client_ip)[0]

    def resolve(self, user: str | None, client_ip: str | None) -> tuple[str, str]:
        """(department, which map placed it: ``users``, ``networks`` or ``unassigned``)."""
        if user and user in self.users:
            return self.users[user], BY_USERS
        if client_ip and self._by_prefix:
            try:
                ip = ipaddress.ip_address(client_ip.strip("[]"))
            except ValueError:
                return UNASSIGNED, UNASSIGNED
            bits = 32 if ip.version == 4 else 128
            value = int(ip)
            for (version, plen), table in sorted(self._by_prefix.items(),
                                                 key=lambda kv: -kv[0][1]):
                if version != ip.version:
                    continue
                dept = table.get(value >> (bits - plen) << (bits - plen))
                if dept is not None:
                    return dept, BY_NETWORKS
        return UNASSIGNED, UNASSIGNED

    def mismatches(self) -> list[dict[str, str | None]]:
        """Department names that one map uses and another does not know, each with the
        closest name of the other side (spelling, or an acronym such as DSI), so that a
        headcount that names a department differently does not pass silently."""
        mapped = set(self.users.values()) | {dept for _, dept in self.networks}
        counted = set(self.headcount)
        if not mapped or not counted:
            return []
        out: list[dict[str, str | None]] = []
        for name in sorted(counted - mapped):
            out.append({"name": name, "found_in": "headcount", "missing_from": "users/networks",
                        "suggestion": close_match(name, mapped)})
        for name in sorted(mapped - counted):
            out.append({"name": name, "found_in": "users/networks", "missing_from": "headcount",
                        "suggestion": close_match(name, counted)})
        return out

    def check(self) -> list[str]:
        """One warning line per department name the maps disagree on."""
        lines = []
        for m in self.mismatches():
            hint = f"; did you mean {m['suggestion']!r}?" if m["suggestion"] else "."
            lines.append(f"department {m['name']!r} is in the {m['found_in']} map but not in "
                         f"the {m['missing_from']} map{hint}")
        return lines


_STOPWORDS = {"de", "des", "du", "la", "le", "les", "l", "d", "et", "of", "the", "and"}


def acronym(name: str) -> str:
    """``Direction des systèmes d'information`` -> ``DSI``."""
    words = name.replace("'", " ").replace("\u2019", " ").replace("-", " ").split()
    return "".join(w[0] for w in words if w.lower() not in _STOPWORDS).upper()


def close_match(name: str, candidates: set[str]) -> str | None:
    """The candidate that is ``name`` misspelt, or whose acronym ``name`` is (or the other
    way round); None when nothing is close."""
    folded = {c.casefold(): c for c in candidates}
    found = difflib.get_close_matches(name.casefold(), list(folded), n=1, cutoff=0.75)
    if found:
        return folded[found[0]]
    key = name.replace(".", "").upper()
    by_acronym = [c for c in sorted(candidates) if len(key) > 1 and
                  (acronym(c) == key or c.replace(".", "").upper() == acronym(name))]
    return by_acronym[0] if len(by_acronym) == 1 else None
