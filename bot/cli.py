"""`doorstep`: run the bot, play the demo, check the config or the store, solve a route."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from pathlib import Path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="doorstep", description="Doorstep meal-aid bot")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the bot (long polling, or a webhook)")
    run.add_argument(
        "--webhook",
        metavar="URL",
        help="public https:// address Telegram posts updates to (else DOORSTEP_WEBHOOK_URL;"
        " neither: long polling, which also removes a webhook set before)",
    )
    demo = sub.add_parser("demo", help="play a whole canteen day on a local sandbox")
    demo.add_argument("--quiet", action="store_true", help="print only the summary")
    demo.add_argument(
        "--lang", choices=["zh", "en"], default="zh", help="the language everyone speaks"
    )
    sub.add_parser("check-config", help="validate settings and the canteen file, then exit")
    init = sub.add_parser("init", help="answer a few questions to write a canteen file")
    init.add_argument("path", nargs="?", default="canteens.toml")
    init.add_argument("--force", action="store_true", help="replace the file if it exists")
    init.add_argument("--lang", choices=["zh", "en"], default=None, help="(default: LANG's)")
    doctor = sub.add_parser("doctor", help="check with Telegram what can break day one")
    doctor.add_argument(
        "--lang", choices=["zh", "en"], default=None, help="the report's language (default: LANG's)"
    )
    check = sub.add_parser("check", help="check what must always hold in the store")
    check.add_argument("--db", help="the store file (default: DOORSTEP_DB's)")
    route = sub.add_parser("route", help="solve a CVRPLIB instance and print a .sol")
    route.add_argument("file")
    route.add_argument("--seconds", type=float, default=None, help="time to search")
    imports = sub.add_parser("import", help="import a roster of residents (CSV or XLSX)")
    imports.add_argument("what", choices=["residents"])
    imports.add_argument("file")
    imports.add_argument("--canteen", help="canteen code (default: the first canteen)")
    imports.add_argument("--yes", action="store_true", help="import without asking")
    moving = sub.add_parser(
        "migrate-store", help="copy a SQLite store into PostgreSQL and check every row"
    )
    moving.add_argument("--from", dest="source", required=True, help="the SQLite file")
    moving.add_argument("--to", dest="destination", required=True, help="postgresql://…")
    backup = sub.add_parser("backup", help="copy the database while the bot runs, and check it")
    backup.add_argument("path")
    restore = sub.add_parser("restore", help="put a backup in the store's place (bot stopped)")
    restore.add_argument("path")
    restore.add_argument(
        "--force", action="store_true", help="replace a store already there (it is kept beside)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "route":
        # Kept free of Telegram and the store so that the command starts fast.
        from scheduling.routing.command import run as solve

        return solve(args.file, args.seconds)
    if args.command == "init":  # the canteen file is what it makes: no settings read
        from bot.setup_file import run as write_canteen_file

        return write_canteen_file(args.path, args.lang or _operator_language(), force=args.force)
    if args.command == "migrate-store":  # needs no settings: both stores are named
        from bot.core.logs import configure as quiet_logs
        from bot.store_move import run as move_store

        quiet_logs()
        return move_store(args.source, args.destination)
    if args.command == "check" and args.db:
        return check_store(args.db)  # a store is all it needs: no settings read
    from bot.core.logs import configure

    configure()
    from bot.settings import ConfigError, load_config

    try:
        config = load_config(need_token=args.command in ("run", "doctor"))
    except ConfigError as error:
        print("Doorstep cannot start; the configuration has problems:", file=sys.stderr)
        for problem in error.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 2
    configure(config.settings.log_level, json_lines=config.settings.log_json)
    if args.command == "check-config":
        names = ", ".join(c.code for c in config.canteens.canteens)
        print(f"Configuration is valid: canteens: {len(config.canteens.canteens)} ({names}).")
        return 0
    if args.command == "check":
        return check_store(config.settings.db)
    if args.command == "doctor":
        from bot.doctor import run as diagnose

        return diagnose(config, args.lang or _operator_language())
    if args.command == "import":
        from bot.roster_import import run as import_roster

        return import_roster(config, args.file, args.canteen, args.yes)
    if args.command == "backup":
        from bot.maintenance import backup

        return backup(config, args.path)
    if args.command == "restore":
        from bot.maintenance import restore

        return restore(config, args.path, force=args.force)
    if args.command == "demo":
        try:
            from bot.demo import run_demo
        except ModuleNotFoundError as missing:  # installed without the sandbox extra
            print(f"The demo needs the sandbox: pip install 'doorstep[sandbox]' ({missing}).")
            return 2

        return run_demo(config, quiet=args.quiet, lang=args.lang)
    from bot.runner import run_polling, run_webhook
    from bot.webhook import plan

    if args.webhook and not args.webhook.startswith(("https://", "http://")):
        print("--webhook must be the public https:// address Telegram posts to.", file=sys.stderr)
        return 2
    webhook = plan(config.settings, args.webhook)
    return run_polling(config) if webhook is None else run_webhook(config, webhook)


def _operator_language() -> str:
    """Chinese for a Chinese locale (LANG=zh_CN.UTF-8), else English."""
    return "zh" if os.environ.get("LANG", "").startswith("zh") else "en"


def check_store(path: Path | str) -> int:
    """Print each rule the store breaks; 0 when none, 1 when some, 2 when it cannot tell."""
    from data.db import DatabaseError
    from data.invariants import check_file

    try:
        problems = asyncio.run(check_file(path))
    except FileNotFoundError:
        print(f"No store at {path}. Is DOORSTEP_DB (or --db) right?", file=sys.stderr)
        return 2
    except DatabaseError as error:
        print(f"{path} cannot be read as a Doorstep store: {error}", file=sys.stderr)
        return 2
    if not problems:
        print(f"The store at {path} keeps every rule.")
        return 0
    print(f"The store at {path} breaks {len(problems)} rule(s):")
    for problem in problems:
        print(f"  - {problem}")
    return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
