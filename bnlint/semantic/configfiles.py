"""Values read from configuration files: `yaml.safe_load(open("config.yaml"))`,
`json.load(f)`, `OmegaConf.load(path)`, `toml.load("train.toml")`, a `configparser` that
reads `settings.ini`, a YAML text written in the module itself.

Training scripts keep their hyper-parameters (batch size, epsilon) in YAML or JSON files next to
the code. bnlint reads such a file when the code names it with a literal path (or a string
argument default) and the file is in the project, and gives each value as a `ConfigValue`: the
value, and where it is written (a typed location in the file, as evidence points at other
modules). Mappings hold ConfigValues by key, sequences by position. Nothing is executed: the
file is parsed with YAML's safe composer (JSON is YAML), which also gives the lines; TOML with
the standard library's `tomllib` and INI with `configparser` (no interpolation), their lines
found by the `[section]` headers and `key =` lines around each value.
"""

from __future__ import annotations

import configparser
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 (the `tomli` dependency there)
    import tomli as tomllib

_YAML12_FLOAT = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)[eE][-+]?\d+")
# Larger files are data, not configuration.
_MAX_CONFIG_BYTES = 512 * 1024
CONFIG_SUFFIXES = (".yaml", ".yml", ".json", ".toml", ".ini", ".cfg")


@dataclass(eq=False)
class ConfigValue:
    """One value of a configuration file, at its place there (usable wherever evidence wants a
    node: `bnlint_path`, `lineno`, `col_offset`)."""

    value: Any  # a scalar, {key: ConfigValue} for a mapping, [ConfigValue] for a sequence
    bnlint_path: str
    lineno: int
    col_offset: int = 0

    @property
    def end_lineno(self) -> int:
        return self.lineno

    @property
    def end_col_offset(self) -> int:
        return self.col_offset + 1

    @property
    def mapping(self) -> dict | None:
        return self.value if isinstance(self.value, dict) else None


def parse_config(text: str, display: str, first_line: int = 1) -> ConfigValue | None:
    """The document of a YAML/JSON text as ConfigValues (lines counted from `first_line`), or
    None when it does not parse or holds no single document."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        return _convert(loader, node, display, first_line - 1) if node is not None else None
    except (yaml.YAMLError, ValueError, TypeError, RecursionError):
        return None
    finally:
        loader.dispose()


def _convert(loader: yaml.SafeLoader, node: yaml.Node, display: str, offset: int) -> ConfigValue:
    line, column = node.start_mark.line + 1 + offset, node.start_mark.column
    if isinstance(node, yaml.MappingNode):
        entries: dict = {}
        merged: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                # `<<: *defaults` (or a list of them): their keys, under the ones written here
                sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                for source in reversed(sources):
                    if isinstance(source, yaml.MappingNode):
                        merged.update(_convert(loader, source, display, offset).value)
                continue
            key = loader.construct_object(key_node, deep=True) if isinstance(key_node, yaml.ScalarNode) else None
            if isinstance(key, (str, int, float, bool)):
                entries[key] = _convert(loader, value_node, display, offset)
        return ConfigValue({**merged, **entries}, display, line, column)
    if isinstance(node, yaml.SequenceNode):
        return ConfigValue([_convert(loader, item, display, offset) for item in node.value], display, line, column)
    value = loader.construct_object(node, deep=True)
    if isinstance(value, str) and node.style is None and _YAML12_FLOAT.fullmatch(value):
        # `eps: 1e-5`: YAML 1.1 (PyYAML) reads an exponent without a dot as a string; YAML 1.2,
        # OmegaConf and JSON read a number
        value = float(value)
    return ConfigValue(value, display, line, column)


def read_config_file(path: Path, display: str) -> ConfigValue | None:
    """A project's configuration file, parsed; None when it is missing, too large or invalid."""
    try:
        if path.suffix.lower() not in CONFIG_SUFFIXES or path.stat().st_size > _MAX_CONFIG_BYTES:
            return None
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    suffix = path.suffix.lower()
    if suffix == ".toml":
        return parse_toml(text, display)
    if suffix in (".ini", ".cfg"):
        return parse_ini(text, display)
    return parse_config(text, display)


_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:[#;].*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_.\-\"']+)\s*[=:]\s*(.*)$")


def _key_places(text: str, dotted_headers: bool) -> dict:
    """{(section parts..., key): (line, column of the value)} for `key = value` lines under
    their `[section]` header (TOML's `[a.b]` split at the dots)."""
    places: dict = {}
    section: tuple = ()
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            name = header.group(1)
            section = tuple(part.strip().strip("\"'") for part in name.split(".")) if dotted_headers else (name,)
            places.setdefault(section, (number, line.index("[")))
            continue
        key = _KEY.match(line)
        if key:
            name = key.group(1).strip("\"'")
            places.setdefault((*section, name) if not dotted_headers else (*section, *name.split(".")),
                              (number, key.start(2)))
    return places


def _wrapped(value: Any, path: tuple, places: dict, display: str) -> ConfigValue:
    line, column = places.get(path, places.get(path[:-1], (1, 0)) if path else (1, 0))
    if isinstance(value, dict):
        return ConfigValue({key: _wrapped(item, (*path, key), places, display) for key, item in value.items()},
                           display, line, column)
    if isinstance(value, list):
        return ConfigValue([_wrapped(item, path, places, display) for item in value], display, line, column)
    return ConfigValue(value, display, line, column)


def parse_toml(text: str, display: str) -> ConfigValue | None:
    """A TOML document as ConfigValues, or None when it does not parse."""
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError, RecursionError):
        return None
    return _wrapped(data, (), _key_places(text, dotted_headers=True), display)


def parse_ini(text: str, display: str) -> ConfigValue | None:
    """An INI document as {section: {key: string}} ConfigValues (each section with the DEFAULT
    section's keys, as configparser gives them), or None when it does not parse."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except (configparser.Error, ValueError):
        return None
    sections = {name: dict(parser.items(name)) for name in parser.sections()}
    if parser.defaults():
        sections[parser.default_section] = dict(parser.defaults())
    # (configparser lowercases the keys)
    places = {(*path[:-1], path[-1].lower()) if len(path) == 2 else path: place
              for path, place in _key_places(text, dotted_headers=False).items()}
    for name, values in sections.items():  # a key a section inherits is written under DEFAULT
        for key in values:
            if (name, key) not in places and (parser.default_section, key) in places:
                places[(name, key)] = places[(parser.default_section, key)]
    return _wrapped(sections, (), places, display)
