"""PyTorch train/eval mode facts of bnlint.semantic.torchflow that no single rule's fixture pins."""

from __future__ import annotations

import ast
import textwrap

from bnlint.semantic import SemanticModel


def _mode_calls(source: str) -> list[tuple[int, str, str]]:
    source = textwrap.dedent(source)
    model = SemanticModel(ast.parse(source), source, "<string>", None)
    return [(m.call.lineno, m.target, m.mode) for m in model.torchflow.mode_calls]


def test_a_module_function_named_train_is_not_a_mode_switch():
    calls = _mode_calls("""
        import training_utils
        training_utils.train(model, loader)
        trainer.train(epochs=3)
        model.train()
    """)
    assert [(line, mode) for line, _target, mode in calls] == [(5, "train")]


def test_eval_chained_after_to_switches_the_module_itself():
    calls = _mode_calls("""
        model.to(device).eval()
    """)
    targets = {target for _line, target, mode in calls if mode == "eval"}
    assert ast.dump(ast.Name(id="model", ctx=ast.Load())) in targets
