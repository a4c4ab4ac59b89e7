"""What a student reads when something goes wrong, in Russian: the teaching guards, the
anomaly hints, the custom-op checker and fit's warning follow the language switch, with no
English words left beyond identifiers; programmer-facing errors stay English.

Each message is made twice: in English the scan must find English words (so it can fail),
in Russian it must find none."""
import re
import warnings

import pytest

import autograd.language as L
import nn
from autograd import OPS, AnomalyError, DomainError, Function, FunctionCheckError, Value, check_function, detect_anomaly, guards
from test_language_pictures import english_words

# Latin words a Russian message keeps, and why: the code it tells the student to write or
# names (calls, attributes, module paths), the numbers' spelling, the op names.
MESSAGE_ALLOWED = {
    "backward", "zero_grad", "optimizer", "step", "loss", "model", "autograd", "guards", "set_enabled",
    "False", "detect_anomaly", "Value", "float", "root", "out", "docstring", "fit",
    "stale_data", "backward_non_output", "grads_not_zeroed", "never_backpropagated",  # guard names
    "sqrt", "exp", "log", "sigmoid", "softplus", "tanh", "dsqrt", "nan", "inf", "stdin", "py",
    "Sq", "forward",  # the student's own Function class and its method
    "softmax", "PyTorch", "cross_entropy", "nll_loss", "accuracy", "threshold", "parameters",  # nn's names
}


@pytest.fixture(autouse=True)
def ops_restored():
    """The Functions defined here leave the op table after each test (other tests iterate OPS)."""
    before = dict(OPS)
    yield
    OPS.clear()
    OPS.update(before)


