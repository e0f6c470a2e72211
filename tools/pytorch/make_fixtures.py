"""Generate PyTorch reference fixtures for DeepCanvas's Java tests.

Writes four JSON files into engine/src/test/resources/fixtures/:

  lenet5.json  LeNet-5 initial weights, one batch, logits, loss, gradients,
               and parameters after 1 and 3 steps of SGD(momentum) and Adam.
  optim.json   A tiny MLP trained for 4 steps under several SGD / Adam /
               RMSprop configurations (weight decay, nesterov, amsgrad, ...).
  ops.json     Single ops: inputs, output, upstream gradient and input grads.
  init.json    PyTorch's default-init bounds for the LeNet layers.

Run from the repository root (CPU, float32, single thread, deterministic):

    /usr/bin/python3 tools/pytorch/make_fixtures.py

Re-running produces byte-identical files. See tools/pytorch/README.md for
the JSON conventions.
"""

import copy
import gzip
import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

# One thread: multi-threaded CPU kernels may reduce in a different order,
# which would make the output depend on the machine.
torch.set_num_threads(1)
torch.set_default_dtype(torch.float32)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT_DIR = os.path.join(ROOT, "engine", "src", "test", "resources", "fixtures")
META = {"torch": torch.__version__, "script": "tools/pytorch/make_fixtures.py"}


# ---------------------------------------------------------------- encoding

def num(v):
    """A float32 value as the shortest decimal that still round-trips (9 sig. digits)."""
    v = float(v)
    if not math.isfinite(v):
        raise ValueError(f"non-finite value in fixture: {v}")
    return float(f"{v:.9g}")


def tensor(t):
    """{"shape": [...], "data": [row-major floats]}; integer tensors become floats."""
    t = t.detach().to(torch.float32).contiguous()
    return {"shape": list(t.shape), "data": [num(v) for v in t.reshape(-1).tolist()]}


def named(mapping):
    return {k: tensor(v) for k, v in mapping.items()}


def write(name, obj):
    obj["meta"] = META
    path = os.path.join(OUT_DIR, name)
    # LeNet alone holds ~370k floats: it is stored gzipped (mtime 0 keeps the bytes reproducible).
    raw = (json.dumps(obj, separators=(",", ":")) + "\n").encode()
    if name.endswith(".gz"):
        with open(path, "wb") as f, gzip.GzipFile(fileobj=f, mode="wb", compresslevel=9, mtime=0, filename="") as z:
            z.write(raw)
    else:
        with open(path, "wb") as f:
            f.write(raw)
    print(f"wrote {os.path.relpath(path, ROOT)} ({os.path.getsize(path)} bytes)")


def grad_fn_chain(t):
    """grad_fn names from t back along next_functions[0] (ends at AccumulateGrad or a leaf)."""
    names, fn = [], t.grad_fn
    while fn is not None:
        names.append(fn.name())
        nxt = fn.next_functions
        fn = nxt[0][0] if nxt else None
    return names


def grad_fn_path(t):
    """grad_fn names along the data path: at each node, the first input that is itself
    an op (skipping AccumulateGrad leaves), so the path reaches the first layer."""
    names, fn = [], t.grad_fn
    while fn is not None:
        names.append(fn.name())
        ops = [f for f, _ in fn.next_functions
               if f is not None and not hasattr(f, "variable")]
        fn = ops[0] if ops else None
    return names


# ---------------------------------------------------------------- A. LeNet-5

