"""Spark for the tests: whether it can run here, and a Spark Connect server on 127.0.0.1
(local[2,2]) for the whole test session, started from PySpark's own
sbin/start-connect-server.sh and bundled jar: nothing is downloaded.

conftest.py boots the server as soon as collection shows a test that needs it, so its JVM
starts while the first tests run (they leave the second core idle) rather than in the
middle of the suite; the ``connect_server`` fixture waits until it listens."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    work: Path
    log: IO[bytes]

    @property
    def url(self) -> str:
        return f"sc://127.0.0.1:{self.port}"

    def output(self) -> str:
        return (self.work / "server.log").read_text(errors="replace")[-1500:]

    def wait(self, seconds: int = 600) -> str | None:
        """None once it listens, else why not."""
        for _ in range(seconds):
            if self.process.poll() is not None:
                return "the Spark Connect server stopped: " + self.output()
            with socket.socket() as client:
                if client.connect_ex(("127.0.0.1", self.port)) == 0:
                    return None
            time.sleep(1)
        return f"the Spark Connect server did not listen within {seconds} s"

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # its own session: script and JVM
        self.process.wait(timeout=120)
        self.log.close()
        shutil.rmtree(self.work, ignore_errors=True)


def spark_unavailable() -> str | None:
    """Why Spark cannot run here (no PySpark, no Java), or None."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install -e '.[spark]')"
    if not shutil.which("java"):
        return "no Java runtime (apt-get install openjdk-17-jre-headless)"
    return None


def unavailable() -> str | None:
    """Why no Spark Connect server can start here, or None."""
    reason = spark_unavailable()
    if reason:
        return reason
    import pyspark

    home = Path(pyspark.__file__).parent
    if not (home / "sbin" / "start-connect-server.sh").exists() or not list(
            (home / "jars").glob("spark-connect_*.jar")):
        return ("this PySpark ships no Spark Connect server (PySpark 3.5 fetches it with "
                "--packages); PySpark 4.x has it")
    try:
        import grpc  # noqa: F401
    except ImportError:
        return "no Spark Connect client: pip install 'pyspark[connect]' (in shadowai[spark])"
    return None


def start() -> Server:
    import pyspark

    script = Path(pyspark.__file__).parent / "sbin" / "start-connect-server.sh"
    work = Path(tempfile.mkdtemp(prefix="shadowai-connect-"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "SPARK_LOCAL_IP": "127.0.0.1", "SPARK_LOG_DIR": str(work),
           "SPARK_PID_DIR": str(work), "PYSPARK_PYTHON": sys.executable,
           "PYTHONPATH": os.pathsep.join(sys.path)}
    log = (work / "server.log").open("wb")
    process = subprocess.Popen(
        ["bash", str(script), "--wait", "--master", "local[2,2]",
         "--conf", "spark.connect.grpc.binding.address=127.0.0.1",
         "--conf", f"spark.connect.grpc.binding.port={port}"],
        stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    return Server(process, port, work, log)
