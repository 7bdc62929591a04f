"""Unknown config keys, named with the keys allowed there, before the schema's full report.

A typo such as ``fig3.repz`` fails schema validation with a dump of the whole section's schema (about 180
lines). :func:`check_keys` runs first and names the key, where it is and what is allowed there.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["unknown_keys", "check_keys"]


def _resolve(node: Any, schema: Mapping[str, Any]) -> Any:
    """Follow local ``$ref`` pointers (``#/$defs/name``) to the schema node they name."""
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
        target: Any = schema
        for part in node["$ref"][2:].split("/"):
            target = target.get(part, {}) if isinstance(target, Mapping) else {}
        node = target
    return node


def unknown_keys(config: Any, schema: Mapping[str, Any], node: Any = None, where: str = "") -> list[str]:
    """One sentence per config key the schema does not allow, with the keys it allows there.

    Parameters
    ----------
    config : mapping
        The merged config (or a part of it, with ``node`` its schema).
    schema : mapping
        The whole schema (for ``$ref``).
    node : mapping or None
        The schema of ``config``; ``None``: the whole schema.
    where : str
        The dotted path of ``config`` (empty at the top).

    Returns
    -------
    list of str
    """
    node = _resolve(schema if node is None else node, schema)
    if not isinstance(config, Mapping) or not isinstance(node, Mapping):
        return []
    props = node.get("properties", {})
    patterns = node.get("patternProperties", {})
    extra = node.get("additionalProperties", True)
    out = []
    for key, value in config.items():
        path = f"{where}.{key}" if where else str(key)
        matched = [sub for pattern, sub in patterns.items() if re.search(pattern, str(key))]
        if key in props:
            out += unknown_keys(value, schema, props[key], path)
        elif matched:
            out += unknown_keys(value, schema, matched[0], path)
        elif isinstance(extra, Mapping):  # a map of named entries (e.g. method labels) with one schema
            out += unknown_keys(value, schema, extra, path)
        elif extra is False:
            allowed = ", ".join([*sorted(props), *(f"keys matching {p}" for p in patterns)]) or "none"
            section = f"{where}" if where else "the top level"
            out.append(f"unknown config key {path!r}: {section} takes {allowed}")
    return out


def check_keys(config: Mapping[str, Any], schema: Mapping[str, Any], schema_name: str = "config/schema.yaml") -> None:
    """Raise ``ValueError`` naming every unknown key of ``config``, before the schema validates the rest.

    Parameters
    ----------
    config : mapping
        The merged config.
    schema : mapping
        The parsed schema (the workflow reads ``config/schema.yaml``).
    schema_name : str
        Where the schema lives, for the message.

    Raises
    ------
    ValueError
        With one line per unknown key and where the keys are documented.
    """
    problems = unknown_keys(config, schema)
    if problems:
        raise ValueError(
            "\n".join(problems)
            + f"\n(fix the key in your config file or --config; {schema_name} and config/README.md list every key)"
        )
