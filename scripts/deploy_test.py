#!/usr/bin/env python3
"""Deploy every stack of every synthesized example to a local CloudFormation endpoint and check
the result with describe calls.

    python3 scripts/deploy_test.py OUT_DIR [OUT_DIR...]

Each OUT_DIR is one example's synth output (manifest.json plus templates). The script starts
`moto_server` (PyPI `moto[server]`) on 127.0.0.1 on a free port, drives it with the real `aws`
CLI (PyPI `awscli`) using dummy credentials, and always stops the server it started, by pid.

Per example (moto is reset in between, so every example deploys into a fresh account: stack and
export names of different examples cannot collide, and no example sees another's resources):
  * assets (manifest `stacks[].assets`): each zip must exist, hash to its SHA-256 and open with
    zipfile; they are uploaded with `aws s3 cp` to a bucket created on the local S3, and every
    stack with assets gets that bucket as its bucket parameter.
  * every stack in `deployOrder`: `create-stack` (moto's `deploy` does not evaluate Outputs, so
    exports/imports need create-stack) and `wait stack-create-complete`; the stack must reach
    CREATE_COMPLETE. On failure: the stack, each failed resource (logical id, type) and the reason.
    moto raises instead of recording CREATE_FAILED events, so when the events name no resource the
    failing one is found by bisecting the template on a scratch moto server.
  * custom resources whose provider is an inline Python Lambda of the same stack are run locally
    against moto (moto needs Docker to run Lambda), see scripts/deploy/custom_resources.py.
  * resource types moto skipped (in the template, condition true, absent from
    list-stack-resources) are printed, never hidden.
  * created resources are checked by the verifier for their type (scripts/deploy/verifiers.py);
    other types are listed as not verified.

The last line is `deploy: X passed, Y failed`; the exit status is 0 only if every stack passed.
"""

import argparse
import hashlib
import json
import os
import signal
import sys
import tempfile
import time
import zipfile
from collections import Counter

sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from deploy.aws_cli import WAIT_TIMEOUT, Aws, AwsError  # noqa: E402
from deploy.custom_resources import is_custom, run_custom_resource  # noqa: E402
from deploy.moto_server import MotoError, MotoServer  # noqa: E402
from deploy.template import HOLE, Resolver, dependency_order, load_template  # noqa: E402
from deploy.verifiers import NOT_VERIFIABLE, VERIFIERS, read_attribute  # noqa: E402

CAPABILITIES = ("--capabilities", "CAPABILITY_IAM", "CAPABILITY_NAMED_IAM")
# The bucket assets are uploaded to on the local endpoint, passed as each stack's bucket parameter.
ASSETS_BUCKET = "deploy-test-assets"


def out(line=""):
    print(line, flush=True)


# -- examples ------------------------------------------------------------------------------------


class Stack:
    def __init__(self, out_dir, entry):
        self.name = entry["name"]
        self.dependencies = list(entry.get("dependencies", []))
        files = entry.get("templates", [])
        chosen = next((f for f in files if f.endswith(".json")), files[0] if files else None)
        if chosen is None:
            raise ValueError(f"stack {self.name} lists no template")
        self.path = os.path.abspath(os.path.join(out_dir, chosen))
        self.template = load_template(self.path)
        self.assets = list(entry.get("assets", []))

    def create_args(self):
        """The create-stack arguments: template, capabilities, and the assets bucket parameter."""
        args = ["--stack-name", self.name, "--template-body", f"file://{self.path}", *CAPABILITIES]
        params = sorted({a["bucketParameter"] for a in self.assets})
        if params:
            args += ["--parameters", *[f"ParameterKey={p},ParameterValue={ASSETS_BUCKET}" for p in params]]
        return args


