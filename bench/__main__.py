"""`python -m bench`: run every benchmark and print its ratios; `--write` updates bench/RESULTS.md."""

from __future__ import annotations

import argparse
import platform
import sys
from datetime import date
from pathlib import Path

from bench import preflight, server_load, startup, wizard_live, wizard_start

BENCHMARKS = {"startup": startup.report, "preflight": preflight.report, "server": server_load.report,
              "wizard_start": wizard_start.report, "wizard_live": wizard_live.report}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("names", nargs="*", help=f"benchmarks to run: {', '.join(BENCHMARKS)} (default all)")
    parser.add_argument("--write", action="store_true", help="record the results in bench/RESULTS.md")
    args = parser.parse_args()
    unknown = [n for n in args.names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    lines = [f"# Benchmark results ({date.today()}, Python {platform.python_version()}, "
             f"{platform.machine()}, {__import__('os').cpu_count()} cores)", ""]
    for name in args.names or BENCHMARKS:
        section = BENCHMARKS[name]()
        print("\n".join(section), flush=True)
        lines += [*section, ""]
    if args.write:
        (Path(__file__).parent / "RESULTS.md").write_text("\n".join(lines), encoding="utf-8")
        print("wrote bench/RESULTS.md", file=sys.stderr)


if __name__ == "__main__":
    main()
