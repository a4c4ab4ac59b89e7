"""Pictures that explain backpropagation: computation graphs, a step-through of the
backward pass, the chain rule written out, network diagrams and training plots.

    >>> import viz
    >>> viz.draw_graph(loss)                 # shows itself in Jupyter; .save("g.svg")
    >>> viz.backward_steps(loss).widget()    # step through backprop with a slider
    >>> print(viz.explain_grad(w, loss).text)
    >>> viz.set_language("ru")               # legends, titles, step text in Russian (or lang="ru")

viz only reads the public graph API (data, grad, label, op, parents, local_grads) and
returns objects; rendering is the caller's choice (Graphviz ``dot`` or ``graphviz-pure``).
"""
from scalargrad.install_check import check

check("autograd", "nn")  # first: a clear message if HIPS autograd or a file of yours took these names

from autograd.language import get_language, set_language  # noqa: E402

from .decision import plot_decision_boundary, plot_perceptron, plot_perceptron_steps, plot_regression  # noqa: E402
from .dot import Graph  # noqa: E402
from .explain import Explanation, explain_grad  # noqa: E402
from .fmt import fmt  # noqa: E402
from .graph import draw_graph  # noqa: E402
from .micrograd import Digraph, draw_dot  # noqa: E402
from .network import draw_network  # noqa: E402
from .plots import grad_norms, plot_activations, plot_grad_norms, plot_history  # noqa: E402
from .render import RendererNotFound, renderer  # noqa: E402
from .replay import Frame, Replay, backward_steps  # noqa: E402

__all__ = [
    "Graph", "RendererNotFound", "draw_graph", "draw_dot", "Digraph", "fmt", "renderer",
    "backward_steps", "Replay", "Frame", "explain_grad", "Explanation", "draw_network",
    "plot_history", "plot_decision_boundary", "plot_regression", "plot_activations",
    "plot_grad_norms", "grad_norms", "plot_perceptron", "plot_perceptron_steps",
    "set_language", "get_language",
]