class Example:
    def __init__(self, out_dir):
        self.dir = out_dir
        self.name = os.path.basename(os.path.normpath(out_dir))
        with open(os.path.join(out_dir, "manifest.json"), encoding="utf-8") as f:
            manifest = json.load(f)
        entries = {e["name"]: e for e in manifest.get("stacks", [])}
        order = manifest.get("deployOrder") or list(entries)
        missing = [n for n in order if n not in entries]
        if missing:
            raise ValueError(f"deployOrder names stacks the manifest does not list: {missing}")
        self.stacks = [Stack(out_dir, entries[n]) for n in order]
        # Each asset once (stacks may share one), in deploy order.
        self.assets = list({a["hash"]: a for s in self.stacks for a in s.assets}.values())

    def requires(self, stack):
        """Every stack `stack` depends on, transitively, in deploy order."""
        by_name = {s.name: s for s in self.stacks}
        need, todo = set(), list(stack.dependencies)
        while todo:
            n = todo.pop()
            if n not in need and n in by_name:
                need.add(n)
                todo += by_name[n].dependencies
        return [s for s in self.stacks if s.name in need]


# -- assets --------------------------------------------------------------------------------------


def check_asset(example, asset):
    """The problem with an asset's zip on disk, or None: it must exist, have the SHA-256 the
    manifest gives, and open with an independent zip reader."""
    path = os.path.join(example.dir, asset["file"])
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        return f"{asset['file']}: {e}"
    digest = hashlib.sha256(data).hexdigest()
    if digest != asset["hash"]:
        return f"{asset['file']}: SHA-256 is {digest}, the manifest says {asset['hash']}"
    try:
        with zipfile.ZipFile(path) as z:
            bad = z.testzip()
            if bad is not None:
                return f"{asset['file']}: entry {bad} is corrupt"
            if not z.namelist():
                return f"{asset['file']}: no entries"
    except zipfile.BadZipFile as e:
        return f"{asset['file']}: not a zip: {e}"
    return None


def upload_assets(aws, example):
    """Creates the assets bucket and uploads every asset of the example, as --print-deploy says
    (`aws s3 cp FILE s3://BUCKET/KEY`). Returns the problems, as {hash: message}."""
    problems = {}
    if not example.assets:
        return problems
    aws.run("s3api", "create-bucket", "--bucket", ASSETS_BUCKET)
    for asset in example.assets:
        problem = check_asset(example, asset)
        if problem is None:
            try:
                aws.run("s3", "cp", os.path.join(example.dir, asset["file"]),
                        f"s3://{ASSETS_BUCKET}/{asset['s3Key']}")
            except AwsError as e:
                problem = f"upload of {asset['file']} failed: {e.reason()}"
        if problem is not None:
            problems[asset["hash"]] = problem
    return problems


# -- results -------------------------------------------------------------------------------------


class Result:
    def __init__(self, example, stack):
        self.example, self.stack = example, stack
        self.passed = False
        self.stack_created = False  # reached CREATE_COMPLETE (checks may still have failed)
        self.created = self.skipped = self.verified = self.unverified = self.disabled = 0
        self.lines = []  # indented detail lines
        self.headline = ""
        self.seconds = 0.0

    def fail(self, msg):
        self.lines.append(f"FAIL {msg}")

    def print(self):
        state = "PASS" if self.passed else "FAIL"
        out(f"{state} {self.stack.name}: {self.headline} ({self.seconds:.1f}s)")
        for line in self.lines:
            out(f"    {line}")


# -- per-stack verification context --------------------------------------------------------------


class Item:
    def __init__(self, lid, rtype, props, physical):
        self.lid, self.type, self.props, self.physical = lid, rtype, props, physical


