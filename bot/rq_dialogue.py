"""The four-paragraph questionnaire (RQ) in conversation: each step's words, reading a typed
choice, and the results in words and on the same four-quadrant picture as the ECR-RS.

Pure text and data, no Rasa and no database: actions/rq.py sends these replies and keeps the answers.
"""

from __future__ import annotations

import re

from bot.content import plain_apostrophes
from bot.plot import plot_models
from bot.replies import (
    BACK_ANSWER,
    PAUSE_ASSESSMENT,
    START_ASSESSMENT,
    Button,
    Reply,
    intent_payload,
    png_data_uri,
    section_payload,
)
from bot.results import NEXT_READING
from bot.rq import MODEL_RANGE, PROTOTYPES, STYLE_OF, RelationshipQuestionnaire, RQResult, highest_rated

CHOOSE_PARAGRAPH = "choose_paragraph"
# A model score within this distance of 0 leans neither way (the ratings nearly balance out).
MIDDLE_BAND = 2
ORDINALS = {"first": "A", "second": "B", "third": "C", "fourth": "D", "last": "D"}
PATTERN_NAMES = {
    "secure": "secure",
    "fearful": "fearful-avoidant",
    "preoccupied": "preoccupied (called anxious in the other questionnaire)",
    "dismissing": "dismissing (called avoidant in the other questionnaire)",
}
# What each model's score is about, and the working model it is often linked to.
MODEL_WORDS = {
    "self": {
        "name": "Model of self",
        "high": "leans toward \u201cI am worth loving and caring for\u201d",
        "middle": "leans neither way",
        "low": "leans toward \u201cmaybe I am not enough\u201d",
    },
    "others": {
        "name": "Model of others",
        "high": "leans toward \u201cpeople will be there for me\u201d",
        "middle": "leans neither way",
        "low": "leans toward being wary of relying on others",
    },
}
# The ECR-RS score each model is most often linked to, for the things-to-try section to read next.
LINKED_DIMENSION = {"self": "anxiety", "others": "avoidance"}
NOT_A_DIAGNOSIS = (
    "This is a snapshot for learning, not a diagnosis. Each rating is a single answer, so it moves more "
    "from day to day than a longer questionnaire does. Its authors suggest reading the four ratings as "
    "sliding scores rather than as one box."
)
SKIP_NOT_POSSIBLE = (
    "The scores need all four ratings, so this one can't be skipped. A rough answer is fine: "
    "pick the number that fits best."
)


def introduction(questionnaire: RelationshipQuestionnaire) -> Reply:
    return Reply(
        f"This is the **{questionnaire.name}**: four short paragraphs about close relationships in "
        f"general. It takes about a minute and is not a diagnosis. {questionnaire.instructions} "
        "Say \u201cstop\u201d at any time."
    )


def _paragraph_line(questionnaire: RelationshipQuestionnaire, prototype: str) -> str:
    paragraph = questionnaire.paragraphs[PROTOTYPES.index(prototype)]
    return f"**{paragraph.letter}.** *{paragraph.text}*"


def ask_best_fit(questionnaire: RelationshipQuestionnaire) -> Reply:
    """All four paragraphs, and which one fits best, as buttons A to D."""
    lines = [_paragraph_line(questionnaire, prototype) for prototype in PROTOTYPES]
    buttons = tuple(
        Button(paragraph.letter, intent_payload(CHOOSE_PARAGRAPH, paragraph=paragraph.letter))
        for paragraph in questionnaire.paragraphs
    )
    return Reply(
        "\n\n".join([*lines, "Which paragraph fits you **best**?"]),
        (*buttons, Button("Stop", PAUSE_ASSESSMENT)),
    )


def ask_rating(questionnaire: RelationshipQuestionnaire, prototype: str) -> Reply:
    """One paragraph again, and how well it describes the person, from 1 to 7."""
    step = PROTOTYPES.index(prototype) + 1
    buttons = [Button(f"{value} {label}", str(value)) for value, label in questionnaire.scale_labels.items()]
    buttons += [Button("Go back", BACK_ANSWER), Button("Stop", PAUSE_ASSESSMENT)]
    return Reply(
        f"**Rating {step} of {len(PROTOTYPES)}** \u00b7 How well does this describe you, from 1 to 7?\n\n"
        + _paragraph_line(questionnaire, prototype),
        tuple(buttons),
    )


def unclear_choice() -> Reply:
    return Reply("Sorry, I didn't catch which paragraph. Pick A, B, C or D, the one that fits you best.")


