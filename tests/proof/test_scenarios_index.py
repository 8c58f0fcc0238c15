"""The scenario index (tests/proof/scenarios.py) is complete and names only tests that exist.

Each node id is resolved by parsing its file with ``ast`` (no import, no collection): a typo
in a path, a class or a function name fails here instead of silently proving nothing.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

from tests.proof.scenarios import BENCH_DRILLS, SCENARIOS, node_ids

ROOT = Path(__file__).resolve().parents[2]


@cache
def _definitions(path: str) -> frozenset[str]:
    """``name`` for each module-level test function and ``Class::name`` for each method."""
    tree = ast.parse((ROOT / path).read_text(), filename=path)
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found.add(node.name)
        elif isinstance(node, ast.ClassDef):
            found.update(
                f"{node.name}::{item.name}"
                for item in node.body
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
            )
    return frozenset(found)


def _missing(node_id: str) -> str | None:
    """Why ``node_id`` names no test (None when it does)."""
    path, sep, name = node_id.partition("::")
    if not sep or not name:
        return "not a path::test node id"
    if "[" in name:
        return "name the test without its parameters"
    if not path.startswith("tests/") or not path.endswith(".py"):
        return "not a test file under tests/"
    if not (ROOT / path).is_file():
        return "no such file"
    if not name.rsplit("::", 1)[-1].startswith("test"):
        return "not a test (its name must start with test)"
    if name not in _definitions(path):
        return f"no {name} in {path}"
    return None


def test_every_scenario_from_1_to_30_is_listed_with_a_test():
    assert sorted(SCENARIOS) == list(range(1, 31))
    for number, entries in SCENARIOS.items():
        assert entries, f"scenario {number} lists nothing"
        assert node_ids(number), f"scenario {number} has no pytest test"
        assert len(entries) == len(set(entries)), f"scenario {number} lists an entry twice"


@pytest.mark.parametrize("number", sorted(SCENARIOS))
def test_every_listed_test_exists(number):
    problems = {
        node_id: why for node_id in node_ids(number) if (why := _missing(node_id)) is not None
    }
    assert problems == {}


def _bench_file_stands(drill: dict) -> str | None:
    """Why the drill's command names no drill under bench/ (None when it does): its file
    must exist and mention each word of the command after it (the drill's name)."""
    script, *words = drill["command"].split()
    if not script.startswith("bench/"):
        return f"{script} is not under bench/"
    if not (ROOT / script).is_file():
        return f"{script} missing"
    text = (ROOT / script).read_text()
    unknown = [word for word in words if not word.startswith("-") and word not in text]
    return f"{script} has no {unknown}" if unknown else None


def test_every_bench_drill_names_a_file_under_bench():
    listed = {entry for entries in SCENARIOS.values() for entry in entries}
    drills = {entry for entry in listed if entry.startswith("bench:")}
    assert drills <= set(BENCH_DRILLS), drills - set(BENCH_DRILLS)
    assert "bench:scenario30" in SCENARIOS[30]
    problems = {name: why for name in drills if (why := _bench_file_stands(BENCH_DRILLS[name]))}
    assert problems == {}


def test_the_checker_catches_typos():
    """The resolver refuses what a typo produces (so the two tests above can fail)."""
    good = "tests/proof/test_scenarios_index.py::test_the_checker_catches_typos"
    assert _missing(good) is None
    assert _missing(good + "x") is not None
    assert _missing(good.replace("index", "indx")) is not None
    assert _missing(good + "[1]") is not None
    assert _missing("tests/proof/test_scenarios_index.py::_missing") is not None
    assert _missing("tests/proof/test_scenarios_index.py::Nope::test_x") is not None
    assert _bench_file_stands({"command": "bench/no_such_drill.py"}) is not None
    assert _bench_file_stands({"command": "bench/fault_drills.py --drill no-such"}) is not None
    assert _bench_file_stands({"command": "tests/proof/scenarios.py"}) is not None