class StackContext:
    """What verifiers see: resolved resources of one deployed stack and a memoizing CLI."""

    def __init__(self, aws, stack, described, summaries, exports, azs):
        self.aws = aws
        self.stack = stack
        self.template = stack.template
        self.stack_id = described["StackId"]
        self.account = self.stack_id.split(":")[4]
        self.region = self.stack_id.split(":")[3]
        # (moto lists resources it skipped as rows with an empty logical id)
        self.physical = {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in summaries
                         if r.get("LogicalResourceId")}
        self.types = {lid: r["Type"] for lid, r in self.template.get("Resources", {}).items()}
        self._memo = {}
        self._attrs = {}
        params = {}
        declared = self.template.get("Parameters", {})
        for p in described.get("Parameters", []):
            value = p.get("ParameterValue")
            ptype = declared.get(p["ParameterKey"], {}).get("Type", "String")
            if value == "****":
                value = HOLE
            elif ptype.startswith("List<") or ptype == "CommaDelimitedList":
                value = value.split(",") if value else []
            params[p["ParameterKey"]] = value
        self.resolver = Resolver(
            self.template, params=params, physical=self.physical, exports=exports,
            account=self.account, region=self.region, stack_name=stack.name,
            stack_id=self.stack_id, azs=azs, getatt=self.getatt)
        self.enabled = [lid for lid in self.types if self.resolver.resource_enabled(lid)]
        self.items = {}
        for lid in self.enabled:
            if lid in self.physical:
                props = self.resolver.resolve(self.template["Resources"][lid].get("Properties", {}))
                self.items[lid] = Item(lid, self.types[lid], props, self.physical[lid])
        self.skipped = [lid for lid in self.enabled if lid not in self.physical]
        self.outcome = {}  # lid -> ("ok" | "fail" | "unverified", [messages], holes)
        self.notes = []

    # verifier API
    def call(self, *args):
        if args not in self._memo:
            self._memo[args] = self.aws.json(*args)
        return self._memo[args]

    def getatt(self, lid, attr):
        if lid not in self.physical:
            return HOLE
        key = (lid, attr)
        if key not in self._attrs:
            self._attrs[key] = read_attribute(self, self.types[lid], self.physical[lid], attr)
        return self._attrs[key]

    def created(self, *types):
        return [i for i in self.items.values() if i.type in types]

    def skipped_of(self, rtype):
        return [lid for lid in self.skipped if self.types[lid] == rtype]

    def result(self, item, errors, note=None, approx=0):
        if errors is None:
            self.outcome[item.lid] = ("unverified", [note] if note else [], 0)
        else:
            self.outcome[item.lid] = ("fail" if errors else "ok", list(errors), approx)

    def covered(self, item, how):
        self.outcome.setdefault(item.lid, ("ok", [], 0))

    def note(self, msg):
        if msg not in self.notes:
            self.notes.append(msg)


def verify(ctx, res):
    by_type = {}
    for item in ctx.items.values():
        by_type.setdefault(item.type, []).append(item)
    for rtype in sorted(by_type):
        fn = VERIFIERS.get(rtype)
        if fn is None:
            continue
        try:
            fn(ctx, by_type[rtype])
        except AwsError as e:
            for item in by_type[rtype]:
                ctx.outcome.setdefault(item.lid, ("fail", [f"describe failed: {e.reason()}"], 0))
        except Exception as e:  # a verifier bug must fail the stack loudly, not pass it
            for item in by_type[rtype]:
                ctx.outcome.setdefault(item.lid, ("fail", [f"verifier error: {type(e).__name__}: {e}"], 0))
    unverified = Counter()
    for lid, item in ctx.items.items():
        state, msgs, approx = ctx.outcome.get(lid, ("unverified", [], 0))
        if state == "ok":
            res.verified += 1
            if approx:
                res.lines.append(f"approx: {lid} ({item.type}): {approx} value(s) compared as wildcards "
                                 "(attributes not readable back or resources moto skipped)")
        elif state == "fail":
            for m in msgs:
                res.fail(f"{lid} ({item.type}): {m}")
        else:
            res.unverified += 1
            unverified[item.type] += 1
            for m in msgs:
                res.lines.append(f"not verified: {lid} ({item.type}): {m}")
    for rtype, n in sorted(unverified.items()):
        if rtype not in VERIFIERS:
            why = NOT_VERIFIABLE.get(rtype)
            res.lines.append(f"not verified: {rtype} ({n})" + (f": {why}" if why else ""))
    for n in ctx.notes:
        res.lines.append(f"note: {n}")


