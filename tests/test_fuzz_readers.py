"""Fuzz, bounded for CI: the three readers (.env, variables.yaml, presets) never give a traceback.

The same harness as `make fuzz` (bench/fuzz.py): each input goes through the CLI in-process
(`validate --offline --config FILE`, then `network`, `export` and, for presets, `presets list`)
and must be accepted or refused with a message naming the file. Hypothesis drives the mutator
and the generator with a fixed seed, so a CI failure replays; `make fuzz` runs 100,000 inputs.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.fuzz import Harness, Target, generate, mutate, seeds

SEEDS = seeds()
EVERYTHING = [data for files in SEEDS.values() for data in files]
TARGETS: tuple[Target, ...] = ("env", "ado", "preset")
FUZZ = settings(max_examples=45, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture
def harness(tmp_path: Path) -> Harness:
    """A harness in this test's folders (conftest already points the user's folders at tmp)."""
    return Harness(tmp_path, standalone=False, list_every=3)


def _assert_clean(harness: Harness, target: Target, data: bytes) -> None:
    outcome = harness.run(target, data)
    assert outcome.kind in ("accepted", "refused"), f"{outcome.kind} on {data[:300]!r}:\n{outcome.detail}"


@FUZZ
@given(target=st.sampled_from(TARGETS), pick=st.integers(min_value=0), rng=st.randoms(use_true_random=False),
       cross=st.sampled_from((None, *TARGETS)))
def test_mutated_seed_files(harness: Harness, target: Target, pick: int, rng: random.Random,
                            cross: Target | None) -> None:
    seed = SEEDS[target][pick % len(SEEDS[target])]
    _assert_clean(harness, cross or target, mutate(seed, rng, EVERYTHING))


@FUZZ
@given(rng=st.randoms(use_true_random=False))
def test_generated_structure(harness: Harness, rng: random.Random) -> None:
    target, data = generate(rng)
    _assert_clean(harness, target, data)


@pytest.mark.parametrize("target", TARGETS)
def test_every_seed_file_as_it_is(harness: Harness, target: Target) -> None:
    for data in SEEDS[target]:
        _assert_clean(harness, target, data)