def unclear_rating() -> Reply:
    return Reply(
        "Sorry, I couldn't read that as a rating. Pick a number from 1 (not at all) to 7 (very much)."
    )


def paragraph_chosen(text: str) -> str | None:
    """'B', 'paragraph b', 'the second one' or 'fearful' -> the prototype; None if unclear."""
    words = re.findall(r"[a-z']+", plain_apostrophes(text.lower()))
    # "a" is also an article: it names paragraph A only at the end or after "paragraph" or "option"
    letters = {
        word.upper()
        for position, word in enumerate(words)
        if word in ("b", "c", "d")
        or (word == "a" and (position == len(words) - 1 or words[position - 1] in ("paragraph", "option")))
    }
    letters |= {ORDINALS[word] for word in words if word in ORDINALS}
    names = {
        prototype
        for prototype in PROTOTYPES
        for word in words
        if word in (prototype, STYLE_OF[prototype]) or (prototype == "dismissing" and word == "dismissive")
    }
    found = {PROTOTYPES["ABCD".index(letter)] for letter in letters} | names
    return found.pop() if len(found) == 1 else None


def _side(score: int) -> str:
    if abs(score) <= MIDDLE_BAND:
        return "middle"
    return "high" if score > 0 else "low"


def explain_result(questionnaire: RelationshipQuestionnaire, result: RQResult) -> str:
    """The RQ results in words: the ratings, the two model scores against their scale, the pattern."""
    ratings = ", ".join(
        f"{paragraph.letter} {result.ratings[paragraph.prototype]}" for paragraph in questionnaire.paragraphs
    )
    lines = [
        f"**Your four-paragraph results ({questionnaire.short_name})**",
        "",
        f"Your ratings: {ratings}.",
        "",
    ]
    for key, score in (("self", result.self_model), ("others", result.other_model)):
        words = MODEL_WORDS[key]
        lines.append(f"- **{words['name']}: {score:+d}**, which {words[_side(score)]}.")
    lines += [
        "",
        f"Both scores run from -{MODEL_RANGE} to +{MODEL_RANGE}, with 0 in the middle; within "
        f"{MIDDLE_BAND} of 0 a score leans neither way. They are read against that scale, not compared "
        "with other people.",
        "",
        _pattern_sentence(questionnaire, result),
        "",
        NOT_A_DIAGNOSIS,
        f"_Questionnaire: {questionnaire.citation} Scoring: {questionnaire.scoring_citation}_",
    ]
    return "\n".join(lines)


def _pattern_sentence(questionnaire: RelationshipQuestionnaire, result: RQResult) -> str:
    letter = {paragraph.prototype: paragraph.letter for paragraph in questionnaire.paragraphs}
    highest = highest_rated(result.ratings)
    picked = ""
    if result.best_fit:
        picked = (
            f" You picked {letter[result.best_fit]} as fitting best: many people see themselves in more "
            "than one paragraph, and both answers are worth thinking about."
        )
    if result.style is None:
        tied = " and ".join(letter[prototype] for prototype in highest)
        return f"You rated {tied} equally high, so no single pattern stands out.{picked}"
    chosen = next(prototype for prototype in highest if STYLE_OF[prototype] == result.style)
    sentence = f"The paragraph you rated highest is {letter[chosen]}, the {PATTERN_NAMES[chosen]} pattern."
    return sentence + picked if result.best_fit != chosen else sentence


def next_steps(result: RQResult) -> tuple[Button, ...]:
    """Things to try for the model that leans most to the wary side; the longer questionnaire."""
    lowest = min((result.self_model, "self"), (result.other_model, "others"))
    dimension = LINKED_DIMENSION[lowest[1]] if lowest[0] < -MIDDLE_BAND else "neither"
    title, topic_id = NEXT_READING[dimension]
    return (
        Button(title, section_payload(topic_id, "what-to-do")),
        Button("The longer questionnaire (one relationship)", START_ASSESSMENT),
    )


def result_reply(questionnaire: RelationshipQuestionnaire, result: RQResult) -> Reply:
    picture = png_data_uri(plot_models(result.self_model, result.other_model, MODEL_RANGE))
    return Reply(explain_result(questionnaire, result), next_steps(result), image=picture)


STOPPED = Reply(
    "Stopped: no results were saved from the four paragraphs. Say \u201cthe four paragraphs\u201d to "
    "start again whenever you like."
)