class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(400, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


def train_steps(model, make_opt, batch, loss_fn, steps, keep):
    """Run `steps` full-batch steps; return losses and the state_dicts after the steps in `keep`."""
    opt = make_opt(model.parameters())
    losses, snapshots = [], {}
    for step in range(1, steps + 1):
        opt.zero_grad()
        loss = loss_fn(model(batch[0]), batch[1])
        loss.backward()
        opt.step()
        # The loss is the one computed *before* this step's update.
        losses.append(num(loss.item()))
        if step in keep:
            snapshots[step] = {k: v.clone() for k, v in model.state_dict().items()}
    return losses, snapshots


def make_lenet():
    torch.manual_seed(0)
    model = LeNet5()
    x = torch.randn(8, 1, 32, 32)
    target = torch.randint(0, 10, (8,))
    init = copy.deepcopy(model.state_dict())

    logits = model(x)
    loss = nn.CrossEntropyLoss()(logits, target)
    loss.backward()
    out = {
        "params": named(init),
        "x": tensor(x),
        "target": tensor(target),
        "logits": tensor(logits),
        "loss": num(loss.item()),
        "grads": {k: tensor(p.grad) for k, p in model.named_parameters()},
        "grad_fn_chain": grad_fn_chain(loss),
        "grad_fn_path": grad_fn_path(loss),
    }

    optimizers = {
        "sgd": ({"lr": 0.01, "momentum": 0.9},
                lambda ps: torch.optim.SGD(ps, lr=0.01, momentum=0.9)),
        "adam": ({"lr": 1e-3},
                 lambda ps: torch.optim.Adam(ps, lr=1e-3)),
    }
    for key, (hyper, make_opt) in optimizers.items():
        model.load_state_dict(init)
        losses, snaps = train_steps(model, make_opt, (x, target), nn.CrossEntropyLoss(),
                                    steps=3, keep=(1, 3))
        out[key] = dict(hyper, after1=named(snaps[1]), after3=named(snaps[3]), losses=losses)
    write("lenet5.json.gz", out)


# ---------------------------------------------------------------- B. optimizers

OPTIM_CONFIGS = [
    ("SGD", {"lr": 0.1}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "dampening": 0.1, "weight_decay": 0.01}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}),
    ("Adam", {"lr": 0.01}),
    ("Adam", {"lr": 0.01, "betas": (0.8, 0.95), "eps": 1e-6, "weight_decay": 0.01,
              "amsgrad": True}),
    ("RMSprop", {"lr": 0.01}),
    ("RMSprop", {"lr": 0.01, "alpha": 0.9, "eps": 1e-6, "momentum": 0.9, "centered": True,
                 "weight_decay": 0.01}),
]

# Implementation switches in optimizer.defaults that are not part of the update rule.
_NOT_HYPER = {"foreach", "capturable", "differentiable", "fused"}


def jsonable(v):
    return list(v) if isinstance(v, tuple) else v


def make_optim():
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(5, 4), nn.Tanh(), nn.Linear(4, 3))
    x = torch.randn(6, 5)
    y = torch.randn(6, 3)
    init = copy.deepcopy(model.state_dict())

    configs = []
    for name, hyper in OPTIM_CONFIGS:
        model.load_state_dict(init)
        cls = getattr(torch.optim, name)
        losses, snaps = train_steps(model, lambda ps: cls(ps, **hyper), (x, y), nn.MSELoss(),
                                    steps=4, keep=(4,))
        # "resolved" spells out every default the given config left implicit.
        resolved = {k: jsonable(v) for k, v in cls([torch.zeros(1)], **hyper).defaults.items()
                    if k not in _NOT_HYPER and v is not None}
        configs.append({
            "optimizer": name,
            "config": {k: jsonable(v) for k, v in hyper.items()},
            "resolved": resolved,
            "after": named(snaps[4]),
            "losses": losses,
        })
    write("optim.json", {"params": named(init), "x": tensor(x), "y": tensor(y),
                         "configs": configs})


# ---------------------------------------------------------------- C. single ops

def leaf(t):
    return t.detach().clone().requires_grad_(True)


def randn_leaf(*shape):
    return leaf(torch.randn(*shape))


