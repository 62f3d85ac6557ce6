"""Constant folding and the astroid fallback in bnlint.semantic.values."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap

import pytest

from bnlint.semantic import UNKNOWN, SemanticModel


def _value_of_marked(source: str, path: str = "<string>", module_name: str | None = None):
    """The constant bnlint computes for the argument of `probe(...)` in `source`."""
    source = textwrap.dedent(source)
    model = SemanticModel(ast.parse(source), source, path, module_name)
    call = next(c for c in model.index.calls if isinstance(c.func, ast.Name) and c.func.id == "probe")
    return model.const(call.args[0])


@pytest.mark.parametrize(
    "source, value",
    [
        ("probe(-1e-3)", -1e-3),
        ("probe(1e-3 - 1e-2)", 1e-3 - 1e-2),
        ("probe(2 ** -10)", 2 ** -10),
        ("probe(float('1e-5'))", 1e-5),
        ("EPS = -1\nprobe(EPS)", -1),
        ("EPS = 1e-5\nSCALE = 10\nprobe(EPS * SCALE)", 1e-4),
        # a module global read inside a function (seed 000's `delta`)
        ("delta = -1\ndef f():\n    probe(delta)\n", -1),
        # a parameter default bound to a module constant
        ("EPS = 0.0\ndef f(eps=EPS):\n    probe(eps)\n", 0.0),
        ("probe((1, -2))", (1, -2)),
        # config dicts, nested, and spread into dict()
        ('cfg = {"eps": 0, "m": 0.1}\nprobe(cfg["eps"])', 0),
        ('cfg = dict(model=dict(eps=-1))\nprobe(cfg["model"]["eps"])', -1),
        ('base = {"eps": 2}\ncfg = {**base, "m": 1}\nprobe(cfg["eps"])', 2),
        # argparse defaults, read from the parsed namespace or a function's `opt` parameter
        ('import argparse\np = argparse.ArgumentParser()\np.add_argument("--bn-eps", type=float, default=-1e-3)\n'
         'args = p.parse_args()\nprobe(args.bn_eps)', -1e-3),
        ('import argparse\np = argparse.ArgumentParser()\np.add_argument("--eps", dest="bn_eps", default=0.0)\n'
         'def f(opt):\n    probe(opt.bn_eps)\n', 0.0),
        # absl / tf.app flags
        ('from absl import flags\nflags.DEFINE_integer("batch_size", 1, "per step")\nFLAGS = flags.FLAGS\n'
         'def main(_):\n    probe(FLAGS.batch_size)\n', 1),
        # dataclass, class-body and constructor defaults
        ("from dataclasses import dataclass\n@dataclass\nclass C:\n    bn_eps: float = 0.0\ncfg = C()\nprobe(cfg.bn_eps)", 0.0),
        # a record built from a mapping: `N(**d["norm"])`, a section taken with `get`/`pop`
        ("from dataclasses import dataclass\n@dataclass\nclass N:\n    eps: float = 1e-5\n"
         "d = {'norm': {'eps': 0.0}}\nn = N(**d.get('norm', {}))\nprobe(n.eps)", 0.0),
        ("from dataclasses import dataclass\n@dataclass\nclass N:\n    eps: float = 1e-5\n"
         "d = {'norm': {'eps': 0.0}}\nn = N(**d.pop('other', {}))\nprobe(n.eps)", 1e-5),
        # `m["norm"] = N(**m.pop("norm"))` reads the section before the store replaces it
        ("from dataclasses import dataclass\n@dataclass\nclass N:\n    eps: float = 1e-5\n"
         "@dataclass\nclass C:\n    width: int = 8\n    norm: N = None\n"
         "m = dict({'norm': {'eps': -2.0}, 'width': 4})\nm['norm'] = N(**m.pop('norm', {}))\nc = C(**m)\n"
         "probe(c.norm.eps)", -2.0),
        # a one-return helper read for this call (`_env_float("EPS", "0")`), whatever other calls pass
        ("import os\ndef env(name, default):\n    return float(os.environ.get(name, default))\n"
         "A = env('A', '1')\nprobe(env('B', '-2'))", -2.0),
        ("def scaled(x, factor=10):\n    \"\"\"Doc.\"\"\"\n    return -x * factor\nprobe(scaled(1e-4))", -1e-3),
        # element of the tuple a helper returns
        ("from dataclasses import dataclass\n@dataclass\nclass N:\n    eps: float = 1e-5\n"
         "def load():\n    return N(eps=-1.0), 3\nspec, k = load()\nprobe(spec.eps)", -1.0),
        # a nested config made by `field(default_factory=...)`
        ("from dataclasses import dataclass, field\n@dataclass\nclass N:\n    eps: float = -1.0\n@dataclass\n"
         "class C:\n    norm: N = field(default_factory=N)\ncfg = C()\nprobe(cfg.norm.eps)", -1.0),
        ("from dataclasses import dataclass\n@dataclass\nclass C:\n    bn_eps: float = 0.0\ncfg = C(bn_eps=1e-5)\n"
         "probe(cfg.bn_eps)", 1e-5),
        # positional arguments fill the fields in order, a field without a default included
        ("from dataclasses import dataclass\n@dataclass\nclass Spec:\n    channels: int\n    eps: float = 1e-5\n"
         "spec = Spec(64)\nprobe(spec.eps)", 1e-5),
        ("from dataclasses import dataclass\n@dataclass\nclass Spec:\n    channels: int\n    eps: float = 1e-5\n"
         "spec = Spec(64, 0)\nprobe(spec.eps)", 0),
        ("class C:\n    EPS = 0\n    def f(self):\n        probe(self.EPS)\n", 0),
        ("class C:\n    def __init__(self, eps=1e-5):\n        self.eps = eps\ncfg = C(eps=-2)\nprobe(cfg.eps)", -2),
        ("class Config:\n    eps = -1\nprobe(Config.eps)", -1),
        ("from types import SimpleNamespace\nc = SimpleNamespace(eps=0)\nprobe(c.eps)", 0),
        # a name bound in both branches of an `if`: inside a branch only its own binding reaches
        ("if flag:\n    eps = -1\nelse:\n    eps = 2\n    probe(eps)", 2),
        ("eps = 1\neps = 2\nprobe(eps)", 2),
        # a parameter whose default is a config object no call replaces
        ("class Config:\n    eps = 0\ndef make(cfg=Config()):\n    probe(cfg.eps)\nmake()", 0),
        ('DEFAULTS = {"eps": -1}\ndef build(params=DEFAULTS):\n    probe(params["eps"])', -1),
        # an earlier loop's binding is overwritten by the assignment on the use's own path
        ("for x in data:\n    eps = 1\nfor x in data:\n    eps = -1\n    probe(eps)", -1),
        ("if flag:\n    eps = 1\neps = -2\nprobe(eps)", -2),
        # a **kwargs parameter holds the keywords its calls pass beyond the named parameters
        ('def make_bn(c, **kwargs):\n    probe(kwargs["momentum"])\nmake_bn(8, momentum=0.9)\n'
         'make_bn(16, momentum=0.9)', 0.9),
        # a key written after the literal, unconditionally, also in a nested dict
        ('cfg = {"eps": 1e-5}\ncfg["eps"] = 0\nprobe(cfg["eps"])', 0),
        ('params = {"data": {"batch_size": 4}}\nparams["data"]["batch_size"] = 1\n'
         'probe(params["data"]["batch_size"])', 1),
        # shapes put together, a dataclass as a dict, `options or {...}`, a dict kept on `self`
        ("CLIP = (50, 64, 64, 1)\nprobe((1,) + CLIP)", (1, 50, 64, 64, 1)),
        ('from dataclasses import dataclass, asdict\n@dataclass\nclass Norm:\n    eps: float = 0.0\n'
         'options = asdict(Norm())\nprobe(options["eps"])', 0.0),
        ('def build(options=None):\n    options = options or {"eps": -1}\n    probe(options["eps"])\nbuild()', -1),
        ('class Block:\n    def __init__(self, cfg):\n        self.cfg = cfg\n    def make(self):\n'
         '        probe(self.cfg["eps"])\nBlock({"eps": 0})', 0),
        # attrs classes without annotations: `attr.ib(default=...)`, and a nested spec by `factory=`
        ("import attr\n@attr.s\nclass Norm:\n    eps = attr.ib(default=0.0)\nprobe(Norm().eps)", 0.0),
        ("import attr\n@attr.s\nclass Norm:\n    eps = attr.ib(default=-1)\n@attr.s\nclass Net:\n"
         "    norm = attr.ib(factory=Norm)\nspec = Net()\nprobe(spec.norm.eps)", -1),
    ],
)
def test_constants_fold(source, value):
    assert _value_of_marked(source) == pytest.approx(value)


@pytest.mark.parametrize(
    "source",
    [
        "probe(undefined_name)",
        # two assignments: no single answer, no guess
        "eps = 1e-3\nif flag:\n    eps = -1\nprobe(eps)",
        # after the `if`, either branch's binding may reach
        "if flag:\n    eps = -1\nelse:\n    eps = 2\nprobe(eps)",
        # a try body may have run before the handler
        "eps = 1\ntry:\n    risky()\n    eps = -1\nexcept ValueError:\n    probe(eps)",
        # a global changed through `global` in a function
        "eps = 1e-3\ndef g():\n    global eps\n    eps = -1\nprobe(eps)",
        "probe(config.eps)",
        # ... unless a call passes another
        "class Config:\n    eps = 0\ndef make(cfg=Config()):\n    probe(cfg.eps)\nmake(cfg=load())",
        # a key written twice: no single answer
        'cfg = {"eps": 1e-5}\nif flag:\n    cfg["eps"] = 0\nprobe(cfg["eps"])',
        # an option declared twice, a config loaded from a file
        'import argparse\np = argparse.ArgumentParser()\np.add_argument("--eps", default=0)\n'
        'p.add_argument("--eps", default=1)\nargs = p.parse_args()\nprobe(args.eps)',
        'import yaml\ncfg = yaml.safe_load(open("c.yaml"))\nprobe(cfg["eps"])',
        "probe(10 ** 1000 ** 1000)",
        "probe(1 / 0)",
        # calls that pass different values through **kwargs
        'def make_bn(c, **kwargs):\n    probe(kwargs["momentum"])\nmake_bn(8, momentum=0.9)\nmake_bn(8, momentum=0.1)',
        # a nested key written in a branch
        'params = {"data": {"batch_size": 4}}\nif debug:\n    params["data"]["batch_size"] = 1\n'
        'probe(params["data"]["batch_size"])',
        # a binding in an earlier block after the last one on the use's path may reach
        "eps = -2\nif flag:\n    eps = 1\nprobe(eps)",
        # a loop target rebound inside the body
        "for e in [1]:\n    if flag:\n        e = -1\n    probe(e)",
        "import numpy as np\nprobe(np.finfo(np.float32).eps)",
        # a one-return helper called with a spread: which parameters it fills is not known
        "import os\ndef env(name, default='-1'):\n    return float(os.environ.get(name, default))\n"
        "probe(env(**opts))",
    ],
)
def test_unknown_values_stay_unknown(source):
    assert _value_of_marked(source) is UNKNOWN


def test_class_attribute_through_astroid():
    source = """
    class Config:
        bn_eps = -1e-5

    probe(Config.bn_eps)
    """
    assert _value_of_marked(source) == -1e-5


def test_linting_never_imports_the_code_it_reads(tmp_path):
    """A project module with a side effect on import is read (its constants reach the rules
    through the project summaries), never executed."""
    marker = tmp_path / "imported.txt"
    (tmp_path / "pyproject.toml").write_text("[tool.bnlint]\n", encoding="utf-8")
    (tmp_path / "settings.py").write_text(
        f"open({str(marker)!r}, 'w').write('executed')\nBN_EPS = -1e-3\n", encoding="utf-8")
    (tmp_path / "net.py").write_text(textwrap.dedent("""
        import torch.nn as nn
        import settings
        from settings import BN_EPS

        norm = nn.BatchNorm2d(8, eps=settings.BN_EPS)
        other = nn.BatchNorm2d(8, eps=BN_EPS)
    """), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "bnlint", "check", "--no-cache", "--format", "flake8", "net.py"],
                          cwd=tmp_path, capture_output=True, text=True)
    assert not marker.exists()
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split(" ")[0] for line in lines] == ["net.py:6:30:", "net.py:7:31:"]
    findings = json.loads(subprocess.run(
        [sys.executable, "-m", "bnlint", "check", "--no-cache", "--format", "json", "net.py"],
        cwd=tmp_path, capture_output=True, text=True).stdout)
    for finding in findings:  # the value's origin in the other module is typed evidence
        assert ("settings.py", 2) in {(e["path"], e["line"]) for e in finding["evidence"]}, finding["evidence"]


def test_a_loop_target_read_in_its_body_is_that_loops_binding():
    """Loops one after the other that bind the same name (`for k, t in zip(keras_convs, ...)`,
    then `for k, t in zip(keras_bns, ...)`): in each body, its own loop's binding reaches."""
    source = "for layer in convs:\n    use(layer)\nfor layer in norms:\n    probe(layer)\n"
    model = SemanticModel(ast.parse(source), source, "<string>")
    call = next(c for c in model.index.calls if isinstance(c.func, ast.Name) and c.func.id == "probe")
    binding = model.values.binding_of(call.args[0])
    assert binding is not None and binding.kind == "for" and binding.node.lineno == 3


