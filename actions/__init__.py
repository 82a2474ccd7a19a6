"""Rasa custom actions, grouped by feature. They stay thin: the logic lives in `bot/`."""

from __future__ import annotations


def warm_up() -> None:
    """Load the content library, the instruments and the help lines before the first request:
    loaded on first use, they made the first answer after every start wait about 2 s."""
    from actions.common import get_instrument, get_rq
    from actions.explain import get_tutor
    from actions.safety import get_resources

    for load in (get_tutor, get_instrument, get_rq, get_resources):
        load()