def run_case(inputs, fn, args=None, extra=None):
    """Forward `fn(**inputs)`, backprop a random upstream gradient, record everything.

    `fn` returns the output tensor, or (output, {name: extra tensor}) for ops with
    side outputs (max indices, batch-norm running stats).
    """
    result = fn(**inputs)
    side = {}
    if isinstance(result, tuple):
        result, side = result
    # randn(()) gives a shape-[] scalar for reductions / losses.
    gout = torch.randn(result.shape)
    result.backward(gout)
    case = {
        "inputs": named(inputs),
        "args": args or {},
        "out": tensor(result),
        "gout": tensor(gout),
        "grads": {k: tensor(v.grad) for k, v in inputs.items() if v.grad is not None},
        "grad_fn": result.grad_fn.name(),
    }
    case.update({k: tensor(v) for k, v in side.items()})
    if extra:
        case.update(extra)
    return case


def conv_cases():
    cases = {}
    torch.manual_seed(100)
    cases["conv2d_basic"] = run_case(
        {"x": randn_leaf(2, 3, 7, 7), "w": randn_leaf(4, 3, 3, 3), "b": randn_leaf(4)},
        lambda x, w, b: F.conv2d(x, w, b, stride=1, padding=0),
        {"stride": [1, 1], "padding": [0, 0], "dilation": [1, 1], "groups": 1})

    torch.manual_seed(101)
    args = {"stride": [2, 1], "padding": [1, 2], "dilation": [2, 1], "groups": 2}
    cases["conv2d_strided"] = run_case(
        {"x": randn_leaf(2, 4, 9, 8), "w": randn_leaf(6, 2, 3, 2), "b": randn_leaf(6)},
        lambda x, w, b: F.conv2d(x, w, b, **args), args)

    torch.manual_seed(102)
    cases["conv2d_nobias_pad"] = run_case(
        {"x": randn_leaf(1, 1, 5, 5), "w": randn_leaf(2, 1, 3, 3)},
        lambda x, w: F.conv2d(x, w, None, padding=1),
        {"stride": [1, 1], "padding": [1, 1], "dilation": [1, 1], "groups": 1, "bias": False})
    return cases


def pool_cases():
    cases = {}
    torch.manual_seed(110)
    cases["max_pool2d"] = run_case(
        {"x": randn_leaf(2, 3, 8, 8)},
        lambda x: F.max_pool2d(x, 2, 2),
        {"kernel_size": [2, 2], "stride": [2, 2], "padding": [0, 0]})

    torch.manual_seed(111)
    cases["max_pool2d_pad"] = run_case(
        {"x": randn_leaf(1, 2, 7, 7)},
        lambda x: F.max_pool2d(x, 3, 2, 1),
        {"kernel_size": [3, 3], "stride": [2, 2], "padding": [1, 1]})

    torch.manual_seed(112)
    # F.avg_pool2d's stride defaults to kernel_size.
    cases["avg_pool2d"] = run_case(
        {"x": randn_leaf(2, 3, 8, 8)},
        lambda x: F.avg_pool2d(x, 2),
        {"kernel_size": [2, 2], "stride": [2, 2], "padding": [0, 0],
         "count_include_pad": True})

    torch.manual_seed(113)
    cases["avg_pool2d_pad"] = run_case(
        {"x": randn_leaf(1, 2, 7, 7)},
        lambda x: F.avg_pool2d(x, 3, 2, 1, count_include_pad=True),
        {"kernel_size": [3, 3], "stride": [2, 2], "padding": [1, 1],
         "count_include_pad": True})
    return cases


