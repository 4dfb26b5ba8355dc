"""Command line: ``python -m sortition solve|lottery|draw|verify``."""

from __future__ import annotations

import argparse
import json
import sys

from .i18n import _
from .leximin import solve
from .lottery import make_lottery
from .model import (
    InfeasibleQuotas,
    Instance,
    Result,
    SortitionError,
    describe_relaxation,
    read_people_csv,
    read_quotas_csv,
)
from .publication import draw, seal, verify
from .randomness import describe_format, format_from_text


def _read_json(path: str):
    """The JSON of a file; a French message for a missing, truncated or broken one."""
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError, RecursionError) as exc:
        raise SortitionError(
            _("Cannot read the file %(name)s: %(error)s") % {"name": path, "error": str(exc)[:200]}
        ) from exc


def _write_json(path: str, data: dict) -> None:
    try:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=1)
            handle.write("\n")
    except OSError as exc:
        raise SortitionError(
            _("Cannot write the file %(name)s: %(error)s") % {"name": path, "error": exc}
        ) from exc


def _percent(value: float) -> str:
    return f"{100 * value:.2f} %"


def _print_progress(progress) -> None:
    """``--verbose``: one line on stderr per stage and every few seconds within a stage."""
    print(progress.summary(), file=sys.stderr, flush=True)


def cmd_solve(args) -> int:
    quotas = read_quotas_csv(args.categories)
    people = read_people_csv(
        args.people,
        id_column=args.id_column,
        household_column=args.household_column,
        categories={q.category for q in quotas},
    )
    instance = Instance(
        people,
        quotas,
        args.size,
        required=frozenset(args.required or []),
        excluded=frozenset(args.excluded or []),
    )
    try:
        result = solve(
            instance,
            args.algorithm,
            cap=args.cap,
            goldilocks=args.goldilocks,
            legacy_runs=args.runs,
            seed=args.seed,
            on_progress=_print_progress if args.verbose else None,
        )
    except InfeasibleQuotas as exc:
        feasibility = exc.feasibility
        print(_("No panel can meet the quotas."))
        for problem in feasibility.problems:
            print(f"- {problem}")
        if feasibility.relaxation:
            print(_("Smallest relaxation of the quotas that makes a panel possible:"))
            for change in feasibility.relaxation:
                print(f"- {describe_relaxation(change)}")
        else:
            print(_("No change of the quotas alone can make a panel possible."))
        return 2
    print(_("Pool size: %(count)s") % {"count": result.pool_size})
    print(_("Panel size: %(count)s") % {"count": result.panel_size})
    print(_("Algorithm: %(name)s") % {"name": result.algorithm})
    print(_("Lowest probability: %(value)s") % {"value": _percent(result.min_probability)})
    print(_("Highest probability: %(value)s") % {"value": _percent(result.max_probability)})
    print(_("Number of panels: %(count)s") % {"count": len(result.panels)})
    print(_("Seconds: %(value)s") % {"value": f"{result.seconds:.2f}"})
    if result.forced:
        print(_("Forced people: %(count)s") % {"count": len(result.forced)})
        for item in result.forced:
            print(f"- {item['id']} ({item['probability']}): {item['reason']}")
    if args.output:
        _write_json(args.output, result.to_json())
        print(_("Result written to %(name)s") % {"name": args.output})
    return 0


def cmd_lottery(args) -> int:
    result = Result.from_json(_read_json(args.result))
    randomness_format = format_from_text(args.randomness_format)
    lottery = make_lottery(result, panels=args.panels)
    public, audit = seal(lottery, args.source, randomness_format)
    _write_json(args.output, public)
    _write_json(args.audit, audit)
    print(_("Commitment: %(value)s") % {"value": public["commitment"]})
    print(_("Randomness expected: %(format)s") % {"format": describe_format(randomness_format)})
    print(_("Largest deviation: %(value)s") % {"value": f"{public['max_deviation']:.6f}"})
    print(_("Lottery written to %(name)s") % {"name": args.output})
    print(_("Audit file (for the guarantors only) written to %(name)s") % {"name": args.audit})
    return 0


