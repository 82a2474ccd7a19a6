"""Command line for the parts of the bot that work without Rasa.

python -m bot build-nlp                       build the project's spaCy pipeline
python -m bot build-index                     embed the training examples and bank questions
python -m bot build-risk                      train the risk classifier of the crisis check
python -m bot build-concern                   train the classifier that notices control or abuse
python -m bot build-kinds                     learn the kind of answer letters want from the spent sets
python -m bot score --instrument ecr-rs --answers 7,6,5,4,3,2,1,2,3
python -m bot score --instrument rq --answers 6,2,3,4 [--best secure]   S,F,P,D ratings (RQ)
python -m bot check-config                    check settings, create missing secrets (run.sh)
python -m bot secret NAME                     print a secret for the environment of a server
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.channels.guard import RateLimiter
from bot.content import ContentError, ContentLibrary
from bot.keys import secret
from bot.privacy import ConfigurationError, pseudonym_key, retention_period
from bot.rq import RelationshipQuestionnaire, score_rq
from bot.scoring import DIMENSIONAL_CAVEAT, AnswerError, Instrument, InstrumentError, parse_answer_list, score


def _build_nlp(args: argparse.Namespace) -> int:
    from bot.nlp import PIPELINE_DIR, build_pipeline  # spaCy loads only for this command

    path = build_pipeline(ContentLibrary.load(), Path(args.out) if args.out else PIPELINE_DIR)
    print(f"spaCy pipeline written to {path}")
    return 0


def _build_index(args: argparse.Namespace) -> int:
    from bot.embedding import Encoder
    from bot.retrieval import build_semantic_index

    path = build_semantic_index(ContentLibrary.load(), Encoder.load())
    print(f"semantic index written to {path}")
    return 0


def _build_risk(args: argparse.Namespace) -> int:
    from bot.embedding import Encoder
    from bot.risk import RiskModel, training_messages

    data = training_messages()
    path = RiskModel.train(data, Encoder.load()).save()
    print(
        f"risk classifier ({len(data.risk)} risk, {len(data.ordinary)} ordinary messages) written to {path}"
    )
    return 0


def _build_concern(args: argparse.Namespace) -> int:
    from bot.concerns import MODEL_FILE, training_messages
    from bot.embedding import Encoder
    from bot.text_classifier import WordingAndMeaning

    concerns, ordinary = training_messages()
    vectors = Encoder.load().encode_many(concerns + ordinary)
    path = WordingAndMeaning.train(concerns, ordinary, vectors).save(MODEL_FILE)
    print(f"concern classifier ({len(concerns)} concerns, {len(ordinary)} ordinary) written to {path}")
    return 0


def _build_kinds(args: argparse.Namespace) -> int:
    from bot.embedding import Encoder
    from bot.kind_model import build

    path, letters = build(Encoder.load())
    print(f"kind model ({letters} letters) written to {path}")
    return 0


def _score(args: argparse.Namespace) -> int:
    answers = parse_answer_list(args.answers)
    if args.instrument == "rq":
        questionnaire = RelationshipQuestionnaire.load()
        if None in answers:
            raise AnswerError("every one of the four RQ paragraphs needs a rating from 1 to 7")
        scored = {"instrument": questionnaire.id, **score_rq(answers, args.best).as_dict()}
    elif args.best:
        raise AnswerError("--best is for the RQ, where the person picks the paragraph that fits best")
    else:
        instrument = Instrument.load(args.instrument)
        scored = {"instrument": instrument.id, **score(instrument, answers).as_dict()}
    print(json.dumps({**scored, "caveat": DIMENSIONAL_CAVEAT}, indent=2))
    return 0


SERVER_SECRETS = ("IWM_REST_TOKEN", "ACTION_SERVER_TOKEN")


def _check_config(_: argparse.Namespace) -> int:
    """Fail before start-up, in one clear line, rather than on first use."""
    retention_period()
    try:
        RateLimiter.from_environment()
    except ValueError as error:
        raise ConfigurationError(str(error)) from None
    pseudonym_key()
    for name in SERVER_SECRETS:
        secret(name)
    return 0


def _print_secret(args: argparse.Namespace) -> int:
    if args.name not in SERVER_SECRETS:
        raise ConfigurationError(f"unknown secret {args.name!r}; known: {', '.join(SERVER_SECRETS)}")
    print(secret(args.name))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build-nlp", help="build the spaCy pipeline from local data")
    build.add_argument("--out", help="output folder (default: build/spacy/iwm_en)")
    build.set_defaults(handler=_build_nlp)
    commands.add_parser("build-index", help="embed the training examples and bank questions").set_defaults(
        handler=_build_index
    )
    commands.add_parser("build-risk", help="train the risk classifier of the crisis check").set_defaults(
        handler=_build_risk
    )
    commands.add_parser("build-concern", help="train the classifier of control or abuse").set_defaults(
        handler=_build_concern
    )
    commands.add_parser("build-kinds", help="learn the kind of answer letters want").set_defaults(
        handler=_build_kinds
    )
    scorer = commands.add_parser("score", help="score a questionnaire's answers, print JSON")
    scorer.add_argument("--instrument", required=True, help="instrument id, e.g. ecr-rs")
    scorer.add_argument("--answers", required=True, help="comma-separated answers in item order")
    scorer.add_argument("--best", help="RQ only: the paragraph that fits best (breaks a tie)")
    scorer.set_defaults(handler=_score)
    commands.add_parser("check-config", help="check settings and create missing secrets").set_defaults(
        handler=_check_config
    )
    secret_command = commands.add_parser("secret", help="print a server secret (for scripts)")
    secret_command.add_argument("name", help=", ".join(SERVER_SECRETS))
    secret_command.set_defaults(handler=_print_secret)
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except (ContentError, InstrumentError, AnswerError, ConfigurationError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
