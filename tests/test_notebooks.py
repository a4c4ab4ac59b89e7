"""The course notebooks as stored, in both languages (notebooks/en, the source, and notebooks/ru,
built from it): no outputs, kernel python3, packages imported (never redefined), every exercise
with a hidden reference solution, listed in the README.

Running them is nbmake's job (`pytest --nbmake notebooks`: en and ru); these checks are about how
they are stored and written. That the two languages run the same code is tests/test_notebook_i18n.py's.
"""
import ast
import json
import re
from pathlib import Path

import pytest

import autograd
import nn
import viz

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("en", "ru")
ENGLISH = sorted((ROOT / "notebooks" / "en").glob("*.ipynb"))  # the source: code and English text
NOTEBOOKS = [p for lang in LANGS for p in sorted((ROOT / "notebooks" / lang).glob("*.ipynb"))]
IDS = [f"{p.parent.name}/{p.name}" for p in NOTEBOOKS]


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def python_of(cell) -> str:
    """The cell's code without IPython magics (lines starting with % or !)."""
    return "\n".join(line for line in source(cell).splitlines() if not line.lstrip().startswith(("%", "!")))


def package_names() -> set:
    names = set(autograd.__all__) | set(getattr(viz, "__all__", ()))
    names |= {n for n in dir(nn) if not n.startswith("_")}
    return names


@pytest.mark.parametrize("lang", LANGS)
def test_the_course_has_its_seven_notebooks(lang):
    numbers = [p.name[:2] for p in NOTEBOOKS if p.parent.name == lang]
    assert numbers == ["01", "02", "03", "04", "05", "06", "07"], numbers


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_stored_without_outputs(path):
    for i, cell in enumerate(code_cells(load(path))):
        assert cell.get("outputs") == [], f"{path.name} cell {i} has stored outputs: clear them before committing"
        assert cell.get("execution_count") is None, f"{path.name} cell {i} has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_kernel_is_python3(path):
    assert load(path)["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_cells_parse_and_import_the_packages_instead_of_redefining_them(path):
    nb = load(path)
    defined, imported = {}, set()
    for i, cell in enumerate(code_cells(nb)):
        tree = ast.parse(python_of(cell), filename=f"{path.name} cell {i}")
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.col_offset == 0:
                defined[node.name] = i
            elif isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.split(".")[0])
    clashes = {name: i for name, i in defined.items() if name in package_names()}
    assert not clashes, f"{path.name} redefines package names (import them instead): {clashes}"
    assert imported & {"autograd", "nn", "viz"}, f"{path.name} imports none of the packages"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_exercises_have_a_hidden_solution_and_a_checker(path):
    nb = load(path)
    exercises = [c for c in nb["cells"] if c["cell_type"] == "markdown"
                 and re.match(r"#+ ✏️ (Exercise|Упражнение)", source(c).lstrip())]
    solutions = [c for c in code_cells(nb) if "solution" in c["metadata"].get("tags", [])]
    assert exercises, f"{path.name} has no exercise"
    assert len(solutions) == len(exercises), f"{path.name}: {len(exercises)} exercises, {len(solutions)} solutions"
    for cell in solutions:
        assert cell["metadata"].get("jupyter", {}).get("source_hidden") is True, "solution cells start collapsed"
        name = re.search(r"def (\w+)", source(cell)).group(1)
        uses = [c for c in code_cells(nb) if c is not cell and name in source(c)]
        assert uses, f"{path.name}: the solution {name} is never checked"
    student_cells = [c for c in code_cells(nb) if "YOUR CODE" in source(c)]
    assert len(student_cells) == len(exercises), f"{path.name}: each exercise has one '# YOUR CODE' cell"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_checks_what_it_teaches(path):
    asserts = sum(source(c).count("assert ") for c in code_cells(load(path)))
    assert asserts >= 5, f"{path.name} has only {asserts} assert statements"


@pytest.mark.parametrize("path", ENGLISH, ids=[p.name for p in ENGLISH])
def test_russian_terms_beside_english(path):
    text = "".join(source(c) for c in load(path)["cells"] if c["cell_type"] == "markdown")
    pairs = re.findall(r"[A-Za-z*`] \(([а-яё][а-яё ,]+)\)", text)
    assert len(pairs) >= 3, f"{path.name}: fewer than 3 'English (русский)' term pairs: {pairs}"


