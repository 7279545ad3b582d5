"""calculator.record: the calculator's value classes without the dataclasses module (whose class
making was half of importing the calculator in Pyodide). A record behaves as the dataclass it
replaces, for what the calculator uses of one."""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import calculator
from calculator.record import REQUIRED, FrozenError, factory, make_record, record


@record(frozen=True)
class Point:
    x: int
    y: int = 0
    tags: dict = factory(dict)


@record
class Box:
    name: str
    items: list = factory(list)


def test_fields_by_position_or_name_with_defaults():
    assert (Point(1).x, Point(1).y, Point(1).tags) == (1, 0, {})
    p = Point(1, 2, {"a": 1})
    assert (p.x, p.y, p.tags) == (1, 2, {"a": 1})
    assert Point(y=5, x=3) == Point(3, 5)
    assert Point.__record_fields__ == ("x", "y", "tags")


def test_a_factory_default_is_new_for_every_instance():
    a, b = Box("a"), Box("b")
    a.items.append(1)
    assert b.items == [] and a.items == [1]
    assert Point(1).tags is not Point(1).tags
    assert "items" not in vars(Box)  # no shared class attribute left behind


def test_arguments_are_checked_as_python_checks_any_call():
    with pytest.raises(TypeError):
        Point()  # x is required
    with pytest.raises(TypeError):
        Point(1, z=2)
    with pytest.raises(TypeError):
        Point(1, x=1)
    with pytest.raises(TypeError):
        Point(1, 2, {}, 4)


def test_equality_by_class_and_fields():
    assert Point(1, 2) == Point(1, 2)
    assert Point(1, 2) != Point(2, 1)
    assert Point(1, tags={"a": 1}) != Point(1)
    Other = make_record("Point", [("x", REQUIRED), ("y", 0), ("tags", factory(dict))])
    assert Other(1) != Point(1)  # same fields, another class
    assert Point(1) != (1, 0, {})


def test_frozen_cannot_change_and_hashes_by_value():
    p = Point(1, 2)
    for change in (lambda: setattr(p, "x", 3), lambda: setattr(p, "new", 3), lambda: delattr(p, "x")):
        with pytest.raises(FrozenError) as info:
            change()
        assert isinstance(info.value, AttributeError)
    assert p.x == 1
    q = make_record("Q", ["a", ("b", None)], frozen=True)
    assert hash(q(1, 2)) == hash(q(1, 2)) and len({q(1, 2), q(1, 2), q(2)}) == 2


def test_mutable_can_change_and_is_unhashable_like_a_dataclass():
    b = Box("a")
    b.name = "b"
    assert b == Box("b")
    with pytest.raises(TypeError):
        hash(b)


def test_repr_names_the_class_and_every_field():
    assert repr(Point(1, tags={"a": "b"})) == "Point(x=1, y=0, tags={'a': 'b'})"
    assert repr(make_record("One", ["v"])(None)) == "One(v=None)"


def test_bad_declarations_are_refused_when_the_class_is_made():
    with pytest.raises(TypeError, match="follows a field with a default"):
        make_record("Bad", [("a", 1), ("b", REQUIRED)])
    with pytest.raises(TypeError, match="distinct public identifiers"):
        make_record("Bad", ["a", "a"])
    with pytest.raises(TypeError, match="distinct public identifiers"):
        make_record("Bad", ["_a"])
    with pytest.raises(TypeError, match="no annotated fields"):
        record(type("Empty", (), {}))


# ------------------------------------------------------------------------------ the calculator's own

def _modules():
    for info in pkgutil.walk_packages(calculator.__path__, "calculator."):
        if info.name != "calculator.__main__":  # the command line: importing it runs it
            yield importlib.import_module(info.name)


def test_the_calculator_makes_no_dataclass():
    """Every value class of the calculator is a record, and no module of it imports dataclasses (a
    dataclass would cost its making again in every first result in the browser)."""
    classes = [obj for m in _modules() for obj in vars(m).values()
               if isinstance(obj, type) and obj.__module__ == m.__name__]
    assert not [c.__qualname__ for c in classes if dataclasses.is_dataclass(c)]
    records = {c.__module__ + "." + c.__qualname__ for c in classes if hasattr(c, "__record_fields__")}
    assert {"calculator.household.Household", "calculator.household.Member", "calculator.fields.Field",
            "calculator.rules.Condition", "calculator.rules.Outcome"} <= records
    root = Path(calculator.__file__).parent
    importing = [str(p.relative_to(root)) for p in root.rglob("*.py")
                 if re.search(r"^\s*(from dataclasses import|import dataclasses)", p.read_text(encoding="utf-8"), re.M)]
    assert not importing, importing
