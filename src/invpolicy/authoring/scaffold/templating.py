"""Fill the scaffolds' Jinja2 templates, and write YAML in fmt's layout.

What the user types reaches a template only as values: names that match strict
patterns, and an author quoted for YAML or TOML (:func:`yaml_scalar`,
:func:`toml_str`). Nothing the user gives is read as a template or run.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from invpolicy.errors import InvpolicyError

if TYPE_CHECKING:
    import jinja2

TEMPLATES = Path(__file__).resolve().parent / "templates"


def yaml_scalar(value: str) -> str:
    """``value`` as a YAML scalar: plain when YAML 1.2 and 1.1 read it back as the same string."""
    from invpolicy.authoring.fmt.style import plain_is_safe
    from invpolicy.io.safeload import parse_document

    plain = value == value.strip() and "\n" not in value and "#" not in value
    plain = plain and plain_is_safe(value)
    if plain:
        try:
            plain = parse_document(f"v: {value}\n", "<scalar>").data == {"v": value}
        except InvpolicyError:
            plain = False
    # A JSON string is a YAML double-quoted scalar.
    return value if plain else json.dumps(value, ensure_ascii=False)


def toml_str(value: str) -> str:
    """``value`` as a TOML basic string (control characters were refused before)."""
    return json.dumps(value, ensure_ascii=False)


def _environment() -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # YAML, TOML, Python and Markdown, not HTML
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["yaml_scalar"] = yaml_scalar
    env.filters["toml_str"] = toml_str
    return env


def render_template(template: str, **values: Any) -> str:
    """The template ``template`` (a path under ``templates/scaffold``) filled with ``values``."""
    return _environment().get_template(template).render(**values)


def canonical_yaml(data: dict[str, Any], shown: str = "<text>") -> str:
    """``data`` written as YAML in fmt's layout: what ``invpolicy fmt`` leaves as it is.

    fmt's own writer (:func:`invpolicy.authoring.fmt.style.layout_yaml`) writes it, and
    :func:`invpolicy.authoring.fmt.formatter.format_text` puts the keys in fmt's order and leaves
    the criteria without parameters empty. ``invpolicy show --resolved`` and a
    flattened copy (``new policy --from``) write with it.
    """
    from invpolicy.authoring.fmt.formatter import format_text
    from invpolicy.authoring.fmt.style import layout_yaml

    stream = io.StringIO()
    layout_yaml().dump(data, stream)
    return format_text(stream.getvalue(), shown)
