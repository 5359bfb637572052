"""Safe building blocks for self-contained pages: escaping, embedded JSON, assets, the shell.

Every string that comes from a scenario or from results goes through ``esc`` (text and
attributes) or ``script_json`` (data for scripts); scripts read data only through ``textContent``
of a ``<script type="application/json">`` block and write it back only through ``textContent``.
The page's Content-Security-Policy allows no network at all and runs only the page's own scripts
(by hash), so an inline event handler smuggled into a name could not run even if it were parsed.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from importlib import resources
from typing import Any

_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def esc(value: object) -> str:
    """``value`` as HTML text, safe in element content and in quoted attributes."""
    return html.escape(str(value), quote=True)


def script_json(payload: Any) -> str:
    """``payload`` as JSON that is safe inside ``<script type="application/json">``."""
    text = json.dumps(payload, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    for raw, escaped in _JSON_ESCAPES.items():
        text = text.replace(raw, escaped)
    return text


def data_uri(content: bytes, mime: str) -> str:
    """A ``data:`` URI holding ``content``."""
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"


def asset(name: str) -> str:
    """The text of a file shipped in ``kriegsspiel/report/assets``."""
    return (resources.files("kriegsspiel.report") / "assets" / name).read_text(encoding="utf-8")


def _script_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def page(title: str, css: str, body: str, scripts: tuple[str, ...] = ()) -> str:
    """A complete HTML document: ``body`` is trusted markup built with ``esc``."""
    script_src = " ".join(_script_hash(s) for s in scripts) or "'none'"
    csp = (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
        f"script-src {script_src}; base-uri 'none'; form-action 'none'"
    )
    tags = "".join(f"<script>{s}</script>" for s in scripts)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(csp)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{css}</style></head>"
        f"<body>{body}{tags}</body></html>\n"
    )
