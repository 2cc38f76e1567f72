"""The comparison table of LESSON_FORMAT.md section 3, row by row, equal and not.

Values are built with the sandbox's real encoder (``tutor.sandbox.values.encode``), so these
tests cover encode + compare together, plus a few hand-built dicts for what the encoder only
produces inside a run (a check that raised).
"""

from __future__ import annotations

import json
import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.grading.compare import Tolerance, compare, explain, show
from tutor.sandbox.values import encode

DEFAULT = Tolerance()


def same(a, b, tol: Tolerance = DEFAULT) -> bool:
    exp, got = encode(a), encode(b)
    json.dumps(exp), json.dumps(got)  # plain data, as it crosses the sandbox boundary
    return compare(exp, got, tol).equal


def reason(a, b, tol: Tolerance = DEFAULT) -> str:
    verdict = compare(encode(a), encode(b), tol)
    assert not verdict.equal
    return verdict.reason


# -- tensors ------------------------------------------------------------------------------


def test_tensor_equal_however_it_was_made() -> None:
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    assert same(w * 2, torch.mul(w, 2))
    assert same(torch.tensor([2.0, 4.0]), torch.arange(1, 3, dtype=torch.float32) * 2)


def test_tensor_shape_differs() -> None:
    assert not same(torch.zeros(3), torch.zeros(3, 1))
    assert reason(torch.zeros(3), torch.zeros(3, 1)) == "shape (3, 1) vs (3,) expected"
    assert not same(torch.zeros(1), torch.tensor(0.0))  # [1] is not a scalar


def test_tensor_dtype_differs() -> None:
    assert not same(torch.ones(2), torch.ones(2, dtype=torch.float64))
    assert "dtype" in reason(torch.ones(2), torch.ones(2, dtype=torch.float64))
    assert not same(torch.ones(2, dtype=torch.int64), torch.ones(2))


def test_tensor_requires_grad_differs() -> None:
    plain = torch.tensor([1.0])
    leaf = torch.tensor([1.0], requires_grad=True)
    assert not same(leaf, plain)
    assert not same(plain, leaf)
    assert reason(leaf, plain).startswith("requires_grad differs")
    assert same(leaf, torch.tensor([1.0], requires_grad=True))


def test_tensor_values_within_tolerance() -> None:
    base = torch.tensor([1.0, 1000.0], dtype=torch.float64)
    assert same(base, base + torch.tensor([5e-7, 0.0], dtype=torch.float64))  # atol
    assert same(base, base + torch.tensor([0.0, 5e-3], dtype=torch.float64))  # rtol * 1000
    assert not same(base, base + torch.tensor([1e-4, 0.0], dtype=torch.float64))
    assert not same(base, base + torch.tensor([0.0, 0.1], dtype=torch.float64))
    loose = Tolerance(rtol=1e-2, atol=1e-2)
    assert same(base, base + torch.tensor([5e-3, 5.0], dtype=torch.float64), loose)
    assert "values differ" in reason(torch.tensor([5.0]), torch.tensor([10.0]))


def test_tensor_nan_equals_nan_but_not_a_number() -> None:
    nan = float("nan")
    assert same(torch.tensor([nan, 1.0]), torch.tensor([nan, 1.0]))
    assert not same(torch.tensor([nan, 1.0]), torch.tensor([0.0, 1.0]))
    assert not same(torch.tensor([0.0, 1.0]), torch.tensor([nan, 1.0]))


def test_tensor_infinities() -> None:
    inf = float("inf")
    assert same(torch.tensor([inf, -inf]), torch.tensor([inf, -inf]))
    assert not same(torch.tensor([inf]), torch.tensor([-inf]))
    assert not same(torch.tensor([inf]), torch.tensor([3e38]))


def test_integer_and_bool_tensors_are_exact() -> None:
    assert same(torch.tensor([1, 2, 3]), torch.tensor([1, 2, 3]))
    assert not same(torch.tensor([1, 2, 3]), torch.tensor([1, 2, 4]))
    assert same(torch.tensor([True, False]), torch.tensor([True, False]))
    assert not same(torch.tensor([True, False]), torch.tensor([True, True]))


def test_large_tensors_compare_every_element() -> None:
    big = torch.arange(5000, dtype=torch.float32)
    assert same(big, big.clone())
    other = big.clone()
    other[4321] += 1
    assert not same(big, other)


def test_tensor_as_seen_through_grad() -> None:
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    assert same(w.grad, torch.tensor([2.0, 4.0]))
    assert not same(w.grad, torch.tensor([1.0, 2.0]))


# -- scalars ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "equal"),
    [
        (None, None, True),
        (None, 0, False),
        (0, None, False),
        (True, True, True),
        (True, False, False),
        (True, 1, False),  # a bool is not an int here
        (1, True, False),
        (3, 3, True),
        (3, 4, False),
        (10**20, 10**20 + 1, False),  # exact, no tolerance for ints
        ("abc", "abc", True),
        ("abc", "abc ", False),
        ("abc", "ABC", False),
        (5, 5.0, False),  # int vs float is a mismatch
        (5.0, 5, False),
        ("5", 5, False),
    ],
)
def test_none_bool_int_str_are_exact(a, b, equal: bool) -> None:
    assert same(a, b) is equal


