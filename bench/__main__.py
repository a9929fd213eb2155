"""`python -m bench`: run every benchmark and print its ratios; `--write` updates bench/RESULTS.md."""

from __future__ import annotations

import argparse
import sys

from bench import (
    dashboard,
    deploy_run,
    preflight,
    project_plan,
    results,
    server_load,
    startup,
    wizard_live,
    wizard_picker,
    wizard_start,
)

BENCHMARKS = {"startup": startup.report, "preflight": preflight.report, "server": server_load.report,
              "wizard_start": wizard_start.report, "wizard_live": wizard_live.report,
              "deploy_run": deploy_run.report, "project_plan": project_plan.report, "dashboard": dashboard.report,
              "wizard_picker": wizard_picker.report}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("names", nargs="*", help=f"benchmarks to run: {', '.join(BENCHMARKS)} (default all)")
    parser.add_argument("--write", action="store_true", help="record the results in bench/RESULTS.md")
    args = parser.parse_args()
    unknown = [n for n in args.names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    print(results.header(), flush=True)
    sections = []
    for name in args.names or BENCHMARKS:
        section = BENCHMARKS[name]()
        print("\n".join(["", *section]), flush=True)
        sections.append(section)
    if args.write:
        results.record(sections)
        print("wrote bench/RESULTS.md", file=sys.stderr)


if __name__ == "__main__":
    main()
