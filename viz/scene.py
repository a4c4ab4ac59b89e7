"""What viz knows about one graph: nodes in topological order, their names and roles,
parameter names from a model, fused-neuron activations and neuron/layer groups.

viz only reads the public graph API (``data grad label op parents local_grads``).
Node ids come from topological position, so the same graph gives the same ids every run.
"""
from __future__ import annotations

from autograd import OPS, chain_rule, topological_order
from nn.fused import activation_of

from .fmt import fmt


def check_value(v, what: str = "root") -> None:
    """TypeError unless ``v`` looks like a graph node (a Value)."""
    if not all(hasattr(v, a) for a in ("data", "grad", "parents", "local_grads", "op")):
        raise TypeError(
            f"{what} must be a Value (a node of the computation graph), got {type(v).__name__}; "
            "for a model's output pass the Value it returns, e.g. draw_graph(loss)"
        )


def parameter_names(model) -> dict:
    """{Value: name} from ``model.named_parameters()``, a dict {name: Value}, or a list of Values."""
    if model is None:
        return {}
    if hasattr(model, "named_parameters"):
        return {p: name for name, p in model.named_parameters()}
    if isinstance(model, dict):
        return {p: str(name) for name, p in model.items()}
    try:
        values = list(model)
    except TypeError:
        raise TypeError(
            f"model must be a module with named_parameters(), a dict {{name: Value}} or a list of "
            f"Values, got {type(model).__name__}"
        ) from None
    for v in values:
        check_value(v, "each parameter")
    return {v: v.label or f"p{i}" for i, v in enumerate(values)}


def find_neurons(model) -> list:
    """Every neuron (an object with a list ``w`` and a ``b``) inside ``model``, in definition order."""
    found, seen = [], set()

    def walk(obj):
        if id(obj) in seen:
            return
        seen.add(id(obj))
        if isinstance(getattr(obj, "w", None), (list, tuple)) and hasattr(obj, "b"):
            found.append(obj)
            return
        for child in getattr(obj, "__dict__", {}).values():
            items = child if isinstance(child, (list, tuple)) else [child]
            for item in items:
                if hasattr(item, "named_parameters"):
                    walk(item)

    if model is not None and hasattr(model, "named_parameters"):
        walk(model)
    return found


def neuron_activation(node, neuron_by_bias: dict | None = None) -> str:
    """The activation of a fused neuron node, as the engine recorded it in its op string
    ("neuron_tanh" -> "tanh", "neuron" -> "identity"); "act" for any other node."""
    return activation_of(node.op) or "act"


def is_neuron(node) -> bool:
    """True for nn's fused neuron (op "neuron" or "neuron_<activation>", parents w..., b, x...)."""
    return activation_of(node.op) is not None