def test_int_vs_float_says_which_type() -> None:
    text = reason(5, 5.0)
    assert "float" in text and "int" in text


@pytest.mark.parametrize(
    ("a", "b", "equal"),
    [
        (0.3, 0.1 + 0.2, True),
        (1.0, 1.0 + 5e-7, True),
        (1000.0, 1000.005, True),
        (1.0, 1.1, False),
        (1.0, 1.0001, False),
        (float("nan"), float("nan"), True),
        (float("nan"), 0.0, False),
        (0.0, float("nan"), False),
        (float("inf"), float("inf"), True),
        (float("inf"), float("-inf"), False),
        (float("inf"), 1e308, False),
    ],
)
def test_float_tolerance(a: float, b: float, equal: bool) -> None:
    assert same(a, b) is equal


def test_float_tolerance_comes_from_the_exercise() -> None:
    assert not same(1.0, 1.01)
    assert same(1.0, 1.01, Tolerance(rtol=0.05, atol=0.0))


# -- autograd nodes and modules -----------------------------------------------------------


def test_nodes_compare_by_name() -> None:
    w = torch.tensor([1.0], requires_grad=True)
    v = torch.tensor([7.0], requires_grad=True)
    assert same((w * 2).grad_fn, (v * v).grad_fn)  # both MulBackward0
    assert not same((w * 2).grad_fn, (w + 2).grad_fn)
    assert show(encode((w + 2).grad_fn)) == "<AddBackward0>"
    assert not same((w * 2).grad_fn, None)  # a leaf has no grad_fn


def test_modules_compare_state_dicts() -> None:
    torch.manual_seed(0)
    a = torch.nn.Linear(2, 1)
    torch.manual_seed(0)
    b = torch.nn.Linear(2, 1)
    assert same(a, b)
    with torch.no_grad():
        b.bias += 1
    assert not same(a, b)
    assert "bias" in reason(a, b)


def test_modules_with_different_keys() -> None:
    torch.manual_seed(0)
    flat = torch.nn.Linear(2, 1)
    torch.manual_seed(0)
    nested = torch.nn.Sequential(torch.nn.Linear(2, 1))
    assert not same(flat, nested)
    assert "weight" in reason(flat, nested)
    assert not same(torch.nn.Linear(2, 1, bias=False), torch.nn.Linear(2, 1))


# -- containers ---------------------------------------------------------------------------


def test_lists_and_tuples_item_wise() -> None:
    assert same([1, 2, 3], [1, 2, 3])
    assert not same([1, 2, 3], [1, 2])
    assert "length" in reason([1, 2, 3], [1, 2])
    assert not same([1, 2, 3], [1, 2, 4])
    assert reason([1, 2, 3], [1, 2, 4]).startswith("item 2")
    t = torch.tensor([1.0, 2.0])
    assert same((t, 1.0), (t + 1e-8, 1.0 + 1e-9))  # tolerance applies inside
    assert not same((t, 1.0), (t + 1, 1.0))
    assert same(torch.zeros(2, 3).shape, (2, 3))  # torch.Size is a tuple of ints
    assert not same(torch.zeros(2, 3).shape, (3, 2))


def test_dicts_by_key_in_any_order() -> None:
    assert same({"a": 1, "b": [2.0]}, {"b": [2.0], "a": 1})
    assert not same({"a": 1, "b": 2}, {"a": 1})
    assert "b" in reason({"a": 1, "b": 2}, {"a": 1})
    assert not same({"a": 1}, {"a": 1, "c": 3})
    assert not same({"a": 1, "b": 2}, {"a": 1, "b": 3})
    assert not same({1: "x"}, {"1": "x"})  # the key 1 is not the key '1'


def test_nested_containers() -> None:
    assert same({"w": [torch.ones(2), None]}, {"w": [torch.ones(2), None]})
    assert not same({"w": [torch.ones(2), None]}, {"w": [torch.ones(2), 0]})


# -- raised, and anything else ------------------------------------------------------------


def raised(kind: str, msg: str = "") -> dict:
    return {"t": "raised", "type": kind, "msg": msg}


def test_raised_same_type_is_equal() -> None:
    assert compare(
        raised("ZeroDivisionError", "division by zero"), raised("ZeroDivisionError")
    ).equal
    verdict = compare(raised("ZeroDivisionError"), raised("NameError"))
    assert not verdict.equal and "NameError" in verdict.reason
    assert not compare(raised("NameError"), encode(1)).equal
    verdict = compare(encode(1), raised("AttributeError", "'int' has no attribute 'grad'"))
    assert not verdict.equal and "AttributeError" in verdict.reason


def test_anything_else_by_type_name_and_repr() -> None:
    assert same(range(3), range(3))
    assert not same(range(3), range(4))
    assert same({1, 2}, {2, 1})
    assert not same({1, 2}, {1, 3})
    exp = {"t": "other", "type": "Alpha", "repr": "thing"}
    assert compare(exp, dict(exp)).equal
    assert not compare(exp, {**exp, "type": "Beta"}).equal
    assert not compare(exp, {**exp, "repr": "other thing"}).equal


