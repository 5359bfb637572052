import numpy as np
import pytest

from kriegsspiel.errors import InputError
from kriegsspiel.laws import LAWS, get_law, law_names

ONE = np.array([[1.0]])


def test_registry_has_the_five_laws():
    assert set(law_names()) == {"square", "linear", "logarithmic", "mixed", "generalized"}


def test_unknown_law_names_the_known_ones():
    with pytest.raises(InputError, match="square"):
        get_law("cubic")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("square", (2 * 3.0, 5 * 2.0)),  # a*y, b*x
        ("linear", (2 * 3.0 * 2.0, 5 * 2.0 * 3.0)),  # a*x*y, b*x*y
        ("logarithmic", (2 * 2.0, 5 * 3.0)),  # a*x, b*y
        ("mixed", (2 * 3.0, 5 * 2.0 * 3.0)),  # a*y, b*x*y
    ],
)
def test_rates_match_their_textbook_form(name, expected):
    x, y = np.array([2.0]), np.array([3.0])
    lx, ly = LAWS[name].rates(x, y, 2 * ONE, 5 * ONE)
    assert (lx[0], ly[0]) == pytest.approx(expected)


def test_generalized_reduces_to_square_and_linear():
    x, y = np.array([4.0]), np.array([9.0])
    gen = get_law("generalized")
    for shape, name in (({"p": 1, "q": 0}, "square"), ({"p": 1, "q": 1}, "linear")):
        np.testing.assert_allclose(
            np.concatenate(gen.rates(x, y, ONE, ONE, shape)),
            np.concatenate(LAWS[name].rates(x, y, ONE, ONE)),
        )
    lx, ly = gen.rates(x, y, ONE, ONE, {"p": 0.5, "q": 0.5})
    assert (lx[0], ly[0]) == pytest.approx((3.0 * 2.0, 2.0 * 3.0))


def test_dead_systems_neither_fire_nor_bleed():
    law = LAWS["logarithmic"]  # y**0 would be 1 for a dead system without the mask
    lx, ly = law.rates(np.array([5.0]), np.array([0.0]), ONE, ONE)
    assert (lx[0], ly[0]) == (0.0, 0.0)
    lx, _ = LAWS["square"].rates(np.array([0.0]), np.array([3.0]), ONE, ONE)
    assert lx[0] == 0.0


def test_heterogeneous_rates_are_matrix_sums_and_batch():
    a = np.array([[1.0, 2.0], [0.5, 0.0]])  # Y's two systems against X's two
    b = np.array([[0.1, 0.2], [0.3, 0.4]])
    x = np.array([[10.0, 20.0], [1.0, 1.0]])  # a batch of two states
    y = np.array([[3.0, 4.0], [0.0, 2.0]])
    lx, ly = LAWS["square"].rates(x, y, a, b)
    assert lx[0] == pytest.approx([1 * 3 + 2 * 4, 0.5 * 3])
    assert ly[0] == pytest.approx([0.1 * 10 + 0.2 * 20, 0.3 * 10 + 0.4 * 20])
    assert lx[1] == pytest.approx([4.0, 0.0])


@pytest.mark.parametrize("shape", [{"p": -1, "q": 0}, {"p": np.nan, "q": 0}, {"p": 1}])
def test_bad_shape_parameters_are_user_errors(shape):
    with pytest.raises(InputError):
        get_law("generalized").exponents(shape)
