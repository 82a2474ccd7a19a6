"""A whole assessment over REST, as a user would do it, across a server crash.

Start, answers as buttons and as words, go back, an unclear answer, a concept question in
the middle, skip, pause and resume, a hard kill of both servers, resume again, results with
the picture. The PNG is saved to results/artifacts/ to look at.
"""

from __future__ import annotations

import base64
import sqlite3
import uuid

import pytest

from tests.servers import ROOT, Servers, texts

pytestmark = pytest.mark.e2e
PARTNER = '/choose_relationship{"relationship": "partner"}'


def stored_answers(servers: Servers) -> dict[int, int | None]:
    with sqlite3.connect(servers.state_dir / "iwm.sqlite3") as connection:
        return dict(connection.execute("SELECT item_number, value FROM answers").fetchall())


def test_a_full_assessment_survives_pause_and_a_crash(servers, library):
    sender = f"quiz-{uuid.uuid4().hex}"
    intro = servers.say(sender, "can you quiz me on my attachment style?")
    assert "ECR-RS" in texts(intro) and "not a diagnosis" in texts(intro)
    assert [b["payload"] for b in intro[-1]["buttons"]] == ["/affirm", "/deny"]

    relationship = servers.say(sender, "/affirm")
    assert len(relationship[-1]["buttons"]) == 4

    first = servers.say(sender, PARTNER)
    assert "**1 of 9**" in texts(first) and "It helps to turn to this person in times of need." in texts(
        first
    )
    assert len(first[-1]["buttons"]) == 10  # 7 scale points, skip, go back, pause

    assert "**2 of 9**" in texts(servers.say(sender, "7"))  # a button press
    reply = texts(servers.say(sender, "strongly agree"))  # words
    assert "Noted: 7 (strongly agree)" in reply and "**3 of 9**" in reply
    assert "**2 of 9**" in texts(servers.say(sender, "go back"))
    assert "**3 of 9**" in texts(servers.say(sender, "6"))

    reply = texts(servers.say(sender, "wait, what does dismissive avoidant mean?"))
    assert library.get("style-avoidant").summary in reply and "**3 of 9**" in reply
    assert "couldn't tell" in texts(servers.say(sender, "hmm it depends"))
    assert "**4 of 9**" in texts(servers.say(sender, "skip"))

    paused = texts(servers.say(sender, "pause"))
    assert "Paused" in paused and "3 answers are saved" in paused
    assert "Welcome back" in texts(servers.say(sender, "resume"))
    assert "**5 of 9**" in texts(servers.say(sender, "somewhat agree"))
    assert stored_answers(servers) == {1: 7, 2: 6, 3: None, 4: 5}

    servers.stop(kill=True)  # a crash: nothing is flushed politely
    servers.start()
    reply = texts(servers.say(sender, "resume"))
    assert "answered 4 of 9" in reply and "**5 of 9**" in reply

    for value in ["3", "2", "1", "not really"]:
        servers.say(sender, value)
    results = servers.say(sender, "3")
    reply = texts(results)
    # avoidance: (8-7, 8-6, skipped, 8-5, 3, 2) -> 11/5 = 2.2; anxiety: (1, 3, 3) -> 7/3 = 2.3
    assert "Attachment anxiety: 2.3" in reply and "Attachment avoidance: 2.2" in reply
    assert "**Secure**" in reply and "not a diagnosis" in reply
    saved = servers.say(sender, "can i get a pdf of my results to show my therapist")
    summary = next(message["custom"]["document"] for message in saved if "custom" in message)
    assert summary["data"].startswith("data:application/pdf;base64,JVBER")  # %PDF
    image = next(message["image"] for message in results if "image" in message)
    png = base64.b64decode(image.removeprefix("data:image/png;base64,"))
    assert png.startswith(b"\x89PNG")
    artifacts = ROOT / "results" / "artifacts"
    artifacts.mkdir(parents=True, exist_ok=True)
    (artifacts / "assessment-result.png").write_bytes(png)
    assert servers.tracker(sender)["slots"]["topic"] == "style-secure"