def test_a_value_vs_a_different_kind() -> None:
    assert not same(torch.tensor(1.0), 1.0)
    assert "tensor" in reason(torch.tensor(1.0), 1.0)
    assert same([1.0], (1.0,))  # one row of the contract's table: same length, items equal
    assert not same(torch.tensor([1.0]), [1.0])


def test_a_different_kind_is_named_with_its_article() -> None:
    assert reason(torch.tensor([1.0]), ...) == "got an ellipsis, expected a tensor"
    assert reason(torch.tensor([1.0]), None) == "got None, expected a tensor"


# -- messages -----------------------------------------------------------------------------


def test_explain_names_the_expression_expected_and_got() -> None:
    exp, got = encode(torch.tensor([5.0])), encode(torch.tensor([10.0]))
    line = explain("w.grad", exp, got, compare(exp, got))
    assert line.startswith("w.grad: expected tensor([5.]), got tensor([10.])")


def test_explain_leaf_hints() -> None:
    exp, got = encode(True), encode(False)
    assert "expected a leaf" in explain("w.is_leaf", exp, got, compare(exp, got))
    line = explain("a.is_leaf", got, exp, compare(got, exp))
    assert "expected a leaf" not in line and "not a leaf" in line


def test_explain_missing_gradient() -> None:
    exp, got = encode(torch.tensor([5.0])), encode(None)
    line = explain("w.grad", exp, got, compare(exp, got), "dy/dw")
    assert line.startswith("w.grad is None: did your code call backward()")
    assert "retain_grad() before it" in line and line.endswith("[dy/dw]")


def test_explain_missing_gradient_behind_a_method_call() -> None:
    exp = encode(torch.tensor([5.0]))
    got = {"t": "raised", "type": "AttributeError",
           "msg": "'NoneType' object has no attribute 'reshape'"}  # fmt: skip
    line = explain("model.weight.grad.reshape(-1)", exp, got, compare(exp, got))
    assert line.startswith("model.weight.grad is None: did your code call backward()")
    # a None that is expected is not that slip
    none = encode(None)
    assert "backward" not in explain("b.grad", none, encode(1), compare(none, encode(1)))


def test_a_long_check_is_named_by_its_message() -> None:
    expr = "torch.linalg.lstsq(torch.stack([torch.ones_like(x), x], 1), y).solution.reshape(-1)"
    exp, got = encode(torch.tensor([1.0, 2.0])), encode(torch.tensor([0.0, 0.0]))
    line = explain(expr, exp, got, compare(exp, got), "the trained parameters")
    assert line.startswith("the trained parameters: expected tensor([1., 2.])")
    assert "lstsq" not in line
    short = explain("w", exp, got, compare(exp, got), "the weights")
    assert short.startswith("w: expected") and short.endswith("[the weights]")


def test_explain_requires_grad_and_shape() -> None:
    exp, got = encode(torch.tensor([1.0], requires_grad=True)), encode(torch.tensor([1.0]))
    line = explain("w", exp, got, compare(exp, got))
    assert "requires_grad differs" in line and "requires_grad=True" in line
    exp, got = encode(torch.zeros(2, 2)), encode(torch.zeros(4))
    line = explain("y", exp, got, compare(exp, got))
    assert "shape (4,) vs (2, 2) expected" in line


def test_show_is_what_the_learner_would_print() -> None:
    assert show(encode(None)) == "None"
    assert show(encode(True)) == "True"
    assert show(encode(0.5)) == "0.5"
    assert show(encode("hi")) == "'hi'"
    assert show(encode(torch.tensor([1.0, 2.0]))) == "tensor([1., 2.])"
    assert show(raised("NameError", "name 'w' is not defined")) == (
        "raised NameError: name 'w' is not defined"
    )


# -- properties ---------------------------------------------------------------------------

floats = st.floats(allow_nan=True, allow_infinity=True, width=32)


@settings(max_examples=60, deadline=None)
@given(st.lists(floats, min_size=1, max_size=20))
def test_a_tensor_equals_itself(data: list[float]) -> None:
    assert same(torch.tensor(data), torch.tensor(data))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(-1e6, 1e6, width=32), min_size=1, max_size=20),
    st.integers(0, 19),
    st.floats(1e-3, 1e3),
)
def test_a_change_beyond_tolerance_is_seen(data: list[float], at: int, delta: float) -> None:
    a = torch.tensor(data, dtype=torch.float64)
    b = a.clone()
    i = at % len(data)
    b[i] += delta + 1e-5 * abs(float(a[i])) * 2
    assert not same(a, b)
    assert not math.isclose(float(a[i]), float(b[i]), rel_tol=1e-5, abs_tol=1e-6)


def test_a_list_equals_a_tuple_with_the_same_items() -> None:
    """The contract's row "list, tuple, dict: same length/keys, each item equal"."""
    assert compare(encode([1, 2.0]), encode((1, 2.0))).equal
    assert not compare(encode([1, 2.0]), encode((1, 3.0))).equal
    assert not compare(encode([1]), encode((1, 2))).equal
