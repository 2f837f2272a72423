#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Lints an OpenAPI document with Spectral and the NL API Design Rules ruleset.

Usage: check-openapi-lint.py SOURCE_ROOT RULESET SPEC [--expect-errors]

Spectral is installed by .ci/install-npm-tools into SOURCE_ROOT/_tools. Without it (or
without the ruleset) this FAILS rather than skips: the lint is the API's conformance test.
Every finding is printed; the exit status is non-zero on any error. With --expect-errors the
roles turn: the document must give at least one error (proves the lint is really applied).
"""

import json
import os
import subprocess
import sys


def main():
    args = [a for a in sys.argv[1:] if a != "--expect-errors"]
    expect_errors = "--expect-errors" in sys.argv[1:]
    if len(args) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    source_root, ruleset, spec = args
    spectral = os.path.join(source_root, "_tools", "node_modules", ".bin", "spectral")
    if not os.access(spectral, os.X_OK):
        print(f"Spectral is not installed ({spectral} is missing): "
              "run .ci/install-npm-tools (bash .ci/install-npm-tools) first.")
        return 1
    if not os.path.isfile(ruleset):
        print(f"The NL API Design Rules ruleset {ruleset} is missing: it lives in "
              "../shared/api/ beside the checkout.")
        return 1

    # JSON output to count by severity; Spectral's exit code says whether any error was found.
    result = subprocess.run(
        [spectral, "lint", "--ruleset", ruleset, "--format", "json", "--fail-severity", "error",
         "--quiet", spec],
        capture_output=True, text=True, timeout=300, check=False)
    try:
        findings = json.loads(result.stdout) if result.stdout.strip() else []
    except json.JSONDecodeError:
        print(result.stdout)
        print(result.stderr, file=sys.stderr)
        print("Spectral did not produce JSON output.")
        return 1

    names = {0: "error", 1: "warning", 2: "info", 3: "hint"}
    counts = {name: 0 for name in names.values()}
    for finding in findings:
        severity = names.get(finding.get("severity"), "error")
        counts[severity] += 1
        start = finding.get("range", {}).get("start", {})
        print(f"{severity}: {finding.get('code')}: {finding.get('message')} "
              f"at {'.'.join(str(p) for p in finding.get('path', []))} "
              f"(line {start.get('line', 0) + 1})")
    if result.stderr.strip():
        print(result.stderr, file=sys.stderr)
    print(f"{os.path.basename(spec)}: {counts['error']} errors, {counts['warning']} warnings, "
          f"{counts['info']} infos, {counts['hint']} hints")

    if result.returncode not in (0, 1):
        print(f"Spectral failed to run (exit status {result.returncode}).")
        return 1
    if expect_errors:
        if counts["error"] == 0:
            print("Expected lint errors in this document, found none.")
            return 1
        return 0
    return 1 if counts["error"] > 0 or result.returncode != 0 else 0


if __name__ == "__main__":
    sys.exit(main())