def softmax_loss_cases():
    cases = {}
    torch.manual_seed(120)
    cases["softmax_dim1"] = run_case({"x": randn_leaf(4, 10)},
                                     lambda x: F.softmax(x, dim=1), {"dim": 1})
    torch.manual_seed(121)
    cases["log_softmax_dim1"] = run_case({"x": randn_leaf(4, 10)},
                                         lambda x: F.log_softmax(x, dim=1), {"dim": 1})
    torch.manual_seed(122)
    cases["log_softmax_dim0"] = run_case({"x": randn_leaf(5, 3)},
                                         lambda x: F.log_softmax(x, dim=0), {"dim": 0})

    for seed, reduction in ((123, "mean"), (124, "sum")):
        torch.manual_seed(seed)
        logits = randn_leaf(6, 10)
        target = torch.randint(0, 10, (6,))
        cases[f"cross_entropy_{reduction}"] = run_case(
            {"logits": logits, "target": target},
            lambda logits, target, r=reduction: F.cross_entropy(logits, target, reduction=r),
            {"reduction": reduction})

    torch.manual_seed(125)
    # The leaf is the log-probabilities themselves, so grads are nll_loss's own.
    logp = leaf(F.log_softmax(torch.randn(6, 5), dim=1))
    target = torch.randint(0, 5, (6,))
    cases["nll_loss_mean"] = run_case({"input": logp, "target": target},
                                      lambda input, target: F.nll_loss(input, target),
                                      {"reduction": "mean"})

    for seed, reduction in ((126, "mean"), (127, "sum")):
        torch.manual_seed(seed)
        cases[f"mse_{reduction}"] = run_case(
            {"a": randn_leaf(3, 4), "b": randn_leaf(3, 4)},
            lambda a, b, r=reduction: F.mse_loss(a, b, reduction=r),
            {"reduction": reduction})
    return cases


def linalg_cases():
    cases = {}
    shapes = {"matmul_2d": ((3, 4), (4, 5)),
              "matmul_batched": ((2, 3, 4), (2, 4, 5)),
              "matmul_broadcast": ((2, 3, 4), (4, 5))}
    for seed, (name, (sa, sb)) in enumerate(shapes.items(), start=130):
        torch.manual_seed(seed)
        cases[name] = run_case({"a": randn_leaf(*sa), "b": randn_leaf(*sb)},
                               lambda a, b: torch.matmul(a, b))

    torch.manual_seed(133)
    cases["linear"] = run_case(
        {"x": randn_leaf(5, 7), "w": randn_leaf(3, 7), "b": randn_leaf(3)},
        lambda x, w, b: F.linear(x, w, b))
    return cases


def elementwise_cases():
    cases = {}
    torch.manual_seed(140)
    cases["add_broadcast"] = run_case({"a": randn_leaf(2, 3, 4), "b": randn_leaf(3, 1)},
                                      lambda a, b: a + b)
    torch.manual_seed(141)
    # Divisor kept in [0.5, 1.5) so the quotient and its gradient stay tame.
    cases["div_broadcast"] = run_case({"a": randn_leaf(2, 3), "b": leaf(torch.rand(3) + 0.5)},
                                      lambda a, b: a / b)
    torch.manual_seed(142)
    cases["mul_broadcast"] = run_case({"a": randn_leaf(4, 1), "b": randn_leaf(1, 5)},
                                      lambda a, b: a * b)
    torch.manual_seed(143)
    cases["pow_scalar"] = run_case({"a": leaf(torch.randn(3, 4).abs() + 0.1)},
                                   lambda a: a ** 2.5, {"exponent": 2.5})

    torch.manual_seed(144)
    cases["sum_dim_keepdim"] = run_case({"x": randn_leaf(2, 3, 4)},
                                        lambda x: x.sum(dim=1, keepdim=True),
                                        {"dim": 1, "keepdim": True})
    torch.manual_seed(145)
    cases["mean_dim"] = run_case({"x": randn_leaf(2, 3, 4)}, lambda x: x.mean(dim=-1),
                                 {"dim": -1, "keepdim": False})
    torch.manual_seed(146)
    cases["mean_all"] = run_case({"x": randn_leaf(3, 4)}, lambda x: x.mean())

    torch.manual_seed(147)

    def max_dim(x):
        values, indices = x.max(dim=1)
        return values, {"indices": indices}
    cases["max_dim"] = run_case({"x": randn_leaf(3, 5)}, max_dim, {"dim": 1, "keepdim": False})

    unary = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": F.relu, "exp": torch.exp}
    for seed, (name, fn) in enumerate(unary.items(), start=150):
        torch.manual_seed(seed)
        cases[name] = run_case({"x": randn_leaf(3, 4)}, lambda x, fn=fn: fn(x))
    # log and sqrt need positive inputs; rand + 0.1 keeps them away from the pole at 0.
    for seed, (name, fn) in enumerate({"log": torch.log, "sqrt": torch.sqrt}.items(), start=154):
        torch.manual_seed(seed)
        cases[name] = run_case({"x": leaf(torch.rand(3, 4) + 0.1)}, lambda x, fn=fn: fn(x))
    torch.manual_seed(156)
    cases["leaky_relu"] = run_case({"x": randn_leaf(3, 4)},
                                   lambda x: F.leaky_relu(x, negative_slope=0.01),
                                   {"negative_slope": 0.01})
    return cases


