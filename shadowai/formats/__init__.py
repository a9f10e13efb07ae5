"""Log formats. Importing this package registers every built-in format: each public
module of this package (not starting with ``_``) registers its formats at import, so adding
a format is adding one file."""

import importlib
import pkgutil

from shadowai.formats._base import (
    REGISTRY,
    Detection,
    FileContext,
    Format,
    detect,
    file_context,
    get,
    set_file_context,
)

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    if not _module.startswith("_"):
        importlib.import_module(f"{__name__}.{_module}")

__all__ = ["REGISTRY", "Detection", "FileContext", "Format", "detect", "file_context", "get",
           "set_file_context"]