def cmd_draw(args) -> int:
    doc = _read_json(args.lottery)
    result = draw(doc, args.randomness, alternates=args.alternates)
    print(_("Randomness (canonical form): %(value)s") % {"value": result["randomness"]})
    print(_("Panel number: %(number)s") % {"number": result["panel_number"]})
    print(_("Members: %(ids)s") % {"ids": ", ".join(result["members"])})
    print(_("First alternates: %(ids)s") % {"ids": ", ".join(result["alternates"][:10])})
    output = args.output or args.lottery
    _write_json(output, doc)
    print(_("Drawn lottery written to %(name)s") % {"name": output})
    return 0


def _receipt(data, doc):
    """A receipt file, or the personal data downloaded from the volunteer list: the receipt
    of its entry in this draw (matched by the commitment)."""
    if isinstance(data, dict) and isinstance(data.get("draws"), list):
        for entry in data["draws"]:
            if isinstance(entry, dict) and entry.get("commitment") == doc.get("commitment"):
                return entry.get("receipt")
        raise SortitionError(_("Your personal data holds no receipt for this draw."))
    return data


def cmd_verify(args) -> int:
    doc = _read_json(args.file)
    audit = _read_json(args.audit) if args.audit else None
    entry = _receipt(_read_json(args.receipt), doc) if args.receipt else None
    report = verify(
        doc,
        randomness=args.randomness,
        audit=audit,
        published_commitment=args.commitment,
        receipt_entry=entry,
    )
    for label, passed, detail in report.checks:
        mark = "✓" if passed else "✗"
        print(f"{mark} {label}: {detail}" if detail else f"{mark} {label}")
    for note in report.notes:
        print(f"! {note}")
    print(_("All checks passed.") if report.ok else _("Some checks failed."))
    return 0 if report.ok else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m sortition",
        description=_("Fair selection of citizens' panels (LEXIMIN) and verifiable lottery."),
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("solve", help=_("Compute the selection probabilities."))
    p.add_argument("--people", required=True, help=_("CSV file of the pool"))
    p.add_argument("--categories", required=True, help=_("CSV file of the quotas"))
    p.add_argument("--size", required=True, type=int, help=_("panel size"))
    p.add_argument("--id-column", help=_("column with the person ids"))
    p.add_argument("--household-column", help=_("column with the household ids"))
    p.add_argument("--algorithm", choices=["leximin", "legacy"], default="leximin")
    p.add_argument("--goldilocks", action="store_true", help=_("also bound the highest"))
    p.add_argument("--cap", type=float, help=_("highest probability allowed"))
    p.add_argument("--required", nargs="*", help=_("ids that must be in the panel"))
    p.add_argument("--excluded", nargs="*", help=_("ids that must not be in the panel"))
    p.add_argument("--runs", type=int, default=1000, help=_("runs of the legacy algorithm"))
    p.add_argument("--seed", help=_("seed of the legacy algorithm"))
    p.add_argument("--output", help=_("JSON file for the result"))
    p.add_argument(
        "--verbose",
        action="store_true",
        help=_("print the stage and the lowest probability while computing"),
    )
    p.set_defaults(func=cmd_solve)

    p = sub.add_parser("lottery", help=_("Round a result to numbered panels and commit."))
    p.add_argument("--result", required=True)
    p.add_argument("--panels", type=int, default=1000)
    p.add_argument(
        "--source", required=True, help=_("the public draw to come, e.g. its name and date")
    )
    p.add_argument(
        "--randomness-format",
        required=True,
        help=_("loto, euromillions, eurodreams, keno, or dice:N for N dice thrown in public"),
    )
    p.add_argument("--output", required=True)
    p.add_argument("--audit", required=True, help=_("JSON file for the guarantors"))
    p.set_defaults(func=cmd_lottery)

    p = sub.add_parser("draw", help=_("Draw the panel from public randomness."))
    p.add_argument("--lottery", required=True)
    p.add_argument("--randomness", required=True)
    p.add_argument("--alternates", type=int)
    p.add_argument("--output")
    p.set_defaults(func=cmd_draw)

    p = sub.add_parser("verify", help=_("Check a lottery file and its draw."))
    p.add_argument("file")
    p.add_argument("--randomness")
    p.add_argument("--commitment", help=_("the commitment published before the draw"))
    p.add_argument("--audit", help=_("the audit file given to the guarantors"))
    p.add_argument("--receipt", help=_("your receipt, to check your own entry"))
    p.set_defaults(func=cmd_verify)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except SortitionError as exc:
        print(str(exc).replace("\n", " "), file=sys.stderr)
        return 2