class Scene:
    """A graph below ``root`` as viz sees it: ``order`` (topological), ``index``, names, roles."""

    def __init__(self, root, model=None):
        check_value(root)
        self.root = root
        self.model = model
        self.order = topological_order(root)
        self.index = {v: i for i, v in enumerate(self.order)}
        self.params = parameter_names(model)
        self.neurons = find_neurons(model)
        self.neuron_by_bias = {nr.b: nr for nr in self.neurons}
        self.inputs = self._input_names()

    def _input_names(self) -> dict:
        """{leaf: "x0", ...}: the unlabelled numbers a first-layer neuron multiplies by its
        weight i are the model's input x_i (a second sample's inputs: x0[1], ...)."""
        slot = {}  # leaf -> input index i
        weight_index = {}
        for name_, p in ((n, p) for p, n in self.params.items()):
            head, _, tail = name_.rpartition(".")
            if head.endswith("w") and tail.isdigit():
                weight_index[p] = int(tail)
        for v in self.order:
            ps = v.parents
            if is_neuron(v) and len(ps) % 2 == 1 and self.params:
                n = (len(ps) - 1) // 2
                pairs = [(ps[n + 1 + i], ps[i]) for i in range(n)]  # (x_i, w_i): parents are w, b, x
            elif len(ps) == 2 and v.op in ("*", "mul"):
                pairs = [(ps[0], ps[1]), (ps[1], ps[0])]
            else:
                continue
            for x, w in pairs:
                if w in weight_index and not x.parents and not x.label and x not in self.params:
                    slot.setdefault(x, weight_index[w])
        names, seen = {}, {}
        for x in sorted(slot, key=self.index.get):
            i = slot[x]
            k = seen.get(i, 0)
            seen[i] = k + 1
            names[x] = f"x{i}" if k == 0 else f"x{i}[{k}]"
        return names

    def nid(self, v) -> str:
        """The DOT id of node ``v``: its position in topological order."""
        return f"n{self.index[v]}"

    def name(self, v) -> str:
        """Parameter name, else label, else input name (x0, x1, ...), else 'v<position>'."""
        return self.params.get(v) or v.label or self.inputs.get(v) or f"v{self.index[v]}"

    def is_constant(self, v) -> bool:
        return not v.parents and not v.label and v not in self.params and v not in self.inputs

    def operand(self, v) -> str:
        """How ``v`` appears in a formula: the number for a constant, else 'name.data'."""
        return fmt(v.data) if self.is_constant(v) else f"{self.name(v)}.data"

    def role(self, v) -> str:
        if v is self.root:
            return "output"
        if v in self.params:
            return "parameter"
        if v.parents:
            return "intermediate"
        return "constant" if self.is_constant(v) else "input"

    def activation(self, v) -> str:
        return neuron_activation(v, self.neuron_by_bias)

    def backprop(self) -> dict:
        """{node: d root/d node} computed afresh (grads from zero), without touching ``.grad``."""
        return chain_rule(self.root, 1.0, into={})  # the engine's textbook loop

    def reachable_from(self, start) -> set:
        """``start`` and every node of the graph that depends on it (the paths to the root)."""
        if start not in self.index:
            raise ValueError(
                f"{start!r} is not in the graph below the root {self.root!r}; pass a Value the root "
                "was computed from"
            )
        reach = {start}
        for v in self.order[self.index[start] + 1:]:
            if any(p in reach for p in v.parents):
                reach.add(v)
        return reach

    def lookup(self, key):
        """A node given as a Value or as a name (parameter name or label)."""
        if not isinstance(key, str):
            check_value(key, "focus")
            return key
        for v in self.order:
            if self.params.get(v) == key or v.label == key:
                return v
        raise ValueError(f"no node named {key!r} in this graph (names are parameter names and labels)")

    def groups(self, level: str):
        """Nodes of each neuron (or layer) of the model, for drawing each one as one box.

        Returns ``(owner, info)``: ``owner`` maps a node to its group key; ``info`` maps a key
        to ``(name, activation, output node, neuron count)``. A node belongs to neuron k when
        it uses k's parameters directly, or only combines k's unfinished partial sums, or is
        k's activation applied to its finished sum (so a fused "neuron" node and micrograd's
        fine-grained w·x products and sums are grouped alike).
        """
        if level not in ("neuron", "layer"):
            raise ValueError(f"collapse must be None, 'neuron' or 'layer', not {level!r}")
        if not self.neurons:
            raise ValueError(
                "collapse needs the model: draw_graph(root, model=mlp, collapse='neuron') "
                "(a module with Neuron objects inside)"
            )
        pk = {}
        sizes = []
        for k, nr in enumerate(self.neurons):
            ps = [*nr.w, nr.b]
            sizes.append(len(ps))
            for p in ps:
                pk[p] = k
        owner, cover, closed = dict(pk), {}, {}
        for v in self.order:
            if not v.parents:
                continue
            direct = {pk[p] for p in v.parents if p in pk}
            k = None
            if len(direct) == 1:
                k = direct.pop()
            elif not direct:
                ks = {owner.get(p) for p in v.parents}
                if len(ks) == 1 and None not in ks:
                    (k,) = ks
                    if any(p in closed for p in v.parents):
                        k = None
                    elif any(len(cover.get(p, ())) == sizes[k] for p in v.parents):
                        act = getattr(self.neurons[k], "activation", None)
                        if not (len(v.parents) == 1 and v.op == act):
                            k = None
            if k is None:
                continue
            owner[v] = k
            cov = {p for p in v.parents if pk.get(p) == k}
            for p in v.parents:
                if owner.get(p) == k and p in cover:
                    cov |= cover[p]
            cover[v] = cov
            act = getattr(self.neurons[k], "activation", None)
            if is_neuron(v) or (len(cov) == sizes[k] and (act not in OPS or v.op == act)):
                closed[v] = k
        outputs = {k: v for v, k in closed.items()}
        names = [_neuron_name(self.params.get(nr.b, "")) for nr in self.neurons]
        info, result, layer_keys = {}, {}, {}
        for v, k in owner.items():
            nr = self.neurons[k]
            if level == "neuron":
                key, name = f"g{k}", names[k]
            else:
                name = _layer_name(names[k])
                key = layer_keys.setdefault(name, f"L{len(layer_keys)}")
            result[v] = key
            act = getattr(nr, "activation", None) or "identity"
            out = outputs.get(k)
            if key not in info:
                info[key] = [name, act, [], set()]
            if out is not None and out not in info[key][2]:
                info[key][2].append(out)
            info[key][3].add(k)
        return result, {key: (n, a, outs, len(ks)) for key, (n, a, outs, ks) in info.items()}


def _neuron_name(bias_name: str) -> str:
    """'layers.0.neurons.3.b' -> 'layers.0.neurons.3'; a lone neuron's 'b' -> 'neuron'."""
    return bias_name.rsplit(".", 1)[0] if "." in bias_name else "neuron"


def _layer_name(neuron_name: str) -> str:
    """'layers.0.neurons.3' -> 'layers.0'; 'neurons.3' -> 'layer'; a lone neuron keeps its name."""
    if neuron_name.startswith("neurons."):
        return "layer"
    if ".neurons." in neuron_name:
        return neuron_name.rsplit(".neurons.", 1)[0]
    return neuron_name
