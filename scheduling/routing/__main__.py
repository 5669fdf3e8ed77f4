"""`python -m scheduling.routing FILE.vrp [--seconds S]`, the same as `doorstep route`."""

from __future__ import annotations

import argparse
import sys

from scheduling.routing.command import run


def main(argv: list[str] | None = None) -> int:
    """Parses the command line and runs the solver."""
    parser = argparse.ArgumentParser(
        prog="doorstep route", description="Solve a CVRPLIB instance; print a .sol solution."
    )
    parser.add_argument("file", help="a CVRPLIB .vrp file")
    parser.add_argument("--seconds", type=float, default=None, help="search time cap")
    args = parser.parse_args(argv)
    return run(args.file, args.seconds)


if __name__ == "__main__":
    sys.exit(main())
