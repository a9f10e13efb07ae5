"""Expected failures. The CLI turns each into one line on stderr and an exit code."""

from __future__ import annotations

import signal


class ShadowaiError(Exception):
    """A failure the user can fix; its message says what failed, where, and what to do."""

    exit_code = 1


class ConfigError(ShadowaiError):
    """A bad configuration value or file."""


class InputError(ShadowaiError):
    """An input file that cannot be opened, decompressed or recognised."""


class DirectoryError(ShadowaiError):
    """A malformed user, network or headcount map."""


class CatalogError(ShadowaiError):
    """An invalid catalog (domains/ or an organisation overlay)."""


class StoreError(ShadowaiError):
    """A store that cannot be opened or is from an unknown schema version."""


#: Signals that stop a run: the file being stored is rolled back, no other file starts;
#: exit code 128 + the signal's number, as shells report it. The CLI handles them; a
#: process pool holds them while its workers start.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
#: The stop signals received (SIGINT, SIGTERM, SIGHUP), first first. Set by the CLI's
#: handler; the ingest loop reads it so an interruption that a library wrapped in its own
#: exception still stops the run instead of failing one file.
STOPPED_BY: list[int] = []


def printable(text: str) -> str:
    """``text`` with the bytes of a file name that is not valid UTF-8 (``caf\\xe9.log``
    on an old share: Python keeps them as lone surrogates) written as ``\\xe9``: such a
    string cannot be printed on a UTF-8 terminal nor stored by DuckDB."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return text


def where(path: object, line: int | None = None) -> str:
    """Format a file location the way every message names it: ``path`` or ``path:line``."""
    return printable(f"{path}:{line}" if line else f"{path}")
