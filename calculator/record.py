"""The calculator's small value classes (a Field of the household format, a Household and its Members,
a rule's Condition and Outcome), made without the dataclasses module.

Why: importing the calculator is on the path of every first result in the browser, and in Pyodide
making its nine dataclasses was half of it, 4-7 ms a class (dataclasses reads every annotation,
compiles half a dozen methods per class, and, the standard library's docstrings being stripped,
computes an inspect.signature for each class's __doc__): importing calculator.api took 82-105 ms in
Pyodide under Node, 24-46 ms with records. A record has what the calculator uses of a dataclass and
no more:

* ``__init__`` taking the fields in their order, by position or by name, each with its default if it
  has one (``factory(dict)``: a new dict for every instance); compiled once per class;
* equality (same class, equal fields) and, when frozen, a hash of the fields; a repr;
* frozen: no field can be assigned or deleted after ``__init__`` (FrozenError, an AttributeError).

Declared on a class (the annotations are the fields, in order; a class attribute is a default)::

    @record(frozen=True)
    class Section:
        id: str
        title: str = ""

or made from a list, for a class whose fields are data (calculator.household's Member and Household):
``make_record("Member", [("age", REQUIRED), ("name", None)], frozen=True, module=__name__)``."""

from __future__ import annotations

from operator import attrgetter

__all__ = ["REQUIRED", "FrozenError", "factory", "make_record", "record"]


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED = _Required()  # a field without a default
_MISSING = object()  # in a generated __init__: a factory's argument not given


class FrozenError(AttributeError):
    """A field of a frozen record assigned or deleted after __init__."""


class factory:
    """The default of a field that gets a new value for every instance: ``factory(dict)``."""

    __slots__ = ("make",)

    def __init__(self, make):
        self.make = make

    def __repr__(self) -> str:
        return f"factory({getattr(self.make, '__name__', self.make)!r})"


def record(cls=None, *, frozen: bool = False):
    """Make ``cls`` a record of its annotated attributes (see the module's docstring)."""
    def wrap(cls):
        own = vars(cls)
        annotations = own.get("__annotations__")
        if not annotations:
            raise TypeError(f"record {cls.__qualname__}: no annotated fields")
        fields = [(name, own.get(name, REQUIRED)) for name in annotations]
        for name, default in fields:
            if isinstance(default, factory):
                delattr(cls, name)  # each instance gets its own, made by __init__
        _complete(cls, fields, frozen)
        return cls
    return wrap if cls is None else wrap(cls)


def make_record(name: str, fields, *, frozen: bool = False, module: str | None = None) -> type:
    """A record class named ``name`` with ``fields``: [(field name, default or REQUIRED)], or names."""
    cls = type(name, (), {"__module__": module or __name__, "__qualname__": name})
    _complete(cls, [(f, REQUIRED) if isinstance(f, str) else tuple(f) for f in fields], frozen)
    return cls


def _complete(cls, fields: list[tuple[str, object]], frozen: bool) -> None:
    names = tuple(name for name, _ in fields)
    if len(set(names)) != len(names) or not all(n.isidentifier() and not n.startswith("_") for n in names):
        raise TypeError(f"record {cls.__qualname__}: field names must be distinct public identifiers: {names}")
    cls.__init__ = _init(cls, fields)
    values = attrgetter(*names) if len(names) > 1 else (lambda obj, _get=attrgetter(names[0]): (_get(obj),))

    def __eq__(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return values(self) == values(other)

    def __repr__(self):
        return f"{type(self).__qualname__}({', '.join(f'{n}={v!r}' for n, v in zip(names, values(self)))})"

    cls.__eq__, cls.__repr__ = __eq__, __repr__
    cls.__record_fields__ = names
    if frozen:
        def __hash__(self):
            return hash(values(self))

        def __setattr__(self, name, value):
            raise FrozenError(f"cannot assign to field {name!r} of a frozen {type(self).__qualname__}")

        def __delattr__(self, name):
            raise FrozenError(f"cannot delete field {name!r} of a frozen {type(self).__qualname__}")

        cls.__hash__, cls.__setattr__, cls.__delattr__ = __hash__, __setattr__, __delattr__
    else:
        cls.__hash__ = None  # mutable and compared by value: unhashable, as a dataclass is
    for method in ("__eq__", "__repr__", "__hash__", "__setattr__", "__delattr__"):
        f = cls.__dict__.get(method)
        if f is not None:
            f.__qualname__ = f"{cls.__qualname__}.{method}"


def _init(cls, fields):
    """__init__(self, <fields>) of the record, compiled from its source: it stores every field in the
    instance's __dict__ in one call (a frozen record's __setattr__ refuses)."""
    env = {"_MISSING": _MISSING}
    params, items = [], []
    seen_default = False
    for name, default in fields:
        if default is REQUIRED:
            if seen_default:
                raise TypeError(f"record {cls.__qualname__}: required field {name!r} follows a field with a default")
            params.append(name)
            items.append(f"{name!r}: {name}")
        elif isinstance(default, factory):
            seen_default = True
            env[f"_f_{name}"] = default.make
            params.append(f"{name}=_MISSING")
            items.append(f"{name!r}: _f_{name}() if {name} is _MISSING else {name}")
        else:
            seen_default = True
            env[f"_d_{name}"] = default
            params.append(f"{name}=_d_{name}")
            items.append(f"{name!r}: {name}")
    source = f"def __init__(self, {', '.join(params)}):\n    self.__dict__.update({{{', '.join(items)}}})\n"
    exec(compile(source, f"<record {cls.__qualname__}>", "exec"), env)
    init = env["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    return init
