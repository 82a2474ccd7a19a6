"""NLU component: every message passes the crisis check, whatever the classifier said.

It runs last in the pipeline, after the FallbackClassifier. Two tiers:

- intent `crisis` (full crisis support; the questionnaire pauses) when the rule patterns fire on a
  crisis told as now, unless the risk classifier (bot.risk, calibrated, trained on the spent
  blind crisis sets too) finds it very unlikely ("my son came home with a black eye from rugby
  and won't talk about it"); when they fire on one told with a past wording but no word that it
  is over, and the classifier finds it likely enough; when the classifier alone is all but sure,
  in a message of up to 40 words ("my son told me tonight he has a plan to kill himself"); or when
  it finds a risk likely where the patterns read nothing and the message names a means at hand
  and a time close by; always for the intent to die told as now in another language, which the
  classifier, trained on English, cannot weigh;
- intent `crisis_possible` (a short check-in with the same services, then the conversation goes
  on) where the patterns fired but full support was not given, where they fire on words wrapped
  in laughter ("kms lol") that the classifier does not find very unlikely, or only on "end
  it"/"end things" in a message about a relationship, and
  where only the classifier finds a risk likely (in the whole message, in what follows a
  questionnaire answer it starts with: "7. also i have pills ready", in one sentence of a short
  message, or in a sentence of a long letter that speaks of dying or of a means).

A crisis told as past and over ("I self-harmed at 16, I'm 30 now and doing well") or as a figure
of speech ("my mum will kill me when she sees my grades") is left to the classifier, so the person
gets the answer to their question.

Either way the crisis rules win over topic questions, the fallback and the form.

Every text is checked, whatever it starts with. Only a real button payload (a "/" and an
intent the domain knows) skips the classifier; any other text loses a leading "/" so that
Rasa's payload parser leaves it alone (and logs nothing of it); the rule patterns still run on any free
text its entities carry, and if they fire the message stops being a payload, so Rasa's
payload handler cannot override the crisis intent.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.domain import Domain
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.answers import after_answer
from bot.crisis import FIGURE, JOKING, NOW, OTHER_LANGUAGE, PERHAPS_PAST, UNSURE, CrisisDetector
from bot.embedding import shared_encoder
from bot.nlp import load_pipeline
from bot.rasa_ext.intents import override_intent
from bot.rasa_ext.payloads import carried_text, known_payload
from bot.rasa_ext.reader import VECTOR_KEY
from bot.risk import MAX_WORDS_READ_BY_SENTENCE, RiskModel

CRISIS_INTENT = "crisis"
POSSIBLE_CRISIS_INTENT = "crisis_possible"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CrisisCheck(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # the risk probability that earns a check-in; one sentence read alone needs more; from
        # which full support is given on the classifier alone (above 1: never), to a crisis the
        # patterns read as told now, and to one told with a past wording (0: always, on the
        # patterns alone); below which one told with a past wording is left to the classifier's
        # other tiers (0: the check-in at least). config.yml sets the values chosen on the spent
        # blind crisis sets.
        return {
            "check_in_threshold": 0.6,
            "sentence_check_in_threshold": 0.62,
            "full_support_threshold": 1.01,
            "told_now_full_support_threshold": 0.0,
            "perhaps_past_full_support_threshold": 0.0,
            "perhaps_past_check_in_threshold": 0.0,
        }

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CrisisCheck:
        return cls(config, CrisisDetector(load_pipeline()), RiskModel.load(shared_encoder()))

    def __init__(self, config: dict[str, Any], detector: CrisisDetector, risk: RiskModel) -> None:
        self.threshold = config["check_in_threshold"]
        self.sentence_threshold = config["sentence_check_in_threshold"]
        self.full_support_threshold = config["full_support_threshold"]
        self.full_support_from = {
            NOW: config["told_now_full_support_threshold"],
            PERHAPS_PAST: config["perhaps_past_full_support_threshold"],
        }
        self.past_check_in_from = config["perhaps_past_check_in_threshold"]
        self.detector = detector
        self.risk = risk

    def process(self, messages: list[Message], domain: Domain | None = None) -> list[Message]:
        for message in messages:
            payload = known_payload(message, domain)
            if payload:
                carried = carried_text(payload)
                if carried and self.detector.check(carried) is not None:
                    message.set(TEXT, carried, add_to_output=True)  # no longer a payload Rasa could override
                    override_intent(message, CRISIS_INTENT)
                continue
            intent = self._crisis_intent(message)
            if intent:
                override_intent(message, intent)
        return messages

    def _crisis_intent(self, message: Message) -> str | None:
        text = message.get(TEXT) or ""
        signal = self.detector.check(text)
        if signal is not None and signal.told_as == UNSURE:
            return POSSIBLE_CRISIS_INTENT
        rest = after_answer(text)  # "7. also i have pills ready" -> "also i have pills ready"
        likelihood = self.risk.probability(text, message.get(VECTOR_KEY))
        if rest and rest != text:
            likelihood = max(likelihood, self.risk.probability(rest))
        # words wrapped in laughter get the check-in, one step below a crisis told as now: unless
        # the classifier finds a risk less likely than it must be for full support to one told as
        # now ("ugh i want to die lol, I waved at someone waving behind me"; "kms lol" alone is
        # likelier: 0.33)
        if signal is not None and signal.told_as == JOKING:
            return POSSIBLE_CRISIS_INTENT if likelihood >= self.full_support_from[NOW] else None
        # the patterns read a crisis told as now, or with a past wording but no word that it is
        # over ("I overdosed in my twenties. How do I tell my wife?"): help either way, and full
        # support unless the classifier, which learnt from such messages, finds it unlikely; a past
        # wording it finds very unlikely ("I cut at 15 and I've been fine for years") is read below
        # as the patterns' silence is
        past_and_unlikely = (
            signal is not None and signal.told_as == PERHAPS_PAST and likelihood < self.past_check_in_from
        )
        # the intent to die in another language, told as now: the classifier learnt from English
        # and cannot weigh it
        if signal is not None and signal.category == OTHER_LANGUAGE and signal.told_as == NOW:
            return CRISIS_INTENT
        if signal is not None and signal.told_as in self.full_support_from and not past_and_unlikely:
            return (
                CRISIS_INTENT
                if likelihood >= self.full_support_from[signal.told_as]
                else POSSIBLE_CRISIS_INTENT
            )
        # a risk the patterns did not read, or read as a figure of speech or a denial ("I'm not
        # suicidal but I've given my things away"), that the classifier is all but sure of, in a
        # message no longer than those it learnt from (a long letter's riskiest sentences are read
        # below)
        short = len(text.split()) <= MAX_WORDS_READ_BY_SENTENCE
        if (
            (signal is None or signal.told_as == FIGURE)
            and likelihood >= self.full_support_threshold
            and short
        ):
            return CRISIS_INTENT
        # nothing the patterns know, or told as past and over or as a figure of speech: the
        # classifier decides, on the whole text, on what follows a questionnaire answer it starts
        # with, and sentence by sentence (bot.risk says which sentences); a long letter read whole
        # counts only where it speaks of dying, of a means or of a plan somewhere
        risky_whole = likelihood >= self.threshold and (short or self.risk.speaks_of_dying_or_a_means(text))
        risky = (
            risky_whole
            or self.risk.highest_sentence_probability(text, self.sentence_threshold)
            >= self.sentence_threshold
        )
        if not risky:
            return None
        # a risk the patterns did not read at all, with a means at hand and a time close by: a plan
        if signal is None and self.detector.means_and_time(text):
            return CRISIS_INTENT
        return POSSIBLE_CRISIS_INTENT
