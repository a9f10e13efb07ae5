"""Log formats. Importing this package registers every built-in format."""

from shadowai.formats import fortigate, squid, suricata, w3c, zeek  # noqa: F401  (registers at import)
from shadowai.formats._base import REGISTRY, Detection, Format, detect, get

__all__ = ["REGISTRY", "Detection", "Format", "detect", "get"]
