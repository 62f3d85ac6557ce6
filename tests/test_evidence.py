"""Evidence points at where a value is written: a finding whose value reaches the layer through
parameters, constructors and configs of other modules names that place, not a parameter's
default that does not hold the value."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from bnlint.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def evidence(folder: Path, code: str) -> list[tuple[str, int, list[tuple[str, str, int]]]]:
    result = CliRunner().invoke(main, ["check", "--no-cache", "--exit-zero", "--format", "json", "--select", code,
                                       str(folder)])
    assert result.exit_code == 0, result.output
    return [(Path(f["path"]).name, f["line"], [(e["note"], Path(e["path"]).name, e["line"]) for e in f["evidence"]])
            for f in json.loads(result.output)]


def test_epsilon_of_a_config_merged_with_overrides_is_shown_where_the_config_writes_it():
    found = evidence(FIXTURES / "BN001/project_zero_epsilon_in_config_merged_with_overrides", "BN001")
    assert found == [("encoder.py", 9, [("BatchNorm1d built here", "encoder.py", 9),
                                        ("`eps` is 0, written here", "settings.py", 6)])]


def test_parameter_without_a_default_is_not_said_to_default_to_the_value():
    found = evidence(FIXTURES / "BN001/project_zero_epsilon_in_config_merged_with_overrides", "BN001")
    assert found
    assert not any("defaults to" in note for _file, _line, notes in found for note, _where, _at in notes)


def test_a_lua_torch_layer_is_named_torch7_not_pytorch():
    """A converter reading a `.t7` model (torchfile / `load_lua`) copies a Lua Torch layer's
    momentum: same convention as PyTorch, but the message names the framework the code reads."""
    result = CliRunner().invoke(main, ["check", "--no-cache", "--exit-zero", "--format", "json", "--select", "BN006",
                                       str(FIXTURES / "BN006" / "t7_converter_unwraps_modules_before_copying_momentum.py")])
    messages = [f["message"] for f in json.loads(result.output)]
    assert messages and all("Torch7 BatchNorm" in m and "PyTorch" not in m for m in messages), messages


def test_a_batch_size_of_a_settings_class_default_is_shown_where_the_class_writes_it():
    found = evidence(FIXTURES / "BN004/project_keras_denoiser_steps_of_one_image_from_settings_class", "BN004")
    assert [(name, line) for name, line, _notes in found] == [("train.py", 20)]
    assert ("`settings.images_per_step` is 1 here", "settings.py", 10) in found[0][2]


def test_epsilon_handed_on_as_kwargs_names_the_command_line_default():
    """`build_unet(epsilon=args.bn_eps)` in main() is where the value enters the layers' **kwargs;
    its evidence is the argparse default, read in main(), not in the helper that builds the layer."""
    found = evidence(FIXTURES / "BN001/keras_unet_norm_kwargs_from_argparse_default.py", "BN001")
    assert found == [("keras_unet_norm_kwargs_from_argparse_default.py", 36, [
        ("BatchNormalization built with it here", "keras_unet_norm_kwargs_from_argparse_default.py", 20),
        ("`args.bn_eps` set to 0 here", "keras_unet_norm_kwargs_from_argparse_default.py", 14)])]


def test_batch_size_of_a_loader_object_is_shown_where_this_programs_options_write_it():
    """train.py and test.py hand the same loader factory their own options (test.py sets
    `opt.batchSize = 1` itself): the training finding names the training options' default."""
    found = evidence(FIXTURES / "BN004/project_translation_options_class_loader_object_and_norm_factory", "BN004")
    assert [(path, line) for path, line, _notes in found] == [("train.py", 18)]
    assert ("the batch size, 1, written here", "base_options.py", 15) in found[0][2]
