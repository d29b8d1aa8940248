"""Start and stop a local moto server (PyPI `moto[server]`) on 127.0.0.1 only.

The server runs through the interpreter running this script (`python -m moto.server`), so a
fresh `pip install -r scripts/requirements.txt` is enough: no PATH or shim lookup. It is stopped
by the process id this module started (terminate, then kill), never by name.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from .aws_cli import sandbox_env

HOST = "127.0.0.1"
START_TIMEOUT = 30.0  # seconds until the server must answer
STOP_TIMEOUT = 10.0  # seconds to wait after terminate (and again after kill)
HTTP_TIMEOUT = 10.0  # per request to the moto API


class MotoError(RuntimeError):
    pass


def free_loopback_port():
    """A port the kernel considers free on 127.0.0.1 (bind port 0, read it back, release it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]




class MotoServer:
    """`with MotoServer() as moto:` starts a server on a free loopback port and always stops it."""

    def __init__(self, start_timeout=START_TIMEOUT):
        self.start_timeout = start_timeout
        self.proc = None
        self.port = None
        self.log = None

    @property
    def endpoint(self):
        return f"http://{HOST}:{self.port}"

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def start(self):
        # The port can be taken between probing and moto binding it: retry a few times.
        last = None
        for _ in range(3):
            self.port = free_loopback_port()
            self.log = tempfile.NamedTemporaryFile(prefix="moto-", suffix=".log", delete=False)
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "moto.server", "-H", HOST, "-p", str(self.port)],
                stdin=subprocess.DEVNULL,
                stdout=self.log,
                stderr=subprocess.STDOUT,
                env=sandbox_env(),
            )
            try:
                self._wait_ready()
                return
            except MotoError as e:
                last = e
                self.stop()
        raise last

    def _wait_ready(self):
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise MotoError(
                    f"moto_server exited with code {self.proc.returncode} before answering:\n"
                    + self.log_tail()
                )
            try:
                with urllib.request.urlopen(self.endpoint + "/moto-api/", timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, socket.timeout):
                pass
            time.sleep(0.1)
        raise MotoError(f"moto_server did not answer on {self.endpoint} within {self.start_timeout:.0f}s")

    def reset(self):
        """Forget every resource and stack (moto's reset endpoint): a fresh account and region."""
        req = urllib.request.Request(self.endpoint + "/moto-api/reset", method="POST", data=b"")
        with urllib.request.urlopen(req, timeout=HTTP_TIMEOUT) as r:
            if r.status != 200:
                raise MotoError(f"moto reset answered HTTP {r.status}")

    def log_tail(self, lines=20):
        if not self.log:
            return ""
        try:
            with open(self.log.name, encoding="utf-8", errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""

    def log_size(self):
        try:
            return os.path.getsize(self.log.name) if self.log else 0
        except OSError:
            return 0

    def log_since(self, offset):
        """The server log written after byte `offset` (tracebacks of moto's own errors land here)."""
        try:
            with open(self.log.name, encoding="utf-8", errors="replace") as f:
                f.seek(offset)
                return f.read()
        except (OSError, AttributeError):
            return ""

    def last_exception(self, offset):
        """The exception line of the last traceback moto logged after byte `offset`, if any (moto
        answers an unhandled error with a bare HTTP 500 page; the cause is only in its log)."""
        text = self.log_since(offset)
        if "Traceback (most recent call last):" not in text:
            return None
        block = text.rsplit("Traceback (most recent call last):", 1)[1].splitlines()[1:]
        for line in block:
            if line and not line[0].isspace():
                return line.strip()
        return None

    def stop(self):
        """Stop the process this object started, by its pid: terminate, then kill; bounded waits."""
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.kill()
                try:
                    proc.wait(timeout=STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    print(f"warning: moto_server pid {proc.pid} did not exit after kill", file=sys.stderr)
        if self.log is not None:
            self.log.close()
            try:
                os.unlink(self.log.name)
            except OSError:
                pass
            self.log = None
