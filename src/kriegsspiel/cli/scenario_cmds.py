"""``kriegsspiel check``, ``kriegsspiel schema`` and ``kriegsspiel scenarios``."""

from __future__ import annotations

import json
from collections import Counter
from typing import Annotated, Any

import typer

from kriegsspiel.cli._app import app, emit_json
from kriegsspiel.errors import InputError
from kriegsspiel.scenario.loader import content_hash, load, resolve
from kriegsspiel.scenario.overrides import apply_overrides, assumptions
from kriegsspiel.scenario.problems import Problem, ScenarioError, format_path
from kriegsspiel.scenario.registry import shipped, shipped_path
from kriegsspiel.scenario.schema import Scenario
from kriegsspiel.terrain.imports import check_files

_SCHEMA_URI = "https://json-schema.org/draft/2020-12/schema"


def _summary(sc: Scenario) -> dict[str, Any]:
    by_side = Counter(u.side for u in sc.units)
    return {
        "ok": True,
        "name": sc.meta.name,
        "title": sc.meta.title,
        "start": sc.meta.start.isoformat(),
        "end": sc.meta.end.isoformat(),
        "sides": list(sc.sides),
        "units": {side: by_side.get(side, 0) for side in sc.sides},
        "men": {
            side: sum(u.men.value for u in sc.units if u.side == side and u.type != "air")
            for side in sc.sides
        },
        "events": dict(Counter(e.kind for e in sc.events)),
        "objectives": [o.id for o in sc.objectives],
        "sources": len(sc.sources),
        "assumptions": len(assumptions(sc)),
        "whatifs": list(sc.whatifs),
        "content_hash": content_hash(sc),
    }


@app.command()
def check(
    scenario: Annotated[str, typer.Argument(help="A scenario file, or a shipped scenario's name.")],
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a value by key path, e.g. units[air].sorties=0."),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")] = False,
) -> None:
    """Validate a scenario: print OK with a summary, or every problem with key path and line."""
    try:
        sc = load(scenario)
        if set_:
            sc = apply_overrides(sc, set_)
        try:
            check_files(sc.terrain)  # the GeoJSON and DEM files the terrain reads
        except InputError as exc:
            loc = tuple(exc.field.split("."))
            problem = Problem(loc, str(exc).removeprefix(f"{exc.field}: "))
            raise ScenarioError([problem], str(resolve(scenario))) from None
    except ScenarioError as exc:
        if json_out:
            emit_json({
                "ok": False,
                "file": exc.file,
                "problems": [
                    {"path": format_path(p.loc), "line": p.line, "message": p.message}
                    for p in exc.problems
                ],
            })  # fmt: skip
        for line in exc.lines():
            typer.echo(f"error: {line}", err=True)
        raise typer.Exit(2) from None
    info = _summary(sc)
    if json_out:
        emit_json(info)
        return
    units = ", ".join(f"{n} {side}" for side, n in info["units"].items())
    events = ", ".join(f"{n} {kind}" for kind, n in sorted(info["events"].items()))
    typer.echo(f"OK  {info['name']}: {info['title']}")
    typer.echo(f"    {info['start']} to {info['end']} (local)")
    typer.echo(f"    units: {units}")
    typer.echo(f"    events: {events or 'none'}")
    typer.echo(f"    objectives: {', '.join(info['objectives']) or 'none'}")
    typer.echo(f"    {info['sources']} sources, {info['assumptions']} assumptions")
    typer.echo(f"    what-ifs: {', '.join(info['whatifs']) or 'none'}")
    typer.echo(f"    sha256 {info['content_hash']}")


@app.command()
def schema() -> None:
    """Print the JSON Schema of the scenario format (for editors) on stdout."""
    doc = {"$schema": _SCHEMA_URI, **Scenario.model_json_schema()}
    typer.echo(json.dumps(doc, indent=2))


@app.command()
def scenarios(
    path: Annotated[
        str | None, typer.Option("--path", help="Print this shipped scenario's file path.")
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")] = False,
) -> None:
    """List the shipped scenarios (a line each), or print one's file path to copy and edit."""
    if path is not None:
        found = shipped_path(path)
        if found is None:
            names = ", ".join(shipped())
            raise InputError("--path", f"the name of a shipped scenario ({names})", path)
        typer.echo(str(found))
        return
    rows: list[dict[str, Any]] = []
    for name in shipped():
        sc = load(name)
        rows.append({
            "name": name, "title": sc.meta.title,
            "start": sc.meta.start.isoformat(), "end": sc.meta.end.isoformat(),
            "units": len(sc.units), "events": len(sc.events), "whatifs": list(sc.whatifs),
        })  # fmt: skip
    if json_out:
        emit_json(rows)
        return
    width = max((len(r["name"]) for r in rows), default=0)
    for r in rows:
        whatifs = f"; what-ifs: {', '.join(r['whatifs'])}" if r["whatifs"] else ""
        typer.echo(
            f"{r['name']:<{width}}  {r['title']}  "
            f"({r['units']} units, {r['events']} events{whatifs})"
        )
