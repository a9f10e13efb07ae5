"""Deep fuzzing before a release: the properties of tests/test_fuzz.py with many more
random examples (hypothesis profile "deep", not derandomised), then the slowest parse seen.

    python scripts/fuzz.py            # 3,000 examples per format (hours on 2 cores)
    SHADOWAI_FUZZ_EXAMPLES=200 python scripts/fuzz.py   # about ten minutes
    python scripts/fuzz.py -k squid   # one family of formats

Any failure is shrunk by hypothesis to a minimal line and printed; add it to the test
table as a regression case once fixed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    with tempfile.NamedTemporaryFile("r", suffix=".tsv") as worst:
        env = {**os.environ, "SHADOWAI_FUZZ_PROFILE": "deep", "SHADOWAI_FUZZ_WORST": worst.name}
        code = subprocess.call([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                                str(REPO / "tests" / "test_fuzz.py"), *sys.argv[1:]],
                               cwd=REPO, env=env)
        rows = [line.split("\t") for line in worst.read().splitlines()]
    rows.sort(key=lambda r: -float(r[0]))
    print(f"{len(rows):,} parses timed; slowest:")
    for seconds, name, longest in rows[:10]:
        print(f"  {float(seconds) * 1000:8.1f} ms  {name:18} longest line {int(longest):,} chars")
    return code


if __name__ == "__main__":
    sys.exit(main())