def _project_value(tmp_path, files: dict, module: str = "train.py"):
    """The constant bnlint computes for `probe(...)` in `module` of a project of `files`."""
    from bnlint.project import Project

    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(textwrap.dedent(text))
    path = tmp_path / module
    source = path.read_text()
    project = Project(tmp_path)
    model = SemanticModel(ast.parse(source), source, str(path), project.module_name(path),
                          project=project.for_file(path))
    call = next(c for c in model.index.calls if isinstance(c.func, ast.Name) and c.func.id == "probe")
    return model, call


@pytest.mark.parametrize("loader", [
    'with open("configs/exp.yaml") as f:\n    cfg = yaml.safe_load(f)\n',
    'cfg = yaml.load(open("configs/exp.yaml"), Loader=yaml.SafeLoader)\n',
    'cfg = OmegaConf.load("configs/exp.yaml")\n',
    'import argparse\np = argparse.ArgumentParser()\np.add_argument("--cfg", default="configs/exp.yaml")\n'
    'args = p.parse_args()\ncfg = yaml.safe_load(open(args.cfg))\n',
])
def test_values_of_a_yaml_file_the_module_names(tmp_path, loader):
    files = {"configs/exp.yaml": "train:\n  lr: 0.1\n  batch_size: 1\nnorm:\n  eps: 0\n",
             "train.py": "import yaml\nfrom omegaconf import OmegaConf\n" + loader
             + 'probe(cfg["train"]["batch_size"])\n'}
    model, call = _project_value(tmp_path, files)
    assert model.const(call.args[0]) == 1
    written = model.values.definition(call.args[0])
    assert (written.bnlint_path, written.lineno) == ("configs/exp.yaml", 3)
    # findings stay in the module: the use is where a finding points
    assert model.values.where_written(call.args[0], 1) is call.args[0]


