"""``scalargrad demo``: placeholder until nn and viz are available."""
DATASETS = ("moons", "circles", "blobs", "spirals", "xor")
OPTIMIZERS = ("adam", "sgd")


def run_demo(args):
    raise NotImplementedError
