"""Command line: `python -m bot build-nlp` builds the project's spaCy pipeline."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.content import ContentError, ContentLibrary
from bot.nlp import PIPELINE_DIR, build_pipeline


def _build_nlp(args: argparse.Namespace) -> int:
    path = build_pipeline(ContentLibrary.load(), Path(args.out))
    print(f"spaCy pipeline written to {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build-nlp", help="build the spaCy pipeline from local data")
    build.add_argument("--out", default=str(PIPELINE_DIR))
    build.set_defaults(handler=_build_nlp)
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except ContentError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
