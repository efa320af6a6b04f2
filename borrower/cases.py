"""Staff command line for the case store (CASES_DB_URL, default var/cases.db).

    python -m borrower.cases list [--status S] [--category C] [--platform P]
    python -m borrower.cases show TS-2611-7K3QX
    python -m borrower.cases set-status TS-2611-7K3QX submitted --by wang [--note "已寄出"]
    python -m borrower.cases export [--out cases.csv]      (CSV to stdout without --out)

`make cases ARGS="list --status open"` does the same. Exit status 2 for a refused request (an
unknown case, a status the case cannot move to), with the reason on stderr.
"""

import argparse
import csv
import sys
from typing import List, Optional, TextIO

from borrower.casestore import CATEGORIES, STATUSES, CaseError, CaseRecord, CaseStore

EXPORT_FIELDS = ("case_number", "category", "status", "platform", "institution_type", "loan_type", "amount",
                 "region", "channel", "created_at", "updated_at", "summary")


def _line(case: CaseRecord) -> str:
    amount = f"{case.amount:,.0f}" if case.amount is not None else "-"
    return (f"{case.case_number}  {case.created_at:%Y-%m-%d}  {case.category:<11} {case.status:<14} "
            f"{case.platform or '-'}  {amount}")


def _show(store: CaseStore, number: str, out: TextIO) -> None:
    case = store.get(number)
    for field in EXPORT_FIELDS:
        print(f"{field}: {getattr(case, field)}", file=out)
    print("history:", file=out)
    for status, by, at in case.history:
        print(f"  {at:%Y-%m-%d %H:%M}  {status:<14} {by}", file=out)
    for incident in store.incidents(number):
        print(f"incident: {incident['occurred'] or '-'}  {', '.join(incident['behaviours'])}  "
              f"{incident['description'] or ''}", file=out)
    if case.draft:
        print("letter (latest version):", file=out)
        print(case.draft, file=out)


def _export(cases: List[CaseRecord], out: TextIO) -> None:
    writer = csv.writer(out)
    writer.writerow(EXPORT_FIELDS)
    for case in cases:
        writer.writerow([getattr(case, field) for field in EXPORT_FIELDS])


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m borrower.cases", description="Work the case queue.")
    commands = top.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="cases, oldest first")
    listing.add_argument("--status", choices=STATUSES)
    listing.add_argument("--category", choices=CATEGORIES)
    listing.add_argument("--platform")
    show = commands.add_parser("show", help="one case with its history, incidents and letter")
    show.add_argument("case_number")
    status = commands.add_parser("set-status", help="move a case along its workflow")
    status.add_argument("case_number")
    status.add_argument("status", choices=STATUSES)
    status.add_argument("--by", required=True, help="who is changing it (recorded as staff:<by>)")
    status.add_argument("--note")
    export = commands.add_parser("export", help="every case as CSV")
    export.add_argument("--out", help="file to write (stdout without it)")
    return top


def main(argv: Optional[List[str]] = None, out: TextIO = sys.stdout, url: Optional[str] = None) -> int:
    args = parser().parse_args(argv)
    store = CaseStore(url)
    try:
        if args.command == "list":
            for case in store.all_cases(status=args.status, category=args.category, platform=args.platform):
                print(_line(case), file=out)
        elif args.command == "show":
            _show(store, args.case_number.upper(), out)
        elif args.command == "set-status":
            case = store.set_status(args.case_number.upper(), args.status, f"staff:{args.by}", args.note)
            print(f"{case.case_number}: {case.status}", file=out)
        elif args.out:
            with open(args.out, "w", newline="", encoding="utf-8") as handle:
                _export(store.all_cases(), handle)
        else:
            _export(store.all_cases(), out)
    except CaseError as error:
        print(f"refused: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