def batch_norm_case(bn, x_shape, train, seed):
    torch.manual_seed(seed)
    c = bn.num_features
    with torch.no_grad():
        bn.weight.copy_(torch.randn(c))
        bn.bias.copy_(torch.randn(c))
        if not train:
            bn.running_mean.copy_(torch.randn(c))
            bn.running_var.copy_(torch.rand(c) + 0.5)
    bn.train(train)
    x = randn_leaf(*x_shape)
    args = {"eps": bn.eps, "momentum": bn.momentum, "training": train}
    # The module's own Parameters are the leaves, so their .grad is what we record.
    inputs = {"x": x, "weight": bn.weight, "bias": bn.bias}
    running_before = {"running_mean_before": tensor(bn.running_mean),
                      "running_var_before": tensor(bn.running_var)}

    def forward(x, weight, bias):
        out = bn(x)
        return out, {"running_mean": bn.running_mean, "running_var": bn.running_var}
    case = run_case(inputs, forward, args)
    if train:
        case.update(running_before)
    else:
        # In eval mode the running stats are inputs to the op; they do not change.
        case["inputs"]["running_mean"] = running_before["running_mean_before"]
        case["inputs"]["running_var"] = running_before["running_var_before"]
    return case


def make_ops():
    cases = {}
    for group in (conv_cases, pool_cases, softmax_loss_cases, linalg_cases, elementwise_cases):
        cases.update(group())
    cases["batch_norm2d_train"] = batch_norm_case(nn.BatchNorm2d(3), (4, 3, 5, 5), True, 160)
    cases["batch_norm1d_train"] = batch_norm_case(nn.BatchNorm1d(5), (8, 5), True, 161)
    cases["batch_norm2d_eval"] = batch_norm_case(nn.BatchNorm2d(3), (2, 3, 4, 4), False, 162)
    write("ops.json", {"cases": cases})


# ---------------------------------------------------------------- D. init

def make_init():
    layers = {
        "fc1": lambda: nn.Linear(400, 120),
        "conv2": lambda: nn.Conv2d(6, 16, 5),
        "conv1": lambda: nn.Conv2d(1, 6, 5),
    }
    out = {"note": ("weight: kaiming_uniform_(a=sqrt(5)) == U(-1/sqrt(fan_in), 1/sqrt(fan_in)); "
                    "bias: U(-1/sqrt(fan_in), 1/sqrt(fan_in)); fan_in = in_features or "
                    "in_channels/groups * kH * kW"),
           "layers": {}}
    for name, make in layers.items():
        torch.manual_seed(0)
        layer = make()
        fan_in = layer.weight[0].numel()
        out["layers"][name] = {
            "type": type(layer).__name__,
            "weight_shape": list(layer.weight.shape),
            "fan_in": fan_in,
            "bound": num(1.0 / math.sqrt(fan_in)),
            "observed": {
                "weight_min": num(layer.weight.min()), "weight_max": num(layer.weight.max()),
                "bias_min": num(layer.bias.min()), "bias_max": num(layer.bias.max()),
            },
        }
    write("init.json", out)


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    make_lenet()
    make_optim()
    make_ops()
    make_init()


if __name__ == "__main__":
    main()
