"""Russian for what a student reads: {English text (the key passed to ``tr``): Russian}.

Terms follow the course's lecture notes: обратное распространение ошибки, градиентный
спуск, функция потерь, смещение, эпоха, батч, валидационная выборка, ранняя остановка,
скорость обучения, правило цепочки. Placeholders ({name}) are the same as in the key;
arithmetic and identifiers (``x.grad``, ``backward()``, ``zero_grad()``) stay as they are.
Counts are written "эпох: {n}" so that no plural form depends on the number.
The comment beside each entry names the file the English text comes from.
"""

MESSAGES = {
    # --- autograd/guards.py: teaching warnings and errors -------------------------------
    "(To switch this check off: autograd.guards.set_enabled({name!r}, False).)":
        "(Отключить эту проверку: autograd.guards.set_enabled({name!r}, False).)",  # autograd/guards.py
    "this node (made by {op!r})":
        "этого узла (результат {op!r})",  # autograd/guards.py (after "от")
    "backward() was called on {name}, which already has grad {grad!r}: it is an inner node of a graph "
    "that was back-propagated from its output (e.g. the loss). A second backward() from here adds "
    "d(node)/d(leaf) on top of d(loss)/d(leaf) in every leaf's grad, mixing two different derivatives. "
    "Fix: call backward() on the output (the loss) only; to get d(node)/d(leaf) on purpose, call "
    "zero_grad() first. ":
        "backward() вызван от {name}, у которого уже есть grad {grad!r}: это внутренний узел графа, "
        "по которому уже прошло обратное распространение ошибки от выхода (например, от функции потерь). "
        "Второй backward() отсюда добавит d(узел)/d(лист) к d(loss)/d(лист) в grad каждого листа "
        "и смешает две разные производные. Как исправить: вызывайте backward() только от выхода "
        "(функции потерь); если d(узел)/d(лист) нужна намеренно, сначала вызовите zero_grad(). ",  # autograd/guards.py
    ".data changed after the graph was built: the node made by {op!r} holds {value} from the forward "
    "pass, but {why} ({operands}). backward() would use derivatives computed from the old values, so "
    "every gradient would be silently wrong. Fix: after changing .data (e.g. a parameter update), run "
    "the forward pass again to build a new graph, then call backward(); a training step is forward -> "
    "loss.backward() -> optimizer.step() -> zero_grad(). ":
        ".data изменилась после того, как граф был построен: узел — результат {op!r} — хранит {value} "
        "с прямого прохода, но {why} ({operands}). backward() взял бы производные, посчитанные по "
        "старым значениям, и все градиенты молча оказались бы неверными. Как исправить: после изменения "
        ".data (например, обновления параметров) заново выполните прямой проход, чтобы построить новый "
        "граф, и только потом вызывайте backward(); шаг обучения — это прямой проход -> "
        "loss.backward() -> optimizer.step() -> zero_grad(). ",  # autograd/guards.py
    "its weights' .data are not the ones it was computed with":
        ".data его весов уже не те, с которыми он был вычислен",  # autograd/guards.py
    "its local derivatives no longer match its operands":
        "его локальные производные больше не соответствуют операндам",  # autograd/guards.py
    "its operands are now outside the op's domain":
        "его операнды теперь вне области определения операции",  # autograd/guards.py
    "its operands now give {value}":
        "его операнды теперь дают {value}",  # autograd/guards.py
    "an array of {n} values":
        "массив (значений: {n})",  # autograd/guards.py
    "optimizer.step(): the gradients of {n} parameters ({names}{more}{checked}) were not zeroed since "
    "the previous step(), so they still contain that step's gradients: backward() adds into .grad (it "
    "accumulates), and this step mixes the gradients of two batches (or applies the same gradients "
    "twice). Fix: call optimizer.zero_grad() (or model.zero_grad()) once per step, before "
    "loss.backward(). ":
        "optimizer.step(): градиенты параметров (их {n}: {names}{more}{checked}) не обнулялись после "
        "предыдущего step(), поэтому в них ещё лежат градиенты того шага: backward() прибавляет к .grad "
        "(градиенты накапливаются), и этот шаг смешивает градиенты двух батчей (или применяет одни и "
        "те же градиенты дважды). Как исправить: вызывайте optimizer.zero_grad() (или "
        "model.zero_grad()) один раз на каждом шаге, перед loss.backward(). ",  # autograd/guards.py
    " and {n} more":
        " и ещё {n}",  # autograd/guards.py
    "; {checked} of the {n} were checked":
        "; проверено {checked} из {n}",  # autograd/guards.py
    "these gradients":
        "эти градиенты",  # autograd/guards.py
    "{what} may not be what you expect: {why} ":
        "{what} могут оказаться не такими, как вы ждёте: {why} ",  # autograd/guards.py ({what}: plural)
    "{name} has grad 0, yet other nodes of its graph have gradients: they come from a backward() from "
    "another node (or from before this graph was extended), not from this output. Fix: call backward() "
    "on this output first.":
        "у {name} grad равен 0, а у других узлов его графа градиенты есть: они получены backward() "
        "от другого узла (или до того, как граф был достроен), а не от этого выхода. Как исправить: "
        "сначала вызовите backward() от этого выхода.",  # autograd/guards.py
    "every gradient in the graph of {name} is 0: backward() was never called on it (or zero_grad() "
    "cleared the gradients since). Gradients are filled in only by {short}.backward().":
        "все градиенты в графе {name} равны 0: backward() от него ни разу не вызывался (или "
        "zero_grad() с тех пор обнулил градиенты). Градиенты заполняет только {short}.backward().",  # autograd/guards.py
    "the output (op {op!r})":
        "выхода (результат {op!r})",  # autograd/guards.py

    # --- autograd/anomaly.py: hints under detect_anomaly() -------------------------------
    "Hint: an operand is already nan or inf: it was made outside detect_anomaly() or given as a leaf; "
    "check the data you feed in (Value(float('nan')) is allowed).":
        "Подсказка: операнд уже равен nan или inf: он получен вне detect_anomaly() или задан как лист; "
        "проверьте входные данные (Value(float('nan')) создать можно).",  # autograd/anomaly.py
    "Hint: e**x overflows a float for x > ~709; scale the input down, or use sigmoid/softplus.":
        "Подсказка: e**x не помещается во float при x > ~709; уменьшите масштаб входа или "
        "используйте sigmoid/softplus.",  # autograd/anomaly.py
    "Hint: the result is beyond the float range (~1.8e308) or is inf - inf / 0 * inf: values grew too "
    "large; lower the learning rate or normalise the inputs.":
        "Подсказка: результат вышел за пределы float (~1.8e308) или это inf - inf / 0 * inf: значения "
        "стали слишком большими; уменьшите скорость обучения или нормализуйте входы.",  # autograd/anomaly.py
    "Hint: check the operand values above against the op's domain.":
        "Подсказка: сверьте значения операндов выше с областью определения операции.",  # autograd/anomaly.py
    "Hint: sqrt and fractional powers have an infinite slope at 0; keep the operand away from 0 "
    "(e.g. sqrt(x + 1e-12)).":
        "Подсказка: у sqrt и дробных степеней бесконечная производная в 0; держите операнд подальше "
        "от 0 (например, sqrt(x + 1e-12)).",  # autograd/anomaly.py
    "Hint: 1/x and log x have an infinite slope at 0; keep the operand away from 0.":
        "Подсказка: у 1/x и log x бесконечная производная в 0; держите операнд подальше от 0.",  # autograd/anomaly.py
    "Hint: the op's derivative is not finite at this operand value.":
        "Подсказка: производная операции при этом значении операнда не конечна.",  # autograd/anomaly.py
    "Hint: a finite local derivative times a non-finite or huge gradient (0 * inf is nan).":
        "Подсказка: конечная локальная производная, умноженная на бесконечный или огромный "
        "градиент (0 * inf = nan).",  # autograd/anomaly.py

    "op {op!r} produced {value} in the forward pass; {operands}\n  created at {where}\n{hint}":
        "операция {op!r} дала {value} при прямом проходе; {operands}\n  создан: {where}\n{hint}",  # autograd/anomaly.py
    "(unknown)": "(неизвестно где)",  # autograd/anomaly.py (where a node was made)
    "(made outside detect_anomaly())": "(вне detect_anomaly())",  # autograd/anomaly.py
    "backward(grad={grad!r}): the starting gradient itself is not finite":
        "backward(grad={grad!r}): сам начальный градиент не конечен",  # autograd/anomaly.py
    "backward: the gradient of {who} became {value}. It came from op {op!r} (value {data}, grad {grad}): its "
    "local derivative d{op}/d(operand {i}) = {local}, times its grad gives {contribution}; {operands}\n  created "
    "at {where}\n{hint}":
        "backward: градиент {who} стал {value}. Он пришёл от операции {op!r} (значение {data}, grad {grad}): "
        "её локальная производная d{op}/d(операнд {i}) = {local}, умноженная на её grad, даёт {contribution}; "
        "{operands}\n  создан: {where}\n{hint}",  # autograd/anomaly.py
    "backward: the gradient of {who} is {value}, but every contribution to it is finite: either their sum "
    "overflowed, or the grad was already non-finite before this backward() (leaf grads accumulate: call "
    "zero_grad() first).":
        "backward: градиент {who} равен {value}, хотя все вклады в него конечны: либо переполнилась их сумма, "
        "либо grad был не конечен ещё до этого backward() (градиенты листьев накапливаются: сначала вызовите "
        "zero_grad()).",  # autograd/anomaly.py
    "a node": "узла",  # autograd/anomaly.py (only after "градиент": genitive)
    "a leaf": "лист",  # autograd/anomaly.py
    "made by op {op!r}": "результат операции {op!r}",  # autograd/anomaly.py
    "{name} ({kind}, value {value})": "{name} ({kind}, значение {value})",  # autograd/anomaly.py
    "an array with {nan} nan and {inf} inf among its {size} entries":
        "массив, где среди элементов (их {size}) nan: {nan}, inf: {inf}",  # autograd/anomaly.py

    # --- autograd/value.py: how errors name an op's operands ----------------------------
    "op {name!r} on ": "операция {name!r}, операнды: ",  # autograd/value.py
    "label {label!r}": "метка {label!r}",  # autograd/value.py
    ", made by {op!r}": ", результат {op!r}",  # autograd/value.py

    # --- autograd/function.py: check_function, the checker of a student's own op ---------
    "{fn}.backward is wrong at {at} (out.grad = {g}, each grad held {start} before):":
        "{fn}.backward ошибается в точке {at} (out.grad = {g}, в каждом grad до этого было {start}):",  # autograd/function.py
    "  {a}.grad: added {got}, expected {want} = out.grad · {d}":
        "  {a}.grad: прибавлено {got}, ожидалось {want} = out.grad · {d}",  # autograd/function.py
    "Hint: {hint}": "Подсказка: {hint}",  # autograd/function.py
    "'=' instead of '+=': backward replaced the grad its operand already had (the other paths' share) instead "
    "of adding to it. Write x.grad += ..., so that a value used in several places collects all of them.":
        "'=' вместо '+=': backward заменил grad, который уже был у операнда (вклад других путей), вместо того "
        "чтобы прибавить к нему. Пишите x.grad += ..., чтобы величина, использованная в нескольких местах, "
        "собрала все вклады.",  # autograd/function.py
    "you forgot the upstream gradient: multiply the local derivative by out.grad (chain rule: d L/d x = "
    "d out/d x · d L/d out): x.grad += (local derivative) * out.grad.":
        "забыт градиент, пришедший сверху: умножьте локальную производную на out.grad (правило цепочки: "
        "d L/d x = d out/d x · d L/d out): x.grad += (локальная производная) * out.grad.",  # autograd/function.py
    "the sign is flipped: every grad added has the opposite sign of the true one.":
        "перепутан знак: каждый прибавленный grad противоположен по знаку верному.",  # autograd/function.py
    "derivative with respect to the wrong operand: what you add to {a}.grad is d out/d {b}; the grad of {a} "
    "needs d out/d {a} (the other operand's factor swaps in a product).":
        "производная не по тому операнду: к {a}.grad вы прибавляете d out/d {b}, а grad для {a} — это "
        "d out/d {a} (в произведении множители операндов меняются местами).",  # autograd/function.py
    "backward added nothing to {grads}.": "backward ничего не прибавил к {grads}.",  # autograd/function.py
    "the local derivative itself is wrong: check it against the math in the docstring.":
        "неверна сама локальная производная: сверьте её с формулой в docstring.",  # autograd/function.py

    # --- nn/fit.py ----------------------------------------------------------------------
    "fit: the loss became {loss} in epoch {epoch}; training stopped (try a smaller learning rate)":
        "fit: функция потерь стала {loss} на эпохе {epoch}; обучение остановлено "
        "(попробуйте меньшую скорость обучения)",  # nn/fit.py
    "epoch":
        "эпоха",  # viz/plots.py (x axis; tqdm's unit in nn/fit.py reads "epoch/s": keep it English)

    # --- nn/losses.py, nn/metrics.py, nn/optim.py: teaching warnings ---------------------
    "{name} takes logits (raw scores), but every row of these is ≥ 0 and sums to 1: they look like "
    "probabilities. softmax is applied inside the loss, so pass the scores from before softmax (as "
    "PyTorch's cross_entropy expects); for log-probabilities use nll_loss":
        "{name} принимает логиты (необработанные оценки), а здесь каждая строка ≥ 0 и в сумме даёт 1: "
        "это похоже на вероятности. softmax применяется внутри функции потерь, поэтому передавайте оценки "
        "до softmax (как ждёт cross_entropy в PyTorch); для логарифмов вероятностей есть nll_loss",  # nn/losses.py
    "accuracy: 0/1 targets and outputs outside [0, 1] (logits?), thresholded at 0.5 as probabilities; "
    "for logits pass threshold=0, for probabilities threshold=0.5 (either one silences this warning)":
        "accuracy: целевые значения 0/1, а выходы вне [0, 1] (логиты?); порог 0.5 взят как для "
        "вероятностей; для логитов передайте threshold=0, для вероятностей threshold=0.5 (любой из "
        "них убирает это предупреждение)",  # nn/metrics.py
    "optimizer contains a parameter group with duplicate parameters: {names}{more} ({repeated} repeated "
    "among {n}); each is updated once per step. Pass each parameter once, e.g. model.parameters() for one "
    "model, or a.parameters() + b.parameters() for two models that share nothing.":
        "в оптимизатор переданы повторяющиеся параметры: {names}{more} (повторов: {repeated} из {n}); "
        "каждый обновляется один раз за шаг. Передавайте каждый параметр один раз: например, "
        "model.parameters() для одной модели или a.parameters() + b.parameters() для двух моделей без "
        "общих параметров.",  # nn/optim.py
    "the Value at position {i}": "Value на позиции {i}",  # nn/optim.py

    # --- viz/graph.py: computation graph boxes and legend -------------------------------
    "input (leaf)": "вход (лист)",  # viz/graph.py
    "parameter": "параметр",  # viz/graph.py
    "constant": "константа",  # viz/graph.py
    "intermediate": "промежуточный узел",  # viz/graph.py
    "output": "выход",  # viz/graph.py
    "neuron / layer (collapsed)": "нейрон / слой (свёрнут)",  # viz/graph.py
    "{count} neurons, {act}": "нейронов: {count}, {act}",  # viz/graph.py
    "const {name}": "конст. {name}",  # viz/graph.py (short, as the English: a box as wide as the English one)
    "{count} uses": "использований: {count}",  # viz/graph.py
    "active node": "текущий узел",  # viz/graph.py
    "gets grad now": "сейчас получает grad",  # viz/graph.py
    "legend": "обозначения",  # viz/graph.py, viz/network.py
    "arrows point the way grads flow": "стрелки показывают, куда идут градиенты",  # viz/graph.py
    "edge: ∂ = ∂child/∂parent (local derivative)":
        "ребро: ∂ = ∂результат/∂операнд (локальная производная)",  # viz/graph.py
    "grad += ∂ × child.grad (what this use adds to the parent)":
        "grad += ∂ × grad результата (что это ребро добавляет к grad операнда)",  # viz/graph.py
    "the drawing's gradients": "градиенты на рисунке",  # viz/graph.py
    "each neuron drawn as one box to fit the page (collapse=None draws every node)":
        "каждый нейрон нарисован одним блоком, чтобы рисунок поместился (collapse=None рисует все узлы)",  # viz/graph.py
    "each layer drawn as one box to fit the page (collapse=None draws every node)":
        "каждый слой нарисован одним блоком, чтобы рисунок поместился (collapse=None рисует все узлы)",  # viz/graph.py
    "edge numbers left out to fit the page: the step's text has them":
        "числа на рёбрах опущены, чтобы рисунок поместился: они есть в тексте шага",  # viz/graph.py
    "edge numbers left out to fit the page: viz.explain_grad(w, root) writes them out":
        "числа на рёбрах опущены, чтобы рисунок поместился: их выписывает viz.explain_grad(w, root)",  # viz/graph.py

    # --- viz/network.py: architecture diagram -------------------------------------------
    "inputs": "входы",  # viz/network.py (the first column's heading)
    "hidden layer {n}": "скрытый слой {n}",  # viz/network.py
    "output layer": "выходной слой",  # viz/network.py
    "neuron": "нейрон",  # viz/network.py
    "blue: {what} > 0": "синий: {what} > 0",  # viz/network.py
    "red: {what} < 0": "красный: {what} < 0",  # viz/network.py
    "line width grows with |{what}| (largest {largest})":
        "толщина линии растёт с |{what}| (наибольшее |{what}| = {largest})",  # viz/network.py
    "δ in a neuron: ∂L/∂s at its sum s = w·x + b (= b.grad); an edge: w.grad = x · δ of the neuron it enters":
        "δ в нейроне: ∂L/∂s по его сумме s = w·x + b (= b.grad); на ребре: w.grad = x · δ нейрона, "
        "в который оно входит",  # viz/network.py (show="deltas")

    # --- viz/plots.py: training history, gradient sizes, activations --------------------
    "loss": "функция потерь",  # viz/plots.py
    "metric": "метрика",  # viz/plots.py
    "accuracy": "точность",  # viz/plots.py (metric_name from nn.fit; the notes' word), scalargrad/demo.py
    "train {name}": "обучающая выборка",  # viz/plots.py (legend; the panel's title and y label name the quantity)
    "validation {name}": "валидационная выборка",  # viz/plots.py (legend)
    "best epoch {best}": "лучшая эпоха: {best}",  # viz/plots.py
    "stopped at epoch {stopped}": "остановка на эпохе {stopped}",  # viz/plots.py
    "{name} (train vs validation)": "{name}: обучение и валидация",  # viz/plots.py
    "layer (input → output)": "слой (от входа к выходу)",  # viz/plots.py
    "‖grad‖₂ of the layer's parameters": "‖grad‖₂ параметров слоя",  # viz/plots.py
    " (log scale)": " (логарифмическая шкала)",  # viz/plots.py
    "gradient size per layer": "величина градиента по слоям",  # viz/plots.py
    "max f' = {value}": "максимум f' = {value}",  # viz/plots.py
    "plot_history: the history has no train_loss values (was fit() run for at least one epoch?)":
        "plot_history: в истории нет значений train_loss (fit() отработал хотя бы одну эпоху?)",  # viz/plots.py

    # --- viz/decision.py: decision boundary, regression fit, perceptron -----------------
    "class {c}": "класс {c}",  # viz/decision.py
    "model output (boundary at {threshold})": "выход модели (граница при {threshold})",  # viz/decision.py
    "decision boundary": "граница решений",  # viz/decision.py
    "data": "данные",  # viz/decision.py (legend of the data points)
    "true function": "истинная функция",  # viz/decision.py
    "model": "модель",  # viz/decision.py
    "regression fit (MSE on the data {mse})": "регрессия (MSE на данных {mse})",  # viz/decision.py
    "final line (after {n} update)": "итоговая прямая (обновлений: {n})",  # viz/decision.py
    "final line (after {n} updates)": "итоговая прямая (обновлений: {n})",  # viz/decision.py
    "perceptron: decision line w·x + b = 0 per update":
        "перцептрон: разделяющая прямая w·x + b = 0 после каждого обновления",  # viz/decision.py
    "plot_decision_boundary: the model's outputs are nan or inf on the plotting grid, so there is no "
    "boundary to draw; the training diverged (try a smaller learning rate)":
        "plot_decision_boundary: выходы модели на сетке для рисунка равны nan или inf, и границу "
        "нарисовать нельзя; обучение разошлось (попробуйте меньшую скорость обучения)",  # viz/decision.py
    "update {k}": "обновление {k}",  # viz/decision.py (a frame of plot_perceptron_steps)
    "circled: the example the dashed line got wrong; bold: the line after w ← w + y·x":
        "в кружке — пример, на котором ошиблась пунктирная прямая; жирная — прямая после w ← w + y·x",  # viz/decision.py

    # --- viz/replay.py: the backward pass step by step ----------------------------------
    "step {i}/{n}": "шаг {i}/{n}",  # viz/replay.py
    "... and {n} more": "... и ещё {n}",  # viz/replay.py
    "{root}.grad = 1.0   (∂{root}/∂{root} = 1: the seed of backward())":
        "{root}.grad = 1.0   (∂{root}/∂{root} = 1: с этого начинается backward())",  # viz/replay.py
    "   ({name}.grad is now {value})": "   (теперь {name}.grad = {value})",  # viz/replay.py
    "step {i}: ": "шаг {i}: ",  # viz/replay.py (continuation lines are indented by this prefix's length)
    "{n} steps; <code>.widget()</code> steps through them with a slider":
        "шагов: {n}; <code>.widget()</code> показывает их по одному с ползунком",  # viz/replay.py
    "step {i} of {n}": "шаг {i} из {n}",  # viz/replay.py
    "(<code>.save_html(path)</code>: the same as one page that needs no kernel)":
        "(<code>.save_html(path)</code>: то же самое одной страницей, которой не нужно ядро)",  # viz/replay.py
    "backward() from {root}, step by step": "backward() от {root} шаг за шагом",  # viz/replay.py (save_html's title)
    "play": "пуск",  # viz/replay.py, viz/step_page.py (button)
    "pause": "пауза",  # viz/step_page.py (button)
    "step": "шаг",  # viz/replay.py, viz/step_page.py (slider)
    "drag the slider, or use ← → (space plays and pauses)":
        "двигайте ползунок или нажимайте ← → (пробел — пуск и пауза)",  # viz/step_page.py

    # --- viz/explain.py: explain_grad ---------------------------------------------------
    "operand {i}": "операнд {i}",  # viz/explain.py
    "{head} = 1 (a value's derivative with respect to itself)":
        "{head} = 1 (производная величины по самой себе)",  # viz/explain.py
    "{head} = 0: {rn} does not depend on {vn} (no path from {vn} to {rn})":
        "{head} = 0: {rn} не зависит от {vn} (нет пути от {vn} к {rn})",  # viz/explain.py
    "{head} = the product of the local derivatives along the one path from {vn} to {rn} (the chain rule):":
        "{head} = произведение локальных производных вдоль единственного пути от {vn} к {rn} "
        "(правило цепочки):",  # viz/explain.py
    "{head} = sum over {n} paths from {vn} to {rn} of the product of the local derivatives along "
    "each path (the chain rule):":
        "{head} = сумма по всем путям от {vn} к {rn} (их {n}) произведений локальных производных "
        "вдоль каждого пути (правило цепочки):",  # viz/explain.py
    "  path {k}: {route}": "  путь {k}: {route}",  # viz/explain.py
    "  ... and {n} more paths (explain_grad(..., max_paths=N) lists more)":
        "  ... и ещё путей: {n} (explain_grad(..., max_paths=N) покажет больше)",  # viz/explain.py
    "as text": "текстом",  # viz/explain.py (the <details> summary under the formula)

    # --- viz/fmt.py, viz/dot.py, viz/render.py: what a notebook shows instead of a picture
    "batch[{shape}] mean {value}": "батч[{shape}], среднее {value}",  # viz/fmt.py
    "batch[{n}]": "батч[{n}]",  # viz/fmt.py
    "{n} nodes are too many to draw readably (Graphviz takes minutes above about {limit}); {advice}":
        "узлов слишком много ({n}), чтобы нарисовать их разборчиво (больше примерно {limit} "
        "Graphviz раскладывает минутами); {advice}",  # viz/dot.py
    "Graphviz did not lay out these {n} boxes in {seconds:g} s; {advice}":
        "Graphviz не успел разложить эти прямоугольники ({n}) за {seconds:g} с; {advice}",  # viz/dot.py
    "this picture ({n} boxes) would put {mib:.1f} MiB into the notebook; {advice}":
        "эта картинка (прямоугольников: {n}) добавила бы в ноутбук {mib:.1f} МиБ; {advice}",  # viz/dot.py
    "{error}; showing the start of the DOT source": "{error}; показано начало исходного текста DOT",  # viz/dot.py
    "draw less: pass model=... with collapse='layer' to draw_graph, or focus=<a Value> "
    "(only the paths from it), or draw one sample's graph (the loss of model(x) for one x); "
    ".save('graph.svg') lays it out anyway, .source has the DOT text":
        "нарисуйте меньше: передайте draw_graph model=... вместе с collapse='layer', или "
        "focus=<Value> (только пути от него), или нарисуйте граф одного примера (функцию потерь "
        "model(x) для одного x); .save('graph.svg') всё равно разложит граф, а в .source — текст DOT",  # viz/dot.py
    "no Graphviz renderer found: install one with `pip install graphviz-pure` (or a system `dot`), or "
    "point SCALARGRAD_GRAPHVIZ at it":
        "не найдена программа для рисования Graphviz: установите её командой "
        "`pip install graphviz-pure` (или системный `dot`) либо укажите путь к ней в "
        "SCALARGRAD_GRAPHVIZ",  # viz/render.py
    "; showing the DOT source": "; показываю исходный текст DOT",  # viz/render.py
    "rendering is switched off ({setting})": "рисование выключено ({setting})",  # viz/render.py
    "{setting} is not an executable Graphviz binary": "{setting} — не исполняемая программа Graphviz",  # viz/render.py
    "computation graph": "граф вычислений",  # viz/dot.py (the picture's alt text)

    # --- scalargrad/demo.py: printed summary --------------------------------------------
    "scalargrad demo: {dataset}, {n} points ({n_train} train / {n_val} validation), MLP {arch} (relu), "
    "{optimizer} lr {lr}, up to {epochs} epochs, batch {batch}":
        "scalargrad demo: {dataset}, точек: {n} (обучающая выборка {n_train} / валидационная {n_val}), "
        "MLP {arch} (relu), {optimizer} lr {lr}, эпох не больше {epochs}, батч {batch}",  # scalargrad/demo.py
    "scalargrad demo: training diverged: the loss became {loss} in epoch {epoch} with {optimizer} lr {lr}; "
    "try a smaller --lr (the default for {optimizer} is {default})":
        "scalargrad demo: обучение разошлось: функция потерь стала {loss} на эпохе {epoch} "
        "({optimizer}, lr {lr}); попробуйте меньший --lr (по умолчанию для {optimizer} — {default})",  # scalargrad/demo.py
    ", stopped early at epoch {epoch}": ", ранняя остановка на эпохе {epoch}",  # scalargrad/demo.py
    "train accuracy: {train}%   validation accuracy: {val}%   (weights of epoch {best}, the lowest "
    "validation loss{stopped}; {seconds} s)":
        "точность: на обучающей выборке {train}%, на валидационной {val}%   (веса эпохи "
        "{best} с наименьшей функцией потерь на валидационной выборке{stopped}; {seconds} с)",  # scalargrad/demo.py
    "drawing the pictures into {out}/ ...": "рисую картинки в {out}/ ...",  # scalargrad/demo.py
    "wrote {n} files to {out}/ in {seconds} s; open {uri} in a browser":
        "в {out}/ записано файлов: {n} за {seconds} с; откройте {uri} в браузере",  # scalargrad/demo.py
    "note: {note}": "примечание: {note}",  # scalargrad/demo.py

    # --- scalargrad/demo.py: index.html (title, facts table, sections, captions) --------
    "scalargrad demo": "scalargrad: демонстрация",  # scalargrad/demo.py (page title)
    "Note": "Примечание",  # scalargrad/demo.py
    "dataset": "набор данных",  # scalargrad/demo.py
    "{dataset}: {n_train} train / {n_val} validation points":
        "{dataset}: точек в обучающей выборке — {n_train}, в валидационной — {n_val}",  # scalargrad/demo.py
    "MLP {arch}, relu; {n} parameters": "MLP {arch}, relu; параметров: {n}",  # scalargrad/demo.py
    "training": "обучение",  # scalargrad/demo.py
    "{optimizer}, lr {lr}, batch {batch}, seed {seed}; {epochs} epochs, best {best}":
        "{optimizer}, lr {lr}, батч {batch}, seed {seed}; эпох: {epochs}, лучшая: {best}",  # scalargrad/demo.py
    "train accuracy": "точность на обучающей выборке",  # scalargrad/demo.py
    "validation accuracy": "точность на валидационной выборке",  # scalargrad/demo.py
    "{dataset}: what the MLP learned": "{dataset}: чему научился MLP",  # scalargrad/demo.py
    "Training": "Обучение",  # scalargrad/demo.py
    "Loss and accuracy per epoch on the training and the validation data; the dashed line marks the "
    "epoch with the lowest validation loss, whose weights are kept (training stops after {patience} "
    "epochs without a better one: early stopping).":
        "Функция потерь и точность по эпохам на обучающей и валидационной выборках; "
        "пунктир отмечает эпоху с наименьшей функцией потерь на валидационной выборке — её веса и "
        "сохраняются (обучение останавливается, если лучше не становится {patience} эпох подряд: "
        "ранняя остановка).",  # scalargrad/demo.py (patience = 25)
    "loss and accuracy per epoch: train vs validation":
        "функция потерь и точность по эпохам: обучающая и валидационная выборки",  # scalargrad/demo.py
    "Decision boundary": "Граница решений",  # scalargrad/demo.py
    "The class the trained network assigns to each point of the plane, with the data on top.":
        "Класс, который обученная сеть присваивает каждой точке плоскости, а поверх — данные.",  # scalargrad/demo.py
    "decision boundary on {dataset}; validation accuracy {accuracy}%":
        "граница решений на {dataset}; точность на валидационной выборке {accuracy}%",  # scalargrad/demo.py
    "The network": "Сеть",  # scalargrad/demo.py
    "Every neuron and synapse; the colour of an edge is the sign of its weight, its width the size.":
        "Все нейроны и синапсы; цвет ребра — знак его веса, толщина — величина веса.",  # scalargrad/demo.py
    "network diagram of the trained MLP {arch}": "схема обученной сети MLP {arch}",  # scalargrad/demo.py
    "One example through one neuron: forward": "Один пример через один нейрон: прямой проход",  # scalargrad/demo.py
    "The first hidden neuron <code>layers.0.neurons.0</code> on the training example x = ({x}), drawn as "
    "micrograd's graph: one node per * and +, then the activation. Each box shows the value computed "
    "in the forward pass.":
        "Первый нейрон скрытого слоя, <code>layers.0.neurons.0</code>, на обучающем примере x = ({x}), "
        "нарисованный как граф в micrograd: по узлу на каждое * и +, затем функция активации. В каждом "
        "блоке — значение, вычисленное при прямом проходе.",  # scalargrad/demo.py
    "forward pass: a = relu(w·x + b) at x = ({x})": "прямой проход: a = relu(w·x + b) при x = ({x})",  # scalargrad/demo.py
    "The same neuron: backward": "Тот же нейрон: обратный проход",  # scalargrad/demo.py
    "After <code>backward()</code>: each box holds d(output)/d(node); each edge the local derivative "
    "and what it adds to the grad (the chain rule).":
        "После <code>backward()</code>: в каждом блоке — d(выход)/d(узел), на каждом ребре — локальная "
        "производная и то, что она добавляет к grad (правило цепочки).",  # scalargrad/demo.py
    "backward pass: grads and local derivatives": "обратный проход: градиенты и локальные производные",  # scalargrad/demo.py
    "Backpropagation step by step": "Обратное распространение ошибки шаг за шагом",  # scalargrad/demo.py
    "The backward pass replayed one node at a time, in reverse topological order ({n} steps). Step through it "
    "with a slider (or the arrow keys) on its own page, which works offline:":
        "Обратный проход, по одному узлу за шаг, в обратном топологическом порядке (шагов: {n}). Пройти его "
        "по шагам с ползунком (или клавишами со стрелками) можно на отдельной странице, которая работает "
        "без интернета:",  # scalargrad/demo.py
    "the step-through: a slider over the steps": "пошаговый разбор: ползунок по шагам",  # scalargrad/demo.py
    "The same steps as an animation": "Те же шаги анимацией",  # scalargrad/demo.py
    "animation of the backward pass": "анимация обратного прохода",  # scalargrad/demo.py
    "The steps as slides": "Шаги как слайды",  # scalargrad/demo.py
    "One SVG per step, for slides:": "По одному SVG на шаг, для слайдов:",  # scalargrad/demo.py
    "step {i}: {text}": "шаг {i}: {text}",  # scalargrad/demo.py
    "{caption} (DOT text)": "{caption} (текст DOT)",  # scalargrad/demo.py
    "No Graphviz renderer was found, so the graphs are written as .dot text (install scalargrad[render], "
    "or a system Graphviz, then run the demo again; or render one yourself: dot -Tsvg network.dot -o "
    "network.svg).":
        "Программа Graphviz для рисования не найдена, поэтому графы записаны текстом .dot (установите "
        "scalargrad[render] или системный Graphviz и запустите демонстрацию снова; или нарисуйте граф "
        "сами: dot -Tsvg network.dot -o network.svg).",  # scalargrad/demo.py
    "Graphviz could not draw a graph, written as .dot instead: {error}":
        "Graphviz не смог нарисовать граф, вместо картинки записан .dot: {error}",  # scalargrad/demo.py
    "The animated GIF could not be made: {error}":
        "Не удалось сделать анимированный GIF: {error}",  # scalargrad/demo.py
    # --- notebooks/en/*.ipynb: what the course notebooks print, plot and check ---------------
    # (one contiguous block; the notebooks call tr("...") and the build keeps their code as is)
    "graph renderer:":
        "программа для рисования графов:",  # notebooks/en/01_value_and_chain_rule.ipynb
    "none (graphs are shown as DOT text)":
        "нет (графы показываются текстом DOT)",  # notebooks/en/01_value_and_chain_rule.ipynb
    "finite-difference slope of sin(x^2) at x = {x0}: {slope:.6f}":
        "наклон sin(x^2) в точке x = {x0} по конечным разностям: {slope:.6f}",  # notebooks/en/01_value_and_chain_rule.ipynb
    "tangent at x = {x0}, slope {slope:.2f}":
        "касательная в x = {x0}, наклон {slope:.2f}",  # notebooks/en/01_value_and_chain_rule.ipynb
    "|central difference − exact|":
        "|центральная разность − точное значение|",  # notebooks/en/01_value_and_chain_rule.ipynb
    "the best step should be moderate, got h = {best}":
        "лучший шаг должен быть умеренным, а получилось h = {best}",  # notebooks/en/01_value_and_chain_rule.ipynb
    "both extremes are worse":
        "оба крайних значения хуже",  # notebooks/en/01_value_and_chain_rule.ipynb
    "engine:             dy/dx = {grad:.10f}":
        "движок:             dy/dx = {grad:.10f}",  # notebooks/en/01_value_and_chain_rule.ipynb
    "by hand:            dy/dx = {by_hand:.10f}":
        "вручную:            dy/dx = {by_hand:.10f}",  # notebooks/en/01_value_and_chain_rule.ipynb
    "finite differences: dy/dx = {by_differences:.10f}":
        "конечные разности:  dy/dx = {by_differences:.10f}",  # notebooks/en/01_value_and_chain_rule.ipynb
    "  parents:":
        "  родители:",  # notebooks/en/01_value_and_chain_rule.ipynb
    "  local grads:":
        "  локальные градиенты:",  # notebooks/en/01_value_and_chain_rule.ipynb
    "x.grad is the product of local grads along the path":
        "x.grad — произведение локальных градиентов вдоль пути",  # notebooks/en/01_value_and_chain_rule.ipynb
    "gradcheck passed for g at (0.3, -1.2, 0.5)":
        "gradcheck пройден для g в точке (0.3, -1.2, 0.5)",  # notebooks/en/01_value_and_chain_rule.ipynb
    "gradcheck should have caught the missing factor 2x":
        "gradcheck должен был поймать пропущенный множитель 2x",  # notebooks/en/01_value_and_chain_rule.ipynb
    "  at x = {p:+.2f}: yours gives {got!r}, finite differences give {numeric:.6f}":
        "  при x = {p:+.2f}: у вас {got!r}, по конечным разностям {numeric:.6f}",  # notebooks/en/01_value_and_chain_rule.ipynb
    "wrong at {n} of {total} points:\n":
        "неверно в точках: {n} из {total}:\n",  # notebooks/en/01_value_and_chain_rule.ipynb
    "✓ correct at all {total} points":
        "✓ верно во всех точках ({total})",  # notebooks/en/01_value_and_chain_rule.ipynb
    "a wrong answer is caught:":
        "неверный ответ пойман:",  # notebooks/en/01_value_and_chain_rule.ipynb
    "the checker missed a wrong derivative":
        "проверка пропустила неверную производную",  # notebooks/en/01_value_and_chain_rule.ipynb
    "\nExercise 1 not done yet: checking the reference solution instead.":
        "\nУпражнение 1 ещё не сделано: вместо него проверяется эталонное решение.",  # notebooks/en/01_value_and_chain_rule.ipynb
    "local gradients wrong (x0 is x, x1 is y):\n{e}":
        "локальные градиенты неверны (x0 — это x, x1 — это y):\n{e}",  # notebooks/en/01_value_and_chain_rule.ipynb
    "✓ both local gradients are right":
        "✓ оба локальных градиента верны",  # notebooks/en/01_value_and_chain_rule.ipynb
    "the checker missed a wrong local gradient":
        "проверка пропустила неверный локальный градиент",  # notebooks/en/01_value_and_chain_rule.ipynb
    "\nExercise 2 not done yet: checking the reference solution instead.":
        "\nУпражнение 2 ещё не сделано: вместо него проверяется эталонное решение.",  # notebooks/en/01_value_and_chain_rule.ipynb
    "   by hand b + 1 =":
        "   вручную b + 1 =",  # notebooks/en/01_value_and_chain_rule.ipynb
    "d(s·s)/ds = 2s: both edges contribute s":
        "d(s·s)/ds = 2s: каждое из двух рёбер вносит s",  # notebooks/en/01_value_and_chain_rule.ipynb
    "after one backward:":
        "после одного backward:",  # notebooks/en/01_value_and_chain_rule.ipynb
    "  after two:":
        "  после двух:",  # notebooks/en/01_value_and_chain_rule.ipynb
    "the second call adds the same gradient again":
        "второй вызов ещё раз прибавляет тот же градиент",  # notebooks/en/01_value_and_chain_rule.ipynb
    "topological order:":
        "топологический порядок:",  # notebooks/en/01_value_and_chain_rule.ipynb
    "parents come first":
        "родители идут раньше",  # notebooks/en/01_value_and_chain_rule.ipynb
    "gradients:":
        "градиенты:",  # notebooks/en/01_value_and_chain_rule.ipynb
    "same as the engine":
        "так же, как у движка",  # notebooks/en/01_value_and_chain_rule.ipynb
    "{leaf} gets its gradient":
        "{leaf} получает свой градиент",  # notebooks/en/01_value_and_chain_rule.ipynb
    "neuron(x) with bias b == neuron([x, 1]) with weight b on the constant input":
        "neuron(x) со смещением b == neuron([x, 1]) с весом b на постоянном "
        "входе",  # notebooks/en/02_neuron_and_activations.ipynb
    "engine gradients match the formulas for":
        "градиенты движка совпадают с формулами для",  # notebooks/en/02_neuron_and_activations.ipynb
    "σ' is largest at 0, where it is 1/4":
        "σ' больше всего в 0, где она равна 1/4",  # notebooks/en/02_neuron_and_activations.ipynb
    "no gradient flows through a step":
        "через ступенчатую функцию градиент не проходит",  # notebooks/en/02_neuron_and_activations.ipynb
    "  z = {z0:+.1f} (s = {s:.4f}): yours {shown}, engine {expected:.6f}":
        "  z = {z0:+.1f} (s = {s:.4f}): у вас {shown}, у движка {expected:.6f}",  # notebooks/en/02_neuron_and_activations.ipynb
    "✓ correct at all points":
        "✓ верно во всех точках",  # notebooks/en/02_neuron_and_activations.ipynb
    "  z = {p:+.1f}: yours {yours:.6f}, tanh {tanh:.6f}":
        "  z = {p:+.1f}: у вас {yours:.6f}, tanh {tanh:.6f}",  # notebooks/en/02_neuron_and_activations.ipynb
    "values differ from tanh:\n":
        "значения отличаются от tanh:\n",  # notebooks/en/02_neuron_and_activations.ipynb
    "✓ values and gradients match tanh":
        "✓ значения и градиенты совпадают с tanh",  # notebooks/en/02_neuron_and_activations.ipynb
    "the checker missed a wrong formula":
        "проверка пропустила неверную формулу",  # notebooks/en/02_neuron_and_activations.ipynb
    "the three layers are one layer with W =\n":
        "три слоя — это один слой с W =\n",  # notebooks/en/02_neuron_and_activations.ipynb
    "\nand b =":
        "\nи b =",  # notebooks/en/02_neuron_and_activations.ipynb
    "with tanh, f(p+q) − f(p) − f(q) + f(0) = {gap:.3f} (0 for any affine map)":
        "с tanh f(p+q) − f(p) − f(q) + f(0) = {gap:.3f} (у любого аффинного "
        "отображения 0)",  # notebooks/en/02_neuron_and_activations.ipynb
    "mistakes per epoch:":
        "ошибок за эпоху:",  # notebooks/en/03_perceptron_and_gradient_descent.ipynb
    "on separable data the perceptron converges":
        "на разделимых данных перцептрон сходится",  # notebooks/en/03_perceptron_and_gradient_descent.ipynb
    "every point ends on its own side":
        "каждая точка оказывается на своей стороне",  # notebooks/en/03_perceptron_and_gradient_descent.ipynb
    "update {k} is not w + y·x for a misclassified example":
        "обновление {k} — не w + y·x для неверно классифицированного "
        "примера",  # notebooks/en/03_perceptron_and_gradient_descent.ipynb
    "all {n} updates follow w ← w + y·x":
        "все обновления ({n}) следуют правилу w ← w + y·x",  # notebooks/en/03_perceptron_and_gradient_descent.ipynb
    "mistakes per epoch on XOR:":
        "ошибок за эпоху на XOR:",  # notebooks/en/03_perceptron_and_gradient_descent.ipynb
    "XOR is not linearly separable":
        "XOR линейно неразделим",  # notebooks/en/03_perceptron_and_gradient_descent.ipynb
    "lecture formula:":
        "формула из лекции:",  # notebooks/en/03_perceptron_and_gradient_descent.ipynb
    "\nengine:         ":
        "\nдвижок:           ",  # notebooks/en/03_perceptron_and_gradient_descent.ipynb
    "expected a vector of 3 numbers (w1, w2, b), got {got!r}":
        "ожидался вектор из 3 чисел (w1, w2, b), а получено {got!r}",  # notebooks/en/03_perceptron_and_gradient_descent.ipynb
    "  dL/d{name}: yours {g:+.6f}, engine {e:+.6f}":
        "  dL/d{name}: у вас {g:+.6f}, у движка {e:+.6f}",  # notebooks/en/03_perceptron_and_gradient_descent.ipynb
    "wrong components:\n":
        "неверные компоненты:\n",  # notebooks/en/03_perceptron_and_gradient_descent.ipynb
    "✓ the lecture's formula equals backward()":
        "✓ формула из лекции совпадает с backward()",  # notebooks/en/03_perceptron_and_gradient_descent.ipynb
    "the checker missed a wrong gradient":
        "проверка пропустила неверный градиент",  # notebooks/en/03_perceptron_and_gradient_descent.ipynb
    "\nExercise not done yet: checking the reference solution instead.":
        "\nУпражнение ещё не сделано: вместо него проверяется "
        "эталонное решение.",  # notebooks/en/03_perceptron_and_gradient_descent.ipynb
    "loss {first:.3f} → {last:.3f}, accuracy {accuracy:.2f}":
        "функция потерь {first:.3f} → {last:.3f}, доля правильных "
        "ответов {accuracy:.2f}",  # notebooks/en/03_perceptron_and_gradient_descent.ipynb
    "with a small enough step, full-batch gradient descent lowers the loss every step":
        "при достаточно малом шаге градиентный спуск по всей выборке "
        "уменьшает функцию потерь на каждом шаге",  # notebooks/en/03_perceptron_and_gradient_descent.ipynb
    "logistic loss":
        "логистическая функция потерь",  # notebooks/en/03_perceptron_and_gradient_descent.ipynb
    "batch size {batch_size:2d}: {steps:2d} steps per epoch":
        "размер батча {batch_size:2d}: шагов за эпоху {steps:2d}",  # notebooks/en/03_perceptron_and_gradient_descent.ipynb
    "epoch 1 starts with examples":
        "эпоха 1 начинается с примеров",  # notebooks/en/03_perceptron_and_gradient_descent.ipynb
    "\nepoch 2 starts with examples":
        "\nэпоха 2 начинается с примеров",  # notebooks/en/03_perceptron_and_gradient_descent.ipynb
    "each epoch uses every example once":
        "каждая эпоха использует каждый пример один раз",  # notebooks/en/03_perceptron_and_gradient_descent.ipynb
    "and reshuffles them":
        "и заново их перемешивает",  # notebooks/en/03_perceptron_and_gradient_descent.ipynb
    "full batch (GD)":
        "вся выборка (GD)",  # notebooks/en/03_perceptron_and_gradient_descent.ipynb
    "mini-batch of 10":
        "мини-батч из 10",  # notebooks/en/03_perceptron_and_gradient_descent.ipynb
    "online (batch 1)":
        "онлайн (батч 1)",  # notebooks/en/03_perceptron_and_gradient_descent.ipynb
    "training loss":
        "функция потерь на обучающей выборке",  # notebooks/en/03_perceptron_and_gradient_descent.ipynb
    "per epoch, smaller batches take more steps and get further":
        "за эпоху меньшие батчи делают больше шагов и продвигаются "
        "дальше",  # notebooks/en/03_perceptron_and_gradient_descent.ipynb
    "{n_params} parameters; Σ (inputs + 1) · neurons = {by_formula}":
        "параметров: {n_params}; Σ (входы + 1) · нейроны = {by_formula}",  # notebooks/en/04_mlp_and_backprop.ipynb
    "numpy forward:":
        "прямой проход в numpy:",  # notebooks/en/04_mlp_and_backprop.ipynb
    "  model:":
        "  модель:",  # notebooks/en/04_mlp_and_backprop.ipynb
    "layer {l}: max |hand − engine| = {err:.2e}":
        "слой {l}: max |вручную − движок| = {err:.2e}",  # notebooks/en/04_mlp_and_backprop.ipynb
    "gradient by the delta rule (numpy)":
        "градиент по правилу дельт (numpy)",  # notebooks/en/04_mlp_and_backprop.ipynb
    "gradient by backward()":
        "градиент из backward()",  # notebooks/en/04_mlp_and_backprop.ipynb
    "every weight and bias of the network":
        "все веса и смещения сети",  # notebooks/en/04_mlp_and_backprop.ipynb
    "loss before the step {before:.5f}, after {after:.5f}":
        "функция потерь до шага {before:.5f}, после {after:.5f}",  # notebooks/en/04_mlp_and_backprop.ipynb
    "expected a vector of {n} deltas, got {got!r}":
        "ожидался вектор из {n} дельт, а получено {got!r}",  # notebooks/en/04_mlp_and_backprop.ipynb
    "  hidden neuron {i}: yours {g:+.6f}, engine {e:+.6f}":
        "  скрытый нейрон {i}: у вас {g:+.6f}, у движка {e:+.6f}",  # notebooks/en/04_mlp_and_backprop.ipynb
    "wrong deltas:\n":
        "неверные дельты:\n",  # notebooks/en/04_mlp_and_backprop.ipynb
    "✓ your deltas equal the engine's bias gradients":
        "✓ ваши дельты совпадают с градиентами движка по смещениям",  # notebooks/en/04_mlp_and_backprop.ipynb
    "the checker missed a wrong answer":
        "проверка пропустила неверный ответ",  # notebooks/en/04_mlp_and_backprop.ipynb
    "H = {H}: training MSE {first:.3f} → {last:.4f}":
        "H = {H}: MSE на обучающей выборке {first:.3f} → {last:.4f}",  # notebooks/en/04_mlp_and_backprop.ipynb
    "H = {H}: training must lower the loss":
        "H = {H}: обучение должно уменьшать функцию потерь",  # notebooks/en/04_mlp_and_backprop.ipynb
    "more hidden sigmoids fit better: {final}":
        "чем больше сигмоид в скрытом слое, тем лучше приближение: {final}",  # notebooks/en/04_mlp_and_backprop.ipynb
    "six sigmoids already approximate one period of a sine closely":
        "уже шесть сигмоид хорошо приближают один период синуса",  # notebooks/en/04_mlp_and_backprop.ipynb
    "MSE fit c = {c_mse:.3f} (mean {mean:.3f});  MAE fit c = {c_mae:.3f} (median {median:.3f})":
        "по MSE c = {c_mse:.3f} (среднее {mean:.3f});  по MAE c = {c_mae:.3f} (медиана "
        "{median:.3f})",  # notebooks/en/05_losses.ipynb
    "targets y":
        "целевые значения y",  # notebooks/en/05_losses.ipynb
    "prediction minimising MSE: {c_mse:.2f}":
        "предсказание с наименьшей MSE: {c_mse:.2f}",  # notebooks/en/05_losses.ipynb
    "prediction minimising MAE: {c_mae:.2f}":
        "предсказание с наименьшей MAE: {c_mae:.2f}",  # notebooks/en/05_losses.ipynb
    "example":
        "пример",  # notebooks/en/05_losses.ipynb
    "BCE = {bce:.4f} = BCE with logits = logistic loss with ±1 labels":
        "BCE = {bce:.4f} = BCE по логитам = логистическая функция потерь с метками ±1",  # notebooks/en/05_losses.ipynb
    "predicted probability p of class 1":
        "предсказанная вероятность p класса 1",  # notebooks/en/05_losses.ipynb
    "a confident wrong answer costs a lot":
        "уверенный неверный ответ обходится дорого",  # notebooks/en/05_losses.ipynb
    " sum =":
        " сумма =",  # notebooks/en/05_losses.ipynb
    "adding a constant to every logit changes nothing":
        "прибавление константы ко всем логитам ничего не меняет",  # notebooks/en/05_losses.ipynb
    "cross-entropy = NLL of log-softmax":
        "кросс-энтропия = NLL от log-softmax",  # notebooks/en/05_losses.ipynb
    "cross-entropy = {ce:.4f}; gradients = (softmax − one-hot) / N":
        "кросс-энтропия = {ce:.4f}; градиенты = (softmax − one-hot) / N",  # notebooks/en/05_losses.ipynb
    "expected {n} numbers, got {got!r}":
        "ожидалось чисел: {n}, а получено {got!r}",  # notebooks/en/05_losses.ipynb
    "  dL/dz_{k}: yours {g:+.5f}, engine {engine:+.5f}":
        "  dL/dz_{k}: у вас {g:+.5f}, у движка {engine:+.5f}",  # notebooks/en/05_losses.ipynb
    "✓ gradient = softmax − one-hot":
        "✓ градиент = softmax − one-hot",  # notebooks/en/05_losses.ipynb
    "loss {loss0:.3f} → {loss1:.3f};  accuracy {acc0:.2f} → {acc1:.2f}":
        "функция потерь {loss0:.3f} → {loss1:.3f};  доля правильных ответов {acc0:.2f} → "
        "{acc1:.2f}",  # notebooks/en/05_losses.ipynb
    "after nudging one weight by 1e-4: Δaccuracy = {d_acc}, Δloss = {d_loss:.2e}":
        "после сдвига одного веса на 1e-4: Δ(доля правильных ответов) = {d_acc}, Δ(функция "
        "потерь) = {d_loss:.2e}",  # notebooks/en/05_losses.ipynb
    "parameters learned:":
        "выучено параметров:",  # notebooks/en/05_losses.ipynb
    "hyperparameters chosen: sizes =":
        "выбранные гиперпараметры: sizes =",  # notebooks/en/05_losses.ipynb
    "train / val / test sizes:":
        "размеры обучающей / валидационной / тестовой выборок:",  # notebooks/en/06_training_practice.ipynb
    "too small: still far away":
        "слишком малый шаг: всё ещё далеко",  # notebooks/en/06_training_practice.ipynb
    "too large: diverges":
        "слишком большой шаг: расходится",  # notebooks/en/06_training_practice.ipynb
    "LinearLR(1 → 0.1 in 20)":
        "LinearLR(1 → 0.1 за 20)",  # notebooks/en/06_training_practice.ipynb
    "learning rate":
        "скорость обучения",  # notebooks/en/06_training_practice.ipynb
    "gradients range over":
        "градиенты лежат в диапазоне",  # notebooks/en/06_training_practice.ipynb
    "momentum speeds up plain SGD here":
        "здесь момент ускоряет обычный SGD",  # notebooks/en/06_training_practice.ipynb
    "momentum_step returned None; return (w_new, v_new)":
        "momentum_step вернула None; верните (w_new, v_new)",  # notebooks/en/06_training_practice.ipynb
    "step {step}, w[{i}]: yours {yours:+.6f}, nn.optim.SGD {sgd:+.6f}":
        "шаг {step}, w[{i}]: у вас {yours:+.6f}, у nn.optim.SGD {sgd:+.6f}",  # notebooks/en/06_training_practice.ipynb
    "✓ five steps equal nn.optim.SGD with momentum":
        "✓ пять шагов совпадают с nn.optim.SGD с моментом",  # notebooks/en/06_training_practice.ipynb
    "the checker missed a wrong step":
        "проверка пропустила неверный шаг",  # notebooks/en/06_training_practice.ipynb
    "{scheme:8s} variance {measured:.5f}   formula {var:.5f}":
        "{scheme:8s} дисперсия {measured:.5f}   по формуле {var:.5f}",  # notebooks/en/06_training_practice.ipynb
    "{name:18s} mean σ'(z) over 50 neurons = {slope:.4f}":
        "{name:18s} средняя σ'(z) по 50 нейронам = {slope:.4f}",  # notebooks/en/06_training_practice.ipynb
    "the larger the weights, the flatter the sigmoid where z lands":
        "чем больше веса, тем более пологий участок сигмоиды, куда попадает z",  # notebooks/en/06_training_practice.ipynb
    "identical neurons, identical gradients":
        "одинаковые нейроны — одинаковые градиенты",  # notebooks/en/06_training_practice.ipynb
    "first layer: plain {plain_first:.1e}, with skips {skip_first:.1e}; last hidden layer: plain {plain_last:.1e}":
        "первый слой: без остаточных связей {plain_first:.1e}, с ними "
        "{skip_first:.1e}; последний скрытый слой без остаточных связей: "
        "{plain_last:.1e}",  # notebooks/en/06_training_practice.ipynb
    "plain: the gradient vanishes on its way down":
        "без остаточных связей градиент затухает по пути вниз",  # notebooks/en/06_training_practice.ipynb
    "skips keep it alive":
        "остаточные связи его сохраняют",  # notebooks/en/06_training_practice.ipynb
    "layer {i}":
        "слой {i}",  # notebooks/en/06_training_practice.ipynb
    "plain sigmoid layers":
        "слои сигмоид без остаточных связей",  # notebooks/en/06_training_practice.ipynb
    "with skip connections":
        "с остаточными связями",  # notebooks/en/06_training_practice.ipynb
    "validation loss is lowest after epoch {epoch}: {lowest:.3f}; after epoch 150: {last:.3f}":
        "функция потерь на валидационной выборке меньше всего после эпохи {epoch}: "
        "{lowest:.3f}; после эпохи 150: {last:.3f}",  # notebooks/en/06_training_practice.ipynb
    "validation loss rose after its minimum":
        "функция потерь на валидационной выборке после минимума выросла",  # notebooks/en/06_training_practice.ipynb
    "while the training loss kept falling":
        "а на обучающей продолжала падать",  # notebooks/en/06_training_practice.ipynb
    "early stopping: best epoch {best}, stopped after epoch {stopped}":
        "ранняя остановка: лучшая эпоха {best}, остановка после эпохи {stopped}",  # notebooks/en/06_training_practice.ipynb
    "stopped before the end":
        "остановка раньше конца",  # notebooks/en/06_training_practice.ipynb
    "after 20 epochs without improvement":
        "после 20 эпох без улучшения",  # notebooks/en/06_training_practice.ipynb
    "the model keeps the best epoch's weights":
        "у модели остаются веса лучшей эпохи",  # notebooks/en/06_training_practice.ipynb
    "test loss: retrained for {epochs} epochs {retrained:.3f}; overfitted for 150 epochs {overfitted:.3f}":
        "функция потерь на тестовой выборке: обученная заново (эпох: {epochs}) "
        "{retrained:.3f}; переобученная (150 эпох) {overfitted:.3f}",  # notebooks/en/06_training_practice.ipynb
    "weight decay wd  ≡  L2 penalty wd/2":
        "weight decay wd  ≡  штраф L2 wd/2",  # notebooks/en/06_training_practice.ipynb
    "‖w‖: without L2 {plain:.1f}, with L2 {l2:.1f}":
        "‖w‖: без L2 {plain:.1f}, с L2 {l2:.1f}",  # notebooks/en/06_training_practice.ipynb
    "validation loss after 150 epochs: without L2 {plain:.3f}, with L2 {l2:.3f}":
        "функция потерь на валидационной выборке после 150 эпох: без L2 {plain:.3f}, "
        "с L2 {l2:.3f}",  # notebooks/en/06_training_practice.ipynb
    "the penalty keeps the weights small":
        "штраф не даёт весам расти",  # notebooks/en/06_training_practice.ipynb
    "and here it generalises better":
        "и здесь модель лучше обобщает",  # notebooks/en/06_training_practice.ipynb
    "no regularisation: bent around single points":
        "без регуляризации: граница огибает отдельные точки",  # notebooks/en/06_training_practice.ipynb
    "L2 = 0.01: a smoother boundary":
        "L2 = 0.01: граница глаже",  # notebooks/en/06_training_practice.ipynb
    "switched off N_out = {n_out} of N = {n}; survivors scaled to {scale:.4f} = 1/(1 − p); N/(N − N_out) for this draw = "
    "{ratio:.4f}":
        "выключено N_out = {n_out} из N = {n}; оставшиеся увеличены до {scale:.4f} = "
        "1/(1 − p); N/(N − N_out) в этом случае = {ratio:.4f}",  # notebooks/en/06_training_practice.ipynb
    "survivors are scaled by 1/(1 − p)":
        "оставшиеся умножаются на 1/(1 − p)",  # notebooks/en/06_training_practice.ipynb
    "the expected output is unchanged":
        "ожидаемый выход не меняется",  # notebooks/en/06_training_practice.ipynb
    "eval mode: the identity":
        "в режиме eval — тождественное отображение",  # notebooks/en/06_training_practice.ipynb
    "train mode: two calls give {a:.3f}, {b:.3f};  eval mode: {c:.3f}, {d:.3f}":
        "режим train: два вызова дают {a:.3f}, {b:.3f};  режим eval: {c:.3f}, {d:.3f}",  # notebooks/en/06_training_practice.ipynb
    "PyTorch is not installed: the PyTorch cells below are skipped. Install it with\n    {install}\nand restart the kernel.":
        "PyTorch не установлен: ячейки с PyTorch ниже пропускаются. Установите "
        "его командой\n    {install}\nи перезапустите ядро.",  # notebooks/en/07_same_network_in_pytorch.ipynb
    "skipped: PyTorch is not installed":
        "пропущено: PyTorch не установлен",  # notebooks/en/07_same_network_in_pytorch.ipynb
    "the same network, the same loss":
        "одна и та же сеть, одна и та же функция потерь",  # notebooks/en/07_same_network_in_pytorch.ipynb
    "largest difference between the curves:":
        "наибольшее расхождение кривых:",  # notebooks/en/07_same_network_in_pytorch.ipynb
    "after 50 AdamW steps in PyTorch: loss {loss:.4f} (was {was:.4f})":
        "после 50 шагов AdamW в PyTorch: функция потерь {loss:.4f} (была "
        "{was:.4f})",  # notebooks/en/07_same_network_in_pytorch.ipynb
    "back in scalargrad:":
        "снова в scalargrad:",  # notebooks/en/07_same_network_in_pytorch.ipynb
    "expected an array of shape (4, 3) = (nout, nin), got {shape}":
        "ожидался массив формы (4, 3) = (nout, nin), а получено {shape}",  # notebooks/en/07_same_network_in_pytorch.ipynb
    "entry [{j}, {k}] should be neuron {j}'s weight {k} ({want:.4f}), got {got:.4f}":
        "элемент [{j}, {k}] должен быть весом {k} нейрона {j} ({want:.4f}), а "
        "получено {got:.4f}",  # notebooks/en/07_same_network_in_pytorch.ipynb
    "✓ row j is neuron j: the same matrix torch.nn.Linear holds":
        "✓ строка j — это нейрон j: та же матрица, что хранит torch.nn.Linear",  # notebooks/en/07_same_network_in_pytorch.ipynb
    "not yet:":
        "пока нет:",  # notebooks/en/07_same_network_in_pytorch.ipynb
    "node with parent":
        "узел с родителем",  # notebooks/en/01_value_and_chain_rule.ipynb
    "tanh({z}) = {tanh:.4f}; the table's formula: {table:.4f}; lecture 2's: {notes:.4f} = -1/tanh({z})":
        "tanh({z}) = {tanh:.4f}; по формуле из таблицы: {table:.4f}; по формуле "
        "лекции 2: {notes:.4f} = -1/tanh({z})",  # notebooks/en/02_neuron_and_activations.ipynb
    "{name}: {n} steps per epoch":
        "{name}: шагов за эпоху: {n}",  # notebooks/en/03_perceptron_and_gradient_descent.ipynb
    "{name}: 1 step per epoch":
        "{name}: 1 шаг за эпоху",  # notebooks/en/03_perceptron_and_gradient_descent.ipynb
    "loss of the step's batch":
        "функция потерь на батче шага",  # notebooks/en/03_perceptron_and_gradient_descent.ipynb
    "the smaller the batch, the noisier the loss from step to step":
        "чем меньше батч, тем сильнее функция потерь скачет от шага к "
        "шагу",  # notebooks/en/03_perceptron_and_gradient_descent.ipynb
    "each neuron's b.grad is its δ from the recursion":
        "b.grad каждого нейрона — это его δ из рекуррентной формулы",  # notebooks/en/04_mlp_and_backprop.ipynb
    "the network is exactly this sum":
        "сеть — это в точности эта сумма",  # notebooks/en/04_mlp_and_backprop.ipynb
    "each hidden neuron: w¹ₕ σ(wₕ x + bₕ)":
        "каждый скрытый нейрон: w¹ₕ σ(wₕ x + bₕ)",  # notebooks/en/04_mlp_and_backprop.ipynb
    "their sum + b¹":
        "их сумма + b¹",  # notebooks/en/04_mlp_and_backprop.ipynb
    "the network's output":
        "выход сети",  # notebooks/en/04_mlp_and_backprop.ipynb
    "from epoch 10 on the validation loss stays above the training loss":
        "начиная с эпохи 10 функция потерь на валидационной выборке выше, чем на "
        "обучающей",  # notebooks/en/06_training_practice.ipynb
    "validation loss after 150 epochs: no regularisation {plain:.3f}, L2 {l2:.3f}, dropout 0.5 {dropout:.3f}":
        "функция потерь на валидационной выборке после 150 эпох: без регуляризации "
        "{plain:.3f}, L2 {l2:.3f}, dropout 0.5 {dropout:.3f}",  # notebooks/en/06_training_practice.ipynb
    "dropout keeps the big network from memorising":
        "dropout не даёт большой сети запомнить обучающую выборку",  # notebooks/en/06_training_practice.ipynb
    "it fits the training points less tightly":
        "она не так плотно подгоняется под обучающие точки",  # notebooks/en/06_training_practice.ipynb
    "dropout 0.5: a smoother boundary too":
        "dropout 0.5: граница тоже глаже",  # notebooks/en/06_training_practice.ipynb
    "difference":
        "разница",  # notebooks/en/07_same_network_in_pytorch.ipynb
    "score s = {s:+.3f}: P(y=+1|x) = {p_plus:.3f}, P(y=-1|x) = {p_minus:.3f}":
        "оценка s = {s:+.3f}: P(y=+1|x) = {p_plus:.3f}, "
        "P(y=-1|x) = {p_minus:.3f}",  # notebooks/en/03_perceptron_and_gradient_descent.ipynb
}