def test_values_of_a_json_file_and_of_a_yaml_text_in_the_module(tmp_path):
    files = {"hp.json": '{\n  "bn": {"eps": -1}\n}\n',
             "train.py": 'import json, yaml\nHP = json.load(open("hp.json"))\n'
                         'CFG = yaml.safe_load("""\nmodel:\n  eps: 0.5\n""")\n'
                         'ONE = json.loads(\'{"batch_size": 1}\')\n'
                         'probe(HP["bn"]["eps"], CFG["model"]["eps"], ONE["batch_size"])\n'}
    model, call = _project_value(tmp_path, files)
    assert model.const(call.args[0]) == -1
    assert model.const(call.args[1]) == 0.5
    assert model.const(call.args[2]) == 1
    assert model.values.definition(call.args[1]).lineno == 5  # the text's own line in train.py


@pytest.mark.parametrize("files", [
    {"train.py": 'import yaml\ncfg = yaml.safe_load(open("missing.yaml"))\nprobe(cfg["eps"])\n'},
    {"bad.yaml": "eps: [0,\n", "train.py": 'import yaml\ncfg = yaml.safe_load(open("bad.yaml"))\nprobe(cfg["eps"])\n'},
    {"data.csv": "eps\n0\n", "train.py": 'import yaml\ncfg = yaml.safe_load(open("data.csv"))\nprobe(cfg["eps"])\n'},
    {"train.py": 'import yaml\ncfg = yaml.safe_load(open("../outside.yaml"))\nprobe(cfg["eps"])\n'},
])
def test_config_files_that_cannot_be_read_give_unknown_values(tmp_path, files):
    (tmp_path.parent / "outside.yaml").write_text("eps: 0\n")
    model, call = _project_value(tmp_path, files)
    assert model.const(call.args[0]) is UNKNOWN


