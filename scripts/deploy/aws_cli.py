"""The real `aws` CLI (PyPI `awscli`), run through this interpreter (`python -m awscli`) against a
local endpoint with dummy credentials, so nothing on the machine (profiles, PATH, pagers, a real
account) takes part."""

import json
import os
import re
import subprocess
import sys

REGION = "us-east-1"
CALL_TIMEOUT = 60.0  # seconds per CLI call
WAIT_TIMEOUT = 120.0  # seconds for `aws cloudformation wait ...` (its own default is an hour)


class AwsError(RuntimeError):
    """A failed CLI call; `.code` is the AWS error code when the CLI printed one."""

    def __init__(self, args, returncode, stderr, timed_out=False):
        self.cli_args = args
        self.returncode = returncode
        self.stderr = stderr.strip()
        self.timed_out = timed_out
        m = re.search(r"An error occurred \(([^)]*)\) when calling the (\w+) operation: (.*)", self.stderr, re.S)
        if m:
            self.code, self.operation, self.message = m.group(1), m.group(2), m.group(3).strip()
        else:
            self.code, self.operation, self.message = None, None, self.stderr
        super().__init__(self.reason())

    def reason(self):
        if self.timed_out:
            return f"timed out: aws {' '.join(self.cli_args[:2])}"
        if self.code:
            return f"{self.code}: {self.message}"
        return self.message or f"aws {' '.join(self.cli_args[:2])} exited with {self.returncode}"


def sandbox_env(**extra):
    """The caller's environment without any AWS_ variable, plus fake credentials for the local
    server and `extra`: nothing in it can reach a real account."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(extra)
    env.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_SESSION_TOKEN="testing",
        AWS_DEFAULT_REGION=REGION,
        AWS_REGION=REGION,
        AWS_PAGER="",
        # No profile or config of this machine's user takes part.
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_EC2_METADATA_DISABLED="true",
    )
    return env


def cli_env():
    return sandbox_env()


class Aws:
    def __init__(self, endpoint):
        self.endpoint = endpoint
        self.env = cli_env()
        self.calls = 0

    def run(self, *args, timeout=CALL_TIMEOUT):
        """Run `aws ARGS`; return stdout; raise AwsError on a non-zero exit or timeout."""
        args = [str(a) for a in args]
        cmd = [sys.executable, "-m", "awscli", "--endpoint-url", self.endpoint, "--region", REGION,
               "--output", "json", *args]
        self.calls += 1
        try:
            p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                               env=self.env, timeout=timeout)
        except subprocess.TimeoutExpired as e:
            raise AwsError(args, None, (e.stderr or b"").decode("utf-8", "replace")
                           if isinstance(e.stderr, bytes) else (e.stderr or ""), timed_out=True)
        if p.returncode != 0:
            raise AwsError(args, p.returncode, p.stderr)
        return p.stdout

    def json(self, *args, timeout=CALL_TIMEOUT):
        out = self.run(*args, timeout=timeout)
        return json.loads(out) if out.strip() else {}
