"""`make fuzz`: hostile input against the three readers (.env, variables.yaml, presets), via the CLI.

Every input is written to a file and handed to the real click group in-process (`validate
--offline --config FILE`, then `network` and `export` when it is accepted, and `presets list`
with it in the user's preset folder), so it meets exactly the code a user's file meets. An input
may be accepted (exit 0/1) or refused (exit 2, with a message naming the file); anything else
(an exception escaping the CLI) is a traceback, and a run taking over a second is a hang.
Both must be 0.

Inputs: mutations of every seed file (tests/corpus, the built-in presets, and the AI Factory's
own .env.template and variables.yaml when ../shared/reference is there), structure generated
from the shapes of those files, and the slowest shapes we know built up to the size limit.
The run is seeded, so a finding can be replayed; each offending input is kept in --keep.

`python -m bench.fuzz --inputs 100000 --write` records the result in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

PROJECT = Path(__file__).resolve().parents[1]
CORPUS = PROJECT / "tests" / "corpus"
BUILTIN_PRESETS = PROJECT / "presets" / "builtin"
REFERENCE = PROJECT.parent / "shared" / "reference" / "aifactory"
REFERENCE_FILES = {"env": REFERENCE / "github-actions" / ".env.template",
                   "ado": REFERENCE / "azure-devops" / "variables.yaml"}
"""The AI Factory's own files (read-only reference data beside the project; absent on a user's machine)."""

Target = Literal["env", "ado", "preset"]
FILE_NAMES: dict[Target, str] = {"env": ".env", "ado": "variables.yaml", "preset": "preset.yaml"}
"""The name an input is written under decides which reader `--config` hands it to."""
HANG_SECONDS = 1.0
"""An input that one CLI command takes longer than this to answer counts as a hang.

Measured as the CPU time of this process, not wall time: the machines we run on are shared, and
a neighbour's load says nothing about what an input costs."""
ABORT_SECONDS = 30
"""A run still going after this is interrupted and recorded as a hang."""
MAX_INPUT = 600 * 1024
"""Mutations may grow an input a little past the readers' 512 KB limit, to exercise that refusal too."""