# -- failure reporting ---------------------------------------------------------------------------


def failed_events(aws, name):
    try:
        events = aws.json("cloudformation", "describe-stack-events", "--stack-name", name)["StackEvents"]
    except AwsError:
        return []
    return [e for e in reversed(events) if e.get("ResourceStatus", "").endswith("_FAILED")
            and e.get("ResourceType") != "AWS::CloudFormation::Stack"]


def stack_status(aws, name):
    try:
        s = aws.json("cloudformation", "describe-stacks", "--stack-name", name)["Stacks"][0]
        return s.get("StackStatus"), s.get("StackStatusReason")
    except (AwsError, IndexError, KeyError):
        return None, None


def create_error(e, moto, log_offset):
    """The reason a create-stack call failed; for moto's bare HTTP 500, the exception it logged."""
    if e.code is None and "500 Internal Server Error" in e.stderr:
        exc = moto.last_exception(log_offset)
        return f"moto internal error: {exc}" if exc else "moto internal error (HTTP 500)"
    return e.reason()


def bisect_failure(example, stack):
    """moto raises instead of recording a CREATE_FAILED event: find the first resource (in
    dependency order) whose addition makes create-stack fail, on a scratch moto server that gets
    the stack's prerequisites deployed before every trial. Returns (logical id or None, reason)."""
    order = dependency_order(stack.template)
    prereqs = example.requires(stack)
    with tempfile.TemporaryDirectory(prefix="deploy-bisect-") as tmp, MotoServer() as scratch:
        aws = Aws(scratch.endpoint)

        def trial(k, outputs):
            scratch.reset()
            upload_assets(aws, example)
            for dep in prereqs:
                aws.run("cloudformation", "create-stack", *dep.create_args())
            body = {key: v for key, v in stack.template.items() if key != "Outputs" or outputs}
            body["Resources"] = {lid: stack.template["Resources"][lid] for lid in order[:k]}
            path = os.path.join(tmp, f"trial-{k}.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(body, f)
            offset = scratch.log_size()
            try:
                args = stack.create_args()
                args[args.index("--template-body") + 1] = f"file://{path}"
                aws.run("cloudformation", "create-stack", *args)
                return None
            except AwsError as e:
                return create_error(e, scratch, offset)

        try:
            full = trial(len(order), outputs=False)
            if full is None:
                return "Outputs", trial(len(order), outputs=True)
            # Smallest k in 0..n whose first k resources fail (k = 0: the template itself, e.g.
            # a parameter without a value).
            lo, hi, reason = 0, len(order), full
            while lo < hi:
                mid = (lo + hi) // 2
                err = trial(mid, outputs=False)
                if err is None:
                    lo = mid + 1
                else:
                    hi, reason = mid, err
            return (order[lo - 1] if lo else "Template"), reason
        except AwsError as e:
            return None, f"(bisecting failed: {e.reason()})"


def report_failure(res, aws, example, stack, error):
    status, status_reason = stack_status(aws, stack.name)
    res.headline = f"create-stack failed: {error}"
    events = failed_events(aws, stack.name)
    for e in events:
        res.lines.append(f"failed resource: {e['LogicalResourceId']} ({e.get('ResourceType')}): "
                         f"{e['ResourceStatus']}: {e.get('ResourceStatusReason', '')}")
    if not events:
        lid, reason = bisect_failure(example, stack)
        if lid in ("Outputs", "Template"):
            where = "the Outputs section" if lid == "Outputs" else "the template, before any resource"
            res.lines.append(f"failed in {where}: {reason}")
        elif lid:
            rtype = stack.template["Resources"][lid].get("Type")
            res.lines.append(f"failed resource: {lid} ({rtype}): {reason}")
            res.lines.append("(moto records no CREATE_FAILED events: the resource was found by "
                             "bisecting the template on a scratch moto server)")
        else:
            res.lines.append(f"failed resource: unknown {reason}")
    res.lines.append(f"stack status: {status or 'no stack'}" + (f" ({status_reason})" if status_reason else ""))


# -- deploying -----------------------------------------------------------------------------------


def context(aws, stack, azs):
    """A StackContext for the stack as it is now (describe, list resources, exports)."""
    described = aws.json("cloudformation", "describe-stacks", "--stack-name", stack.name)["Stacks"][0]
    summaries = aws.json("cloudformation", "list-stack-resources", "--stack-name",
                         stack.name)["StackResourceSummaries"]
    exports = {e["Name"]: e["Value"] for e in aws.json("cloudformation", "list-exports").get("Exports", [])}
    return described, summaries, StackContext(aws, stack, described, summaries, exports, azs)


def run_custom_resources(aws, moto, stack, azs, res):
    """moto cannot run the Lambda behind a custom resource (it needs Docker), so the stack waits
    in CREATE_IN_PROGRESS: run inline Python providers here (deploy/custom_resources.py).
    Returns the custom resources that could not be completed, as (logical id, type, reason)."""
    _, _, ctx = context(aws, stack, azs)
    stuck = []
    for lid in dependency_order(stack.template):
        if lid in ctx.enabled and is_custom(ctx.types[lid]):
            ok, msg = run_custom_resource(moto.endpoint, ctx, lid)
            if ok:
                res.lines.append(f"custom resource {lid} ({ctx.types[lid]}): {msg}")
            else:
                stuck.append((lid, ctx.types[lid], msg))
    return stuck


def deploy_stack(aws, moto, example, stack, azs):
    res = Result(example, stack)
    t0 = time.monotonic()
    log_offset = moto.log_size()
    try:
        try:
            aws.run("cloudformation", "create-stack", *stack.create_args())
        except AwsError as e:
            report_failure(res, aws, example, stack, create_error(e, moto, log_offset))
            return res
        # moto creates synchronously: a stack still in progress now waits for custom resources.
        if stack_status(aws, stack.name)[0] == "CREATE_IN_PROGRESS":
            stuck = run_custom_resources(aws, moto, stack, azs, res)
            if stack_status(aws, stack.name)[0] == "CREATE_IN_PROGRESS":
                # Nothing else would complete it: report now instead of waiting out the waiter.
                res.headline = "stack stuck in CREATE_IN_PROGRESS"
                for lid, rtype, why in stuck:
                    res.lines.append(f"failed resource: {lid} ({rtype}): {why}")
                if not stuck:
                    res.lines.append("failed resource: unknown (no custom resource pending)")
                return res
        try:
            aws.run("cloudformation", "wait", "stack-create-complete", "--stack-name", stack.name,
                    timeout=WAIT_TIMEOUT)
        except AwsError as e:
            report_failure(res, aws, example, stack, e.reason())
            return res
        described, summaries, ctx = context(aws, stack, azs)
        if described.get("StackStatus") != "CREATE_COMPLETE":
            report_failure(res, aws, example, stack, f"status {described.get('StackStatus')}")
            return res
        res.stack_created = True
        res.created = len(ctx.items)
        res.skipped = len(ctx.skipped)
        res.disabled = len(ctx.types) - len(ctx.enabled)
        for rtype, n in sorted(Counter(ctx.types[lid] for lid in ctx.skipped).items()):
            res.lines.append(f"skipped by moto: {rtype} ({n})")
        if res.disabled:
            res.lines.append(f"not created (condition false): {', '.join(l for l in ctx.types if l not in ctx.enabled)}")
        not_running = [s for s in summaries if s.get("LogicalResourceId")
                       and s.get("ResourceStatus") not in ("CREATE_COMPLETE", None)]
        for s in not_running:
            res.fail(f"{s['LogicalResourceId']} ({s.get('ResourceType')}): {s.get('ResourceStatus')}")
        verify(ctx, res)
        failures = [line for line in res.lines if line.startswith("FAIL")]
        res.passed = not failures
        res.headline = (f"{res.created} resources created, {res.skipped} skipped by moto, "
                        f"{res.verified} verified, {res.unverified} not verified")
        if failures:
            res.headline = f"CREATE_COMPLETE but {len(failures)} check(s) failed; " + res.headline
    except AwsError as e:
        res.passed = False
        res.headline = f"describe failed: {e.reason()}"
    finally:
        res.seconds = time.monotonic() - t0
    return res


def deploy_example(aws, moto, example):
    out(f"== {example.name}: {len(example.stacks)} stack(s) in order {', '.join(s.name for s in example.stacks)}")
    azs = [z["ZoneName"] for z in aws.json("ec2", "describe-availability-zones")["AvailabilityZones"]]
    asset_problems = upload_assets(aws, example)
    if example.assets:
        uploaded = len(example.assets) - len(asset_problems)
        out(f"assets: {uploaded} of {len(example.assets)} checked and uploaded to s3://{ASSETS_BUCKET}")
    results, not_created = [], set()
    for stack in example.stacks:
        # A stack whose checks failed still exists, so its dependents deploy; one that was not
        # created blocks them.
        blocked = [d.name for d in example.requires(stack) if d.name in not_created]
        bad_assets = [asset_problems[a["hash"]] for a in stack.assets if a["hash"] in asset_problems]
        if blocked:
            res = Result(example, stack)
            res.headline = f"not deployed: depends on {', '.join(blocked)}, which was not created"
        elif bad_assets:
            res = Result(example, stack)
            res.headline = "not deployed: an asset cannot be uploaded"
            for problem in bad_assets:
                res.fail(f"asset {problem}")
        else:
            res = deploy_stack(aws, moto, example, stack, azs)
        if not res.stack_created:
            not_created.add(stack.name)
        res.print()
        results.append(res)
    return results


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dirs", nargs="+", metavar="OUT_DIR", help="one example's synth output")
    args = parser.parse_args(argv)

    # SIGTERM/SIGHUP (CI cancelling the job) unwind like Ctrl-C, so the server is always stopped.
    def stop(signum, _frame):
        raise SystemExit(128 + signum)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, stop)

    examples = []
    for d in args.out_dirs:
        try:
            examples.append(Example(d))
        except (OSError, ValueError, KeyError) as e:
            out(f"error: {d}: cannot read the synth output: {e}")
            out(f"deploy: 0 passed, {len(args.out_dirs)} failed")
            return 1
    total = sum(len(e.stacks) for e in examples)
    t0 = time.monotonic()
    results, calls = [], 0
    try:
        with MotoServer() as moto:
            out(f"moto_server pid {moto.proc.pid} listening on {moto.endpoint}")
            aws = Aws(moto.endpoint)
            for i, example in enumerate(examples):
                if i:
                    moto.reset()  # a fresh account per example: no name collisions across examples
                results += deploy_example(aws, moto, example)
            pid, calls = moto.proc.pid, aws.calls
        out(f"moto_server pid {pid} stopped")
    except (MotoError, AwsError, OSError) as e:
        out(f"error: {e}")
    except (KeyboardInterrupt, SystemExit):
        out("deploy: interrupted (moto_server stopped)")
        raise
    passed = sum(1 for r in results if r.passed)
    failed = total - passed
    out(f"deploy: {total} stacks in {len(examples)} example(s), {calls} aws CLI calls, "
        f"{time.monotonic() - t0:.1f}s")
    out(f"deploy: {passed} passed, {failed} failed")
    return 0 if failed == 0 and passed == total else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
