"""Reads the JSON reports of the API fuzzing pass (``scripts/fuzz-api``) and fails on what they show.

A run fails on its own (schemathesis' exit code) on a server error, a response that does not match its documented
schema, an undocumented status code or a wrong content type. This adds what one run cannot judge: every operation
was tested in every run, none errored or was skipped, and every operation answered something other than
401/403 for at least one of the credentials (anonymous or a role's token) — an operation that every caller is
refused was never really exercised. Prints the figures for the record.
Usage: python -m tests.fuzz.check_reports REPORT.json [REPORT.json …]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(paths: list[str]) -> int:
    problems: list[str] = []
    refused_everywhere: set[str] | None = None
    total_cases = 0
    operations = 0
    for path in paths:
        report = json.loads(Path(path).read_text(encoding="utf-8"))
        name = Path(path).stem
        ops = report["operations"]
        operations = max(operations, ops["selected"])
        total_cases += report["test_cases"]["generated"]
        if report["exit_code"] != 0 or report["failures"]:
            problems.append(f"{name}: {len(report['failures'])} failures (exit code {report['exit_code']})")
        if ops["tested"] != ops["selected"] or ops["errored"] or ops["skipped"]:
            problems.append(f"{name}: {ops['tested']} of {ops['selected']} operations tested, "
                            f"{ops['errored']} errored, {ops['skipped']} skipped")
        if report["errors"]:
            problems.append(f"{name}: {len(report['errors'])} errors")
        refused = set(report["warnings"].get("missing_auth", []))
        refused_everywhere = refused if refused_everywhere is None else refused_everywhere & refused
        print(f"{name}: {ops['tested']}/{ops['selected']} operations, {report['test_cases']['generated']} requests, "
              f"{len(refused)} operations refused to this caller, {report['running_time']:.0f} s")
    for op in sorted(refused_everywhere or ()):
        problems.append(f"never exercised (every caller refused): {op}")
    print(f"total: {operations} operations, {total_cases} requests over {len(paths)} credentials")
    for problem in problems:
        print(f"FAIL {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