def test_a_retake_shows_the_change(servers):
    sender = f"retake-{uuid.uuid4().hex}"
    for attempt in (["6"] * 9, ["2"] * 9):
        servers.say(sender, "i want to take the attachment test")
        servers.say(sender, "/affirm")  # consent is asked for every new run
        servers.say(sender, PARTNER)
        for value in attempt[:-1]:
            servers.say(sender, value)
        results = servers.say(sender, attempt[-1])
    reply = texts(results)
    assert "Compared with your last attempt" in reply
    # first: avoidance (2,2,2,2,6,6)/6 = 3.3, anxiety 6; second: avoidance (6,6,6,6,2,2)/6 = 4.7, anxiety 2
    assert "anxiety 6.0 \u2192 2.0" in reply and "avoidance 3.3 \u2192 4.7" in reply


# none of these is a training example; people answer a yes/no question in many ways
PLAIN_YES = ["yeah ok", "yup sounds good", "yes let's do this", "sure thing, let's go"]
PLAIN_NO = ["nope, not today", "nah maybe another day", "no i'd rather not"]


def test_plain_yes_and_no_answer_the_consent_deletion_and_resume_questions(servers):
    for word, consent_reply, deletion_reply, resume_reply in [
        *((word, "Which relationship", "Done: your questionnaire answers", "2 of 9") for word in PLAIN_YES),
        *((word, "nothing was stored", "nothing was deleted", "stay saved") for word in PLAIN_NO),
    ]:
        quiz_taker, reader = f"consent-{uuid.uuid4().hex}", f"deletion-{uuid.uuid4().hex}"
        servers.say(quiz_taker, "quiz me")
        assert consent_reply in texts(servers.say(quiz_taker, word)), word
        servers.say(reader, "what is a secure base?")
        assert "Are you sure?" in texts(servers.say(reader, "delete my data"))
        assert deletion_reply in texts(servers.say(reader, word)), word
        pauser = f"pause-{uuid.uuid4().hex}"
        for step in ("/start_assessment", "/affirm", PARTNER, "5"):
            servers.say(pauser, step)
        assert "Would you like to go on now?" in texts(servers.say(pauser, "can we pause here"))
        assert resume_reply in texts(servers.say(pauser, word)), word


def test_the_four_paragraphs_end_to_end_after_the_longer_questionnaire(servers):
    sender = f"rq-{uuid.uuid4().hex}"
    for step in ("/start_assessment", "/affirm", PARTNER, *["4"] * 8):
        servers.say(sender, step)
    finished = servers.say(sender, "4")
    offered = [button for message in finished for button in message.get("buttons", [])]
    assert {"title": "The four-paragraph test (1 minute)", "payload": "/start_rq"} in offered

    paragraphs = texts(servers.say(sender, "is there a shorter test?"))  # asked in words, not the button
    assert (
        "Relationship Questionnaire" in paragraphs
        and "I am comfortable without close emotional" in paragraphs
    )
    assert "Rating 1 of 4" in texts(servers.say(sender, "hmm, probably the second one"))
    assert "Rating 2 of 4" in texts(servers.say(sender, "5"))
    assert "Rating 1 of 4" in texts(servers.say(sender, "go back"))
    assert "Rating 2 of 4" in texts(servers.say(sender, "5"))
    assert "can't be skipped" in texts(servers.say(sender, "skip"))
    servers.say(sender, "2")  # fearful
    assert "Rating 4 of 4" in texts(servers.say(sender, "agree"))  # preoccupied 6
    results = servers.say(sender, "1")  # dismissing
    reply = texts(results)
    # self = (5 + 1) - (2 + 6) = -2, others = (5 + 6) - (2 + 1) = +8
    assert "Model of self: -2**" in reply and "Model of others: +8**" in reply
    assert "the preoccupied" in reply and "You picked B as fitting best" in reply
    assert any(message.get("image", "").startswith("data:image/png") for message in results)
    export = texts(servers.say(sender, "show me my data"))
    assert '"instrument": "rq"' in export and '"self_model": -2' in export

    stopper = f"rq-stop-{uuid.uuid4().hex}"
    servers.say(stopper, "/start_rq")
    servers.say(stopper, '/choose_paragraph{"paragraph": "A"}')
    assert "no results were saved" in texts(servers.say(stopper, "stop"))
    after = texts(servers.say(stopper, "what is a secure base?"))
    assert "secure base" in after.lower() and "Rating" not in after  # the form is over: questions get answers
