#!/usr/bin/env python3
"""Independent scanners over the examples' templates, with one suppressions file.

    scan.py checkov CHECKOV TEMPLATE_DIR   run checkov (the given executable) over every
                                           *.template.json under TEMPLATE_DIR (the YAML twins
                                           say the same) and apply
                                           scanners/suppressions.toml
    scan.py render                         write docs/SCANNERS.md from the suppressions file
    scan.py check-docs                     exit 1 when docs/SCANNERS.md is out of date

`checkov` exits 1 when a finding is not covered by a suppression, or when a suppression (a check
and one of its resource patterns) covers no finding any more: a stale entry would hide the next
real finding of that check. Patterns match `Type.LogicalId` with `*` for any run of characters.
"""

import fnmatch
import json
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUPPRESSIONS = ROOT / "scanners" / "suppressions.toml"
DOCS = ROOT / "docs" / "SCANNERS.md"


def load():
    with SUPPRESSIONS.open("rb") as f:
        return tomllib.load(f)


def short(path, template_dir):
    """A template's path as checkov prints it, relative to the template directory."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path(template_dir).resolve()))
    except ValueError:
        return str(path).lstrip("/")


def checkov(executable, template_dir):
    config = load()
    templates = sorted(Path(template_dir).rglob("*.template.json"))
    if not templates:
        sys.exit(f"no templates under {template_dir}")
    # --skip-download: no call home for guidelines (CI reaches package registries only).
    run = subprocess.run(
        [executable, "--framework", "cloudformation", "--skip-download", "--quiet",
         "--compact", "--output", "json"] + [a for t in templates for a in ("--file", str(t))],
        capture_output=True, text=True, check=False)
    # checkov exits 1 when any check fails; anything else, or no JSON, is a broken run.
    if run.returncode not in (0, 1):
        sys.exit(f"checkov failed ({run.returncode}):\n{run.stderr}")
    reports = json.loads(run.stdout) if run.stdout.strip() else []
    if isinstance(reports, dict):
        reports = [reports]
    findings = []
    for report in reports:
        if report.get("summary", {}).get("parsing_errors"):
            sys.exit(f"checkov could not parse a template: {report['summary']}")
        for failed in report["results"]["failed_checks"]:
            findings.append((failed["check_id"], failed["resource"], failed["file_path"]))
    if not any(r.get("check_type") == "cloudformation" for r in reports):
        sys.exit("checkov scanned no CloudFormation template")

    entries = config.get("checkov", [])
    used = set()
    unsuppressed = []
    for check, resource, path in findings:
        hit = [(i, p) for i, e in enumerate(entries) if e["check"] == check
               for p in e["resources"] if fnmatch.fnmatchcase(resource, p)]
        used.update(hit)
        if not hit:
            unsuppressed.append((check, resource, path))
    stale = [(e["check"], p) for i, e in enumerate(entries) for p in e["resources"]
             if (i, p) not in used]

    per_file = Counter(path for _, _, path in findings)
    print(f"checkov {config['scanners']['checkov']['version']}: {len(templates)} templates, "
          f"{len(findings)} findings, {len(findings) - len(unsuppressed)} suppressed "
          f"with a reason, {len(unsuppressed)} not")
    for path, n in sorted(per_file.items()):
        print(f"  {n:3} {short(path, template_dir)}")
    for check, resource, path in unsuppressed:
        print(f"UNSUPPRESSED {check} {resource} in {short(path, template_dir)}")
    for check, pattern in stale:
        print(f"STALE suppression {check} {pattern}: no finding matches it any more; remove it")
    if unsuppressed or stale:
        print("fix the finding, or list it with its reason in scanners/suppressions.toml "
              "(then `python3 scripts/scan.py render`)")
        sys.exit(1)


def render():
    config = load()
    guard = config["scanners"]["cfn-guard"]
    lines = [
        "# Independent scanners",
        "",
        "<!-- Generated from scanners/suppressions.toml by `python3 scripts/scan.py render`;",
        "     scripts/test-all.sh fails when this file is out of date. Do not edit by hand. -->",
        "",
        "`scripts/test-all.sh` runs these scanners over every template every example emits. Each",
        "finding is either fixed in the library or listed below with the reason it stays; the run",
        "fails on a finding that is not listed, and on a listed one that no longer occurs.",
        "",
        "## checkov",
        "",
        f"Version {config['scanners']['checkov']['version']}: "
        f"{config['scanners']['checkov']['how']}.",
        "",
        "| check | resources | why it stays |",
        "|---|---|---|",
    ]
    for e in config.get("checkov", []):
        resources = "<br>".join(f"`{p}`" for p in e["resources"])
        reason = " ".join(e["reason"].split())
        lines.append(f"| `{e['check']}` {e['title']} | {resources} | {reason} |")
    lines += [
        "",
        "## cfn-guard",
        "",
        f"Status: {guard['status']}. " + " ".join(guard["reason"].split()),
        "",
    ]
    return "\n".join(lines)


def main():
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "checkov" and len(sys.argv) == 4:
        checkov(sys.argv[2], sys.argv[3])
    elif command == "render":
        DOCS.parent.mkdir(exist_ok=True)
        DOCS.write_text(render())
    elif command == "check-docs":
        if not DOCS.exists() or DOCS.read_text() != render():
            sys.exit("docs/SCANNERS.md is out of date: run `python3 scripts/scan.py render`")
        print("docs/SCANNERS.md matches scanners/suppressions.toml")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