# CURRICULUM.md row -> (notebook, names its code must use): each concept is run, seen and checked
COVERAGE = {
    1: ("01", ["numerical_grad", "gradcheck", ".sin()", "draw_graph"]),
    2: ("01", ["topological_order", ".backward()", "backward_steps", "explain_grad", "zero_grad"]),
    3: ("02", ["nn.Neuron", "draw_network", 'bias="node"']),
    4: ("02", ["plot_activations", "activations.derivative", '"identity"', '"step"', '"leaky_relu"']),
    5: ("03", ["nn.Perceptron", "plot_perceptron", "make_xor"]),
    6: ("03", ["logistic_loss", "plot_decision_boundary"]),
    7: ("03", ["DataLoader", "batch_size=1", "nn.optim.SGD"]),
    8: ("04", ["nn.MLP", "draw_network"]),
    9: ("04", ["backprop_by_hand", "delta_previous"]),
    10: ("04", ["plot_regression", '"sigmoid"']),
    11: ("05", ["mse_loss", "mae_loss", "rmse_loss", "binary_cross_entropy", "nn.softmax", "nn.cross_entropy"]),
    12: ("06", ["StepLR", "ExponentialLR", "LinearLR", "momentum=", "nn.optim.Adam"]),
    13: ("06", ['"xavier"', '"he"', "init=scheme", "nn.Residual", "plot_grad_norms"]),
    14: ("06", ["train_val_test_split", "early_stopping=", "plot_history", "best_epoch"]),
    15: ("06", ["l2_penalty", "weight_decay=", "nn.Dropout", ".eval()"]),
    16: ("05", ["nn.accuracy", "parameters()"]),
}


@pytest.mark.parametrize("row", sorted(COVERAGE))
def test_every_curriculum_row_is_taught(row):
    number, names = COVERAGE[row]
    (path,) = [p for p in ENGLISH if p.name.startswith(number)]
    code = "\n".join(source(c) for c in code_cells(load(path)))
    missing = [n for n in names if n not in code]
    assert not missing, f"CURRICULUM row {row}: {path.name} no longer uses {missing}"


SEEDED = {"Neuron", "Layer", "MLP", "Dropout", "default_rng"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_random_things_have_fixed_seeds(path):
    for i, cell in enumerate(code_cells(load(path))):
        for node in ast.walk(ast.parse(python_of(cell))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                name = node.func.attr
                if name in SEEDED:
                    seeded = node.args if name == "default_rng" else any(k.arg == "seed" for k in node.keywords)
                    assert seeded, f"{path.name} cell {i}: {name}(...) without a seed"
                assert not (isinstance(node.func.value, ast.Attribute) and node.func.value.attr == "random"
                            and name not in ("default_rng",)), f"{path.name} cell {i}: np.random.{name} (use a seeded Generator)"


def test_readme_lists_every_notebook():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- section:notebooks -->")[1].split("<!-- /section:notebooks -->")[0]
    for path in ENGLISH:
        assert path.name in section, f"README's notebooks section does not list {path.name}"
    assert "jupyter lab notebooks/" in section
    assert "notebooks/ru/" in section and "notebooks/en/" in section and "notebook_i18n" in section


def test_graph_cells_fall_back_to_dot_text_without_a_renderer(monkeypatch):
    """Notebook 01 (the graph-heavy one) runs with rendering switched off and shows DOT text."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    monkeypatch.setenv("SCALARGRAD_GRAPHVIZ", "none")  # the kernel inherits this environment
    (path,) = [p for p in ENGLISH if p.name.startswith("01")]
    nb = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}}).execute()
    shown = [o for c in nb.cells if c.cell_type == "code" and "draw_graph" in c.source
             for o in c.outputs if o.output_type == "execute_result"]
    assert shown, "no graph was displayed"
    for o in shown:
        assert "image/svg+xml" not in o["data"] and "image/png" not in o["data"]
        assert "digraph" in o["data"].get("text/plain", ""), "the DOT source is shown instead"