TOKENS: tuple[bytes, ...] = (
    b"[", b"]", b"{", b"}", b"[[[[[[[[", b"{a: {b: {c: ", b"- - - - ", b"&a ", b"*a", b"<<: ", b"? ",
    b"!!binary aGk=", b"!!int x", b"!!bool x", b"!!omap x", b"!!set {a}", b"!!timestamp 2001-12-14",
    b"!!float x", b"!!null x", b"!!str ", b"!custom ", b"!!python/object:os.system ", b"%YAML 1.1\n",
    b"%TAG ! tag:x,2000:\n", b"---\n", b"...\n", b"\t", b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\x07", b"\x1b[31m",
    b"\r", b"\r\n", b"\xe2\x80\xa8", b'"', b"'", b"\\", b"#", b": ", b"-1", b"0x" + b"f" * 5000, b"9" * 4400,
    b"1e999", b".nan", b"2001-12-14", b"10.0.0.0/0", b"300.1.0.0/16", b"XX", b"~", b"null", b"yes",
    b"$(id)", b"`id`", b"${HOME}", b"export ", b"KEY=", b"=", b"version: 0\n", b"version: 99\n",
    b"extends: poc-standalone\n", b"extends: 2001-12-14\n", b"landing_zone: abc\n", b"mode: hub_spoke\n",
)
"""Bytes that mean something to one of the readers, spliced in by the mutator."""


def seeds() -> dict[Target, list[bytes]]:
    """The files every mutation starts from, by the reader they are meant for."""
    found: dict[Target, list[bytes]] = {"env": [], "ado": [], "preset": []}
    interop = CORPUS / "interop"
    found["env"] += [p.read_bytes() for p in sorted(interop.glob("*.env"))]
    found["ado"] += [p.read_bytes() for p in sorted(interop.glob("*.yaml"))]
    found["preset"] += [p.read_bytes() for p in sorted((CORPUS / "presets").glob("*.yaml"))]
    found["preset"] += [p.read_bytes() for p in sorted(BUILTIN_PRESETS.glob("*.yaml"))]
    found["preset"].append((CORPUS / "default-config.yaml").read_bytes())
    for target, path in REFERENCE_FILES.items():
        if path.is_file():
            found[target].append(path.read_bytes())  # type: ignore[index]
    return found


# ------------------------------------------------------------------------------------ inputs


def mutate(data: bytes, rng: random.Random, others: Sequence[bytes]) -> bytes:
    """`data` with one to four random edits: flips, inserts, deletions, repeats, splices, tokens."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        at = rng.randint(0, len(out))
        op = rng.randrange(9)
        if op == 0 and out:
            out[min(at, len(out) - 1)] ^= 1 << rng.randrange(8)
        elif op == 1:
            out[at:at] = bytes([rng.randrange(256)])
        elif op == 2:
            del out[at : at + rng.randint(1, 64)]
        elif op in (3, 4):
            out[at:at] = rng.choice(TOKENS) * (rng.choice((1, 1, 2, 50, 500)) if op == 4 else 1)
        elif op == 5:
            chunk = bytes(out[at : at + rng.randint(1, 200)])
            out[at:at] = chunk * rng.randint(2, 100)
        elif op == 6:
            other = rng.choice(others)
            start = rng.randint(0, len(other))
            out[at:at] = other[start : start + rng.randint(1, 400)]
        elif op == 7:
            lines = bytes(out).split(b"\n")
            index = rng.randrange(len(lines))
            lines.insert(rng.randrange(len(lines) + 1), lines[index])
            out = bytearray(b"\n".join(lines))
        else:
            lines = bytes(out).split(b"\n")
            index = rng.randrange(len(lines))
            lines[index] = b" " * rng.choice((1, 2, 4, 8)) + lines[index]
            out = bytearray(b"\n".join(lines))
    return bytes(out[:MAX_INPUT])


PRESET_KEYS = ("landing_zone", "mode", "naming", "prefix", "environments", "dev", "stage", "prod", "enabled",
               "region", "cidr_octet", "network", "vnet_cidr", "projects", "number", "members", "services",
               "skus", "models", "model", "access", "ip_allow_list", "description", "extends", "version",
               "aifactory_extra", "security", "keyvault_soft_delete_days", "identity", "tenant_id")
ADO_KEYS = ("admin_aifactorySuffixRG", "common_vnet_cidr", "dev_cidr_range", "test_cidr_range", "project_number_000",
            "admin_keyvaultSoftDeleteDays", "tags", "dev_sub_id", "aifactory_location", "tag_repository")
ENV_KEYS = ("AIFACTORY_LOCATION", "COMMON_VNET_CIDR", "DEV_CIDR_RANGE", "PROJECT_NUMBER", "DEV_SUBSCRIPTION_ID",
            "TAGS", "AZURE_CLIENT_SECRET", "AIFACTORY_SUFFIX", "RUN_JOB1_NETWORKING")


def _scalar(rng: random.Random) -> str:
    """A scalar as YAML text, often one a reader must think about."""
    choices: tuple[Callable[[], str], ...] = (
        lambda: str(rng.randint(-5, 300)),
        lambda: rng.choice(("true", "no", "~", "null", "''", '""', ".inf", "-.nan", "1e3", "0o17", "0b101")),
        lambda: "0x" + "f" * rng.choice((1, 8, 40, 4400)),
        lambda: "9" * rng.choice((3, 19, 4301, 5000)),
        lambda: rng.choice(("2001-12-14", "2001-12-14 21:59:43.10 -5", "10.0.0.0/0", "172.16.XX.0/26")),
        lambda: rng.choice(("!!binary aGVsbG8=", "!!bool x", "!!int x", "!!omap x", "!!float x", "!!str 7",
                            "!!set {a}", "!shell ls", "!!python/name:os.system")),
        lambda: '"' + rng.choice(("a\\x00b", "\\u2028", "it's", "[[[", "a\\", "\\q")) + '"',
        lambda: "'" + rng.choice(("a''b", "[{", "#x")) + "'",
        lambda: "".join(rng.choice("ab [{,:#&*!|>'\"%@`-?") for _ in range(rng.randint(1, 12))),
        lambda: rng.choice(("standalone", "hub_spoke", "vwan", "hybrid", "mesh", "westeurope", "001")),
    )
    return rng.choice(choices)()


def _nested(rng: random.Random, keys: Sequence[str], depth: int, budget: int = 500) -> str:
    """Random nested YAML in block and flow style: `depth` levels and `budget` nodes at most
    (depth alone would grow exponentially; the deep, narrow documents are what we want)."""
    left = budget

    def node(depth: int, indent: int) -> str:
        nonlocal left
        left -= 1
        kind = rng.random()
        if depth <= 0 or left <= 0 or kind < 0.45:
            return " " + _scalar(rng)
        if kind < 0.6:  # flow
            if rng.random() < 0.5:
                return " [" + ", ".join(node(depth - 1, 0).strip() for _ in range(rng.randint(0, 3))) + "]"
            pairs = (f"{rng.choice(keys)}: {node(depth - 1, 0).strip()}" for _ in range(rng.randint(0, 3)))
            return " {" + ", ".join(pairs) + "}"
        pad = " " * (indent + rng.choice((2, 2, 2, 1, 4)))
        if kind < 0.75:
            return "".join(f"\n{pad}-{node(depth - 1, len(pad))}" for _ in range(rng.randint(1, 3)))
        return "".join(f"\n{pad}{rng.choice(keys)}:{node(depth - 1, len(pad))}" for _ in range(rng.randint(1, 4)))

    return "".join(f"\n  {rng.choice(keys)}:{node(depth, 2)}" for _ in range(rng.randint(1, 8)))


def generate(rng: random.Random) -> tuple[Target, bytes]:
    """A document built from the shape of one reader's files, with random depth, styles and values."""
    target: Target = rng.choice(("env", "ado", "preset"))
    if target == "env":
        lines = []
        for _ in range(rng.randint(1, 12)):
            value = rng.choice((_scalar(rng), f'"{_scalar(rng)}"', f"'{_scalar(rng)}'"))
            comment = rng.choice(("", " # note", "# x", " # [{title}]"))
            lines.append(f"{rng.choice(('', 'export '))}{rng.choice(ENV_KEYS)}={value}{comment}")
        return target, "\n".join(lines).encode("utf-8", "surrogatepass")
    keys = ADO_KEYS if target == "ado" else PRESET_KEYS
    depth = rng.choice((1, 2, 3, 5, 8, 40))
    body = _nested(rng, keys, depth)
    head = "variables:" if target == "ado" else rng.choice(("version: 1\nenvironments:", "version: 0\nnetwork:", "x:"))
    return target, (head + body + "\n").encode()


def worst_cases(limit: int) -> Iterator[tuple[str, Target, bytes]]:
    """The slowest shapes we know, each built up to (just under) the readers' size limit."""
    def fill(head: str, unit: str, tail: str = "") -> bytes:
        return (head + unit * ((limit - len(head) - len(tail) - 64) // len(unit)) + tail).encode()

    yield "long plain scalar", "preset", fill("description: ", "x")
    yield "long double-quoted scalar", "preset", fill('description: "', "ab\\u00e9", '"\n')
    yield "block scalar", "preset", fill("description: |\n", "  " + "x" * 70 + "\n")
    yield "comments only", "preset", fill("", "# " + "c" * 70 + "\n")
    yield "many keys (event cap)", "preset", fill("aifactory_extra:\n", "  k: v\n")
    yield "flow list of numbers (event cap)", "ado", fill("variables:\n  a: [", "1,", "1]\n")
    yield "flow nesting at the depth limit", "preset", fill("x:\n", "- " + "[a, " * 30 + "]" * 30 + "\n")
    yield "flow nesting past the limit", "preset", fill("x: ", "[a, ")
    yield "block nesting past the limit", "preset", b"".join(b" " * i + b"a:\n" for i in range(5000))[:limit - 64]
    yield "sequence nesting", "ado", fill("variables:\n  a: ", "- ")
    yield "long single line of brackets in a comment", "ado", fill("variables:\n  a: 1 # ", "[")
    yield "quoted brackets", "ado", fill('variables:\n  a: "', "[{", '"\n')
    yield "many variables", "ado", fill("variables:\n", "  k: v\n")
    yield "one long key", "preset", fill("", "k", ": 1\n")
    yield "one long .env key", "env", fill("", "K", "=1\n")
    yield "many .env lines", "env", fill("", 'KEY_NAME="value value value"\n')
    yield "one long .env value", "env", fill('KEY="', "v", '"\n')
    yield "many .env comments", "env", fill("", "# " + "c" * 70 + "\n")


# ------------------------------------------------------------------------------------ running


class _Hung(Exception):
    """Raised by the alarm when one input runs past ABORT_SECONDS."""


@dataclass
class Outcome:
    """What the CLI did with one input."""

    kind: Literal["accepted", "refused", "traceback", "hang", "unnamed"]
    """accepted (exit 0/1), refused (exit 2 naming the file), or a defect: a traceback, a hang, or a
    refusal whose message does not name the file."""
    seconds: float
    detail: str = ""
    lined: bool = True
    """For a refusal: whether the message gives a line number."""


@dataclass
class Harness:
    """Runs inputs through the CLI in one scratch folder, with the user's folders pointed into it."""

    root: Path
    standalone: bool = True
    """Point the user's folders into `root` and interrupt runaway inputs with an alarm; a test
    suite that isolates the folders itself (and times nothing) passes False."""
    list_every: int = 10
    """Every n-th preset input is also put in the user's preset folder and listed."""
    _count: int = field(default=0, init=False)
    _slowest: float = field(default=0.0, init=False)
    """CPU seconds of the slowest command run for the current input."""

    def __post_init__(self) -> None:
        from click.testing import CliRunner

        from wizard.cli import cli

        if self.standalone:
            for var in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
                os.environ[var] = str(self.root / var.lower())
            signal.signal(signal.SIGALRM, _alarm)
        self.runner = CliRunner()
        self.cli = cli
        self.folder = self.root / "inputs"
        self.folder.mkdir(parents=True, exist_ok=True)

    def _invoke(self, args: list[str]) -> tuple[int | None, str, BaseException | None]:
        start = time.process_time()
        result = self.runner.invoke(self.cli, args)
        self._slowest = max(self._slowest, time.process_time() - start)
        error = result.exception
        if isinstance(error, SystemExit):
            error = None
        return result.exit_code, result.output, error

    def run(self, target: Target, data: bytes) -> Outcome:
        """One input through `validate`, and when accepted `network` and `export`; the slowest counts."""
        self._count += 1
        path = self.folder / FILE_NAMES[target]
        path.write_bytes(data)
        self._slowest = 0.0
        if self.standalone:
            signal.setitimer(signal.ITIMER_REAL, ABORT_SECONDS)
        try:
            outcome = self._check(target, path)
        except _Hung:
            outcome = Outcome("hang", 0.0, f"interrupted after {ABORT_SECONDS} s")
        finally:
            if self.standalone:
                signal.setitimer(signal.ITIMER_REAL, 0)
        outcome.seconds = self._slowest
        if self.standalone and outcome.kind in ("accepted", "refused") and outcome.seconds > HANG_SECONDS:
            outcome.kind = "hang"
            outcome.detail = f"took {outcome.seconds:.2f} s"
        return outcome

    def _check(self, target: Target, path: Path) -> Outcome:
        code, output, error = self._invoke(["validate", "--offline", "--json", "--config", str(path)])
        if error is not None:
            return _defect(error)
        if code == 2:
            if str(path) not in output:
                return Outcome("unnamed", 0.0, output.strip()[-300:])
            return Outcome("refused", 0.0, lined=f"{path}:" in output)
        if code not in (0, 1):
            return Outcome("traceback", 0.0, f"validate exited {code}: {output[-300:]}")
        fmt = "env" if self._count % 2 else "ado"
        for args in (["network", "--json", "--config", str(path)],
                     ["export", "--format", fmt, "--config", str(path)]):
            code, output, error = self._invoke(args)
            if error is not None:
                return _defect(error)
            if code not in (0, 1, 2):
                return Outcome("traceback", 0.0, f"{args[0]} exited {code}: {output[-300:]}")
        if target == "preset" and self._count % self.list_every == 0:
            listed = self._list(path)
            if listed is not None:
                return listed
        return Outcome("accepted", 0.0)

    def _list(self, path: Path) -> Outcome | None:
        """`presets list --json` with this input among the user's presets: it must show them all."""
        import json

        from presets.store import user_presets_dir

        folder = user_presets_dir()
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, folder / "fuzzed.yaml")
        code, output, error = self._invoke(["presets", "list", "--json"])
        if error is not None:
            return _defect(error)
        names = [entry["name"] for entry in json.loads(output)] if code == 0 else []
        if "fuzzed" not in names or len(names) < len(list(BUILTIN_PRESETS.glob("*.yaml"))) + 1:
            return Outcome("traceback", 0.0, f"presets list exited {code} without every preset: {output[-300:]}")
        return None


def _defect(error: BaseException) -> Outcome:
    if isinstance(error, _Hung):
        return Outcome("hang", 0.0, f"interrupted after {ABORT_SECONDS} s")
    lines = traceback.format_exception(error)
    return Outcome("traceback", 0.0, "".join(lines[-6:]).strip())


def _alarm(signum: int, frame: Any) -> None:
    raise _Hung


# ------------------------------------------------------------------------------------ the run


@dataclass
class Tally:
    """Counts and extremes over a run."""

    outcomes: Counter[str] = field(default_factory=Counter)
    by_origin: Counter[str] = field(default_factory=Counter)
    unlined: int = 0
    slowest: tuple[float, str] = (0.0, "")
    hungriest: tuple[float, str] = (0.0, "")
    """The largest rise of the peak memory by one input (MB), and which input."""
    findings: list[tuple[str, str, Path]] = field(default_factory=list)

    def add(self, origin: str, target: Target, data: bytes, outcome: Outcome, keep: Path,
            memory_rise: float = 0.0) -> None:
        self.outcomes[outcome.kind] += 1
        if memory_rise > self.hungriest[0]:
            self.hungriest = (memory_rise, f"{origin} ({target}, {len(data):,} bytes)")
        self.by_origin[origin] += 1
        if outcome.kind == "refused" and not outcome.lined:
            self.unlined += 1
        if outcome.seconds > self.slowest[0]:
            self.slowest = (outcome.seconds, f"{origin} ({target}, {len(data):,} bytes)")
        if outcome.kind in ("traceback", "hang", "unnamed"):
            keep.mkdir(parents=True, exist_ok=True)
            kept = keep / f"{len(self.findings):04d}-{outcome.kind}-{FILE_NAMES[target].lstrip('.')}"
            kept.write_bytes(data)
            self.findings.append((outcome.kind, outcome.detail, kept))


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def fuzz(inputs: int, seed: int, keep: Path) -> list[str]:
    """Run `inputs` inputs and return the report lines."""
    from wizard.safe_yaml import MAX_BYTES

    rng = random.Random(seed)
    corpus = seeds()
    everything = [data for files in corpus.values() for data in files]
    tally = Tally()
    with tempfile.TemporaryDirectory(prefix="aifactory-fuzz-") as scratch:
        harness = Harness(Path(scratch))
        baseline = _baseline(harness, corpus)
        rss_before = _peak_rss_mb()
        started = time.perf_counter()
        worst: list[tuple[str, float, str]] = []
        for name, target, data in worst_cases(MAX_BYTES):
            peak = _peak_rss_mb()
            outcome = harness.run(target, data)
            tally.add("size-limit shapes", target, data, outcome, keep, _peak_rss_mb() - peak)
            worst.append((name, outcome.seconds, outcome.kind))
        for number in range(inputs - len(worst)):
            origin, kind, data = _next_input(rng, corpus, everything)
            peak = _peak_rss_mb()
            outcome = harness.run(kind, data)
            tally.add(origin, kind, data, outcome, keep, _peak_rss_mb() - peak)
            if number % 5000 == 0:
                print(f"  {number:,} inputs, {dict(tally.outcomes)}", file=sys.stderr, flush=True)
        elapsed = time.perf_counter() - started
    return _report(inputs, seed, tally, worst, baseline, elapsed, rss_before, _peak_rss_mb(), MAX_BYTES)


def _next_input(rng: random.Random, corpus: dict[Target, list[bytes]],
                everything: Sequence[bytes]) -> tuple[str, Target, bytes]:
    """One input: a fifth generated structure, the rest mutated seeds (a tenth handed to another reader)."""
    if rng.random() < 0.2:
        return ("generated structure", *generate(rng))
    target: Target = rng.choice(("env", "ado", "preset"))
    data = mutate(rng.choice(corpus[target]), rng, everything)
    if rng.random() < 0.1:
        target = rng.choice(("env", "ado", "preset"))
    return "mutated seed", target, data


def _baseline(harness: Harness, corpus: dict[Target, list[bytes]]) -> tuple[str, float]:
    """The time the CLI takes over the AI Factory's real variables.yaml (else the largest ADO seed)."""
    path = REFERENCE_FILES["ado"]
    data = path.read_bytes() if path.is_file() else max(corpus["ado"], key=len)
    runs = sorted(harness.run("ado", data).seconds for _ in range(5))
    return (f"{path.name if path.is_file() else 'largest ADO seed'} ({len(data):,} bytes)", runs[2])


def _report(inputs: int, seed: int, tally: Tally, worst: list[tuple[str, float, str]], baseline: tuple[str, float],
            elapsed: float, rss_before: float, rss_after: float, limit: int) -> list[str]:
    outcomes = tally.outcomes
    defects = outcomes["traceback"] + outcomes["hang"] + outcomes["unnamed"]
    lines = [f"## Fuzz (make fuzz: {inputs:,} inputs, seed {seed}, through the CLI in-process)", ""]
    lines += [
        f"- inputs: {sum(outcomes.values()):,} ({', '.join(f'{n:,} {k}' for k, n in sorted(tally.by_origin.items()))})",
        f"- accepted (exit 0/1): {outcomes['accepted']:,}",
        f"- refused with exit 2 naming the file: {outcomes['refused']:,} "
        f"({outcomes['refused'] - tally.unlined:,} with a line number)",
        f"- tracebacks: {outcomes['traceback']}",
        f"- hangs over {HANG_SECONDS:.0f} s: {outcomes['hang']}",
        f"- refusals not naming the file: {outcomes['unnamed']}",
        f"- slowest command on one input (CPU s): {tally.slowest[0]:.3f}, {tally.slowest[1]}",
        f"- baseline, the CLI over {baseline[0]} (CPU s): {baseline[1]:.3f}",
        f"- slowest input / baseline: {tally.slowest[0] / baseline[1]:.1f}",
        f"- wall time (s): {elapsed:.0f}, {elapsed / max(inputs, 1) * 1000:.1f} ms per input",
        f"- peak memory (RSS, MB): {rss_after:.0f}, after start-up {rss_before:.0f} "
        f"(ratio {rss_after / rss_before:.2f})",
        f"- largest rise of that peak by one input (MB): {tally.hungriest[0]:.0f}, {tally.hungriest[1]}; "
        "the rest of the peak builds up in the harness, not the readers (tracemalloc: click.testing keeps "
        "each in-process invocation's streams; a user's command runs in a process of its own)",
        f"- shapes built up to the {limit // 1024} KB size limit (CPU s of the slowest command, outcome):",
    ]
    lines += [f"  - {name}: {seconds:.3f}, {kind}" for name, seconds, kind in worst]
    lines.append(f"- verdict: {'PASS' if defects == 0 else 'FAIL'} ({defects} defect(s))")
    for kind, detail, kept in tally.findings[:20]:
        lines.append(f"  - {kind}: {kept}: {detail.splitlines()[-1] if detail else ''}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.fuzz", description=__doc__.split("\n")[0])
    parser.add_argument("--inputs", type=int, default=100_000, help="how many inputs (default 100,000)")
    parser.add_argument("--seed", type=int, default=7, help="random seed, to replay a run")
    parser.add_argument("--keep", type=Path, default=Path(tempfile.gettempdir()) / "aifactory-fuzz-findings",
                        help="folder for inputs that found a defect")
    parser.add_argument("--write", action="store_true", help="record the result in bench/RESULTS.md")
    args = parser.parse_args()
    lines = fuzz(args.inputs, args.seed, args.keep)
    print("\n".join(lines), flush=True)
    if args.write:
        from bench import results

        results.record([lines])
        print("wrote bench/RESULTS.md", file=sys.stderr)
    if any(line.startswith("- verdict: FAIL") for line in lines):
        sys.exit(1)


if __name__ == "__main__":
    main()
