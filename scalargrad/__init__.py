"""The ``scalargrad`` command line and its safe expression parser.

- ``scalargrad demo``: train an MLP on a built-in dataset and write every picture (loss
  curves, decision boundary, network, one neuron's forward/backward graph, the backward
  pass step by step) with an ``index.html`` into a folder (``scalargrad/demo.py``).
- ``scalargrad graph EXPR name=value ...``: an expression's computation graph as SVG, PNG,
  PDF or DOT; ``scalargrad gradcheck EXPR name=value ...``: backprop vs finite differences
  (``scalargrad/commands.py``).
- ``scalargrad.expr``: ``parse`` / ``evaluate`` arithmetic text into a graph of Values
  through an allow-list (never ``eval``).

``python -m scalargrad ...`` is the same as the ``scalargrad`` command.
"""