def message(make) -> str:
    """The text of the warning or error that ``make()`` gives (exactly one)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            make()
        except Exception as e:  # noqa: BLE001  (the errors below are what is tested)
            assert not caught, [str(w.message) for w in caught]
            return str(e)
    assert len(caught) == 1, [str(w.message) for w in caught]
    return str(caught[0].message)


def without_the_code_quoted(text: str) -> str:
    """An anomaly's "created at file:line: code" line is the student's own code: not scanned."""
    return re.sub(r"(?m)^\s*(created at|создан:).*$", "", text)


def backward_from_an_inner_node():
    x = Value(2.0, label="x")
    h = x * x
    o = h.tanh()
    o.backward()
    h.backward()  # no label: the message names it by its op


def stale_data():
    x = Value(2.0, label="x")
    o = (x * x).tanh()
    x.data = 5.0
    o.backward()


def step_without_zero_grad():
    model = nn.MLP(4, [8, 8, 1], seed=0)  # a big model: the message says how many were checked
    opt = nn.optim.SGD(model.parameters(), lr=0.01)
    x = [0.5, -1.0, 2.0, 0.25]
    (model(x) ** 2).backward()
    opt.step()  # fresh grads: quiet
    (model(x) ** 2).backward()  # no zero_grad(): the previous step's grads are still there
    opt.step()


def drawing_grads_never_computed():
    import viz
    x = Value(2.0, label="x")
    viz.draw_graph(x * x)


def grads_from_another_output():
    x = Value(2.0, label="x")
    a = x * x
    a.label = "a"
    a.backward()
    b = a + 1.0
    guards.check_backpropagated(b)


def forward_overflow():
    with detect_anomaly():
        Value(800.0, label="x").exp()


def forward_on_nan():
    with detect_anomaly():
        Value(float("nan")) * 2.0


def infinite_slope():
    with detect_anomaly():
        Value(0.0, label="x").sqrt().backward()


def students_functions() -> dict:
    """A student's Function with each classic backward mistake (registered in OPS only for
    the test: see ops_restored)."""
    class Sq(Function):
        """y = x**2;  dy/dx = 2x"""

        name = "sq_language_test"

        @staticmethod
        def forward(x):
            return x * x


    class Overwrites(Sq):
        """y = x**2;  dy/dx = 2x"""

        name = "sq_overwrites"

        @staticmethod
        def backward(out, x):
            x.grad = 2 * x.data * out.grad  # '=' instead of '+='


    class NoUpstream(Sq):
        """y = x**2;  dy/dx = 2x"""

        name = "sq_no_upstream"

        @staticmethod
        def backward(out, x):
            x.grad += 2 * x.data


    class FlippedSign(Sq):
        """y = x**2;  dy/dx = 2x"""

        name = "sq_flipped"

        @staticmethod
        def backward(out, x):
            x.grad -= 2 * x.data * out.grad


    class Nothing(Sq):
        """y = x**2;  dy/dx = 2x"""

        name = "sq_nothing"

        @staticmethod
        def backward(out, x):
            pass


    class Wrong(Sq):
        """y = x**2;  dy/dx = 2x"""

        name = "sq_wrong"

        @staticmethod
        def backward(out, x):
            x.grad += 3 * x.data * out.grad


    class Mul(Function):
        """y = a * b;  dy/da = b, dy/db = a"""

        name = "mul_swapped"

        @staticmethod
        def forward(a, b):
            return a * b

        @staticmethod
        def backward(out, a, b):
            a.grad += a.data * out.grad  # the other operand's factor belongs here
            b.grad += b.data * out.grad

    return {"Overwrites": Overwrites, "NoUpstream": NoUpstream, "FlippedSign": FlippedSign, "Nothing": Nothing,
            "Wrong": Wrong, "Mul": Mul}


def checker(name):
    return lambda: check_function(students_functions()[name])


def probabilities_as_logits():
    nn.cross_entropy([[Value(0.2), Value(0.8)], [Value(0.5), Value(0.5)]], [1, 0])


def logits_with_01_targets():
    nn.accuracy([2.0, -1.0, 0.5], [1, 0, 1])


def a_parameter_twice():
    w = Value(1.0, label="w")
    nn.optim.SGD([w, w, Value(2.0)], lr=0.1)


MISTAKES = {
    "probabilities as logits": probabilities_as_logits,
    "logits with 0/1 targets": logits_with_01_targets,
    "a parameter twice": a_parameter_twice,
    "backward from an inner node": backward_from_an_inner_node,
    "stale data": stale_data,
    "step without zero_grad": step_without_zero_grad,
    "drawing grads never computed": drawing_grads_never_computed,
    "grads from another output": grads_from_another_output,
    "forward overflow": forward_overflow,
    "forward on nan": forward_on_nan,
    "infinite slope": infinite_slope,
    "checker: '=' for '+='": checker("Overwrites"),
    "checker: no out.grad": checker("NoUpstream"),
    "checker: sign": checker("FlippedSign"),
    "checker: nothing added": checker("Nothing"),
    "checker: wrong derivative": checker("Wrong"),
    "checker: wrong operand": checker("Mul"),
}
ALSO_ALLOWED = {"Overwrites", "NoUpstream", "FlippedSign", "Nothing", "Wrong", "Mul"}  # class names


@pytest.mark.parametrize("mistake", MISTAKES)
def test_the_message_is_russian_when_asked(mistake):
    make = MISTAKES[mistake]
    english = message(make)  # below: without the line of the student's code an anomaly quotes
    assert english_words(without_the_code_quoted(english), MESSAGE_ALLOWED | ALSO_ALLOWED), english
    L.set_language("ru")
    russian = message(make)
    assert not english_words(without_the_code_quoted(russian), MESSAGE_ALLOWED | ALSO_ALLOWED), russian


def test_errors_keep_their_class_and_fields_in_russian():
    L.set_language("ru")
    with pytest.raises(guards.StaleDataError, match="изменилась"):
        stale_data()
    with pytest.raises(AnomalyError, match="Подсказка") as info:
        forward_overflow()
    assert info.value.op == "exp"
    with pytest.raises(FunctionCheckError, match="'=' вместо '\\+='"):
        checker("Overwrites")()


def test_fit_warns_in_russian():
    import numpy as np
    L.set_language("ru")
    X = np.array([[1.0], [2.0], [3.0]])
    y = np.array([1.0, 2.0, 3.0])
    model = nn.MLP(1, [1], seed=0)
    with pytest.warns(RuntimeWarning, match=r"fit: функция потерь стала (nan|inf) на эпохе \d+; обучение остановлено"):
        nn.fit(model, nn.mse_loss, nn.optim.SGD(model.parameters(), lr=1e200), (X, y), epochs=3,
               progress=False)


def test_programmer_facing_errors_stay_english():
    L.set_language("ru")
    with pytest.raises(ValueError, match="unknown guard 'nope'"):
        guards.set_enabled("nope")
    with pytest.raises(TypeError):
        Value(1.0) + "a"
    with pytest.raises(DomainError, match="must be > 0"):  # DomainError: the op's own words
        Value(-1.0).log()
