"""The ``scalargrad`` command line: ``scalargrad demo``, ``scalargrad graph``, ``scalargrad gradcheck``."""
