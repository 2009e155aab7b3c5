"""Generated Python modules that hold a copy of a YAML file's data as one literal.

How Flare ships the YAML it reads at start-up (the settings declaration, the built-in form):
the YAML stays the source people review and translate, and the compiled copy loads without a
YAML parser. Each copy has a unit test that fails, naming the command, until it is regenerated.
"""

from __future__ import annotations


def literal_module(name: str, value: object, source: str, command: str) -> str:
    """The text of a module that sets ``name`` to ``value``, lines of at most 100 columns."""
    import pprint

    lead = f"{name} = "
    literal = pprint.pformat(value, width=100 - len(lead), sort_dicts=False)
    return (f'"""Generated from {source} by {command}:\nedit the YAML, then regenerate."""\n\n'
            + lead + literal.replace("\n", "\n" + " " * len(lead)) + "\n")
