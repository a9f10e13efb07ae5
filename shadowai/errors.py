"""Expected failures. The CLI turns each into one line on stderr and an exit code."""

from __future__ import annotations


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


#: The stop signals received (SIGINT, SIGTERM, SIGHUP), first first. Set by the CLI's
#: handler; the ingest loop reads it so an interruption that a library wrapped in its own
#: exception still stops the run instead of failing one file.
STOPPED_BY: list[int] = []


def where(path: object, line: int | None = None) -> str:
    """Format a file location the way every message names it: ``path`` or ``path:line``."""
    return f"{path}:{line}" if line else f"{path}"