def test_config_numbers_are_read_as_yaml_1_2_and_json_read_them():
    from bnlint.semantic.configfiles import parse_config

    document = parse_config('eps: 1e-5\nquoted: "1e-5"\nneg: -1E-3\nbs: 1\nname: resnet\n', "cfg.yaml")
    values = {key: value.value for key, value in document.value.items()}
    assert values == {"eps": 1e-5, "quoted": "1e-5", "neg": -1e-3, "bs": 1, "name": "resnet"}
    assert [value.lineno for value in document.value.values()] == [1, 2, 3, 4, 5]
    assert parse_config("a: [1,\n", "broken.yaml") is None


def test_toml_and_ini_files_give_their_values_with_their_lines():
    from bnlint.semantic.configfiles import parse_ini, parse_toml

    toml = parse_toml('title = "run"\n[data]\nbatch_size = 1\n\n[model.norm]\neps = 0.0\n', "train.toml")
    size, eps = toml.value["data"].value["batch_size"], toml.value["model"].value["norm"].value["eps"]
    assert (size.value, size.lineno) == (1, 3)
    assert (eps.value, eps.lineno) == (0.0, 6)
    assert parse_toml("[data\nbatch_size = 1\n", "broken.toml") is None
    ini = parse_ini("[DEFAULT]\nseed = 3\n[bn]\nEpsilon = 0\n", "settings.ini")
    epsilon, seed = ini.value["bn"].value["epsilon"], ini.value["bn"].value["seed"]
    assert (epsilon.value, epsilon.lineno) == ("0", 4)  # configparser's strings, keys lowercased
    assert (seed.value, seed.lineno) == ("3", 2)  # inherited from DEFAULT, written there
    assert parse_ini("no section header\n", "broken.ini") is None
