"""The project's own spaCy pipeline, built from local data at setup time.

No pretrained model can be downloaded, so we assemble one: blank English, the
lookup lemmatizer from spacy-lookups-data, and an entity ruler that knows the
attachment concepts (from the content library) and relationship words. Rasa
loads the saved pipeline through SpacyNLP; retrieval and concept spotting use
the same pipeline so both sides of the bot see the same lemmas.
"""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language

from bot.content import ContentLibrary

PIPELINE_NAME = "iwm_en"
PIPELINE_DIR = Path(__file__).resolve().parent.parent / "build" / "spacy" / PIPELINE_NAME
CONCEPT_LABEL = "CONCEPT"
RELATIONSHIP_LABEL = "RELATIONSHIP"


def entity_patterns(library: ContentLibrary) -> list[dict]:
    """Phrase patterns for the entity ruler; a concept pattern's id is its topic id."""
    aliases = library.vocabulary.concept_aliases
    patterns = [
        {"label": CONCEPT_LABEL, "pattern": term, "id": topic.id}
        for topic in library
        for term in sorted({*topic.keywords, *aliases.get(topic.id, ())})
    ]
    patterns += [
        {"label": RELATIONSHIP_LABEL, "pattern": word, "id": kind}
        for kind, words in library.vocabulary.relationship_words.items()
        for word in words
    ]
    return patterns


def build_pipeline(library: ContentLibrary, out_dir: Path = PIPELINE_DIR) -> Path:
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    nlp.initialize()  # pulls the lemma tables from spacy-lookups-data into the pipeline
    ruler.add_patterns(entity_patterns(library))
    nlp.meta.update(
        {
            "name": PIPELINE_NAME,
            "version": "1.0.0",
            "description": "Blank English + lookup lemmatizer + attachment-concept entity ruler",
        }
    )
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out_dir)
    return out_dir


def load_pipeline(path: Path = PIPELINE_DIR) -> Language:
    if not (path / "meta.json").exists():
        raise FileNotFoundError(f"spaCy pipeline not built at {path}: run `make setup`")
    return spacy.load(path)


def content_lemmas(nlp: Language, text: str) -> list[str]:
    """Lowercased lemmas of the words that carry meaning (no stop words or punctuation)."""
    return [
        token.lemma_.lower()
        for token in nlp(text)
        if not (token.is_stop or token.is_punct or token.is_space) and token.lemma_.strip()
    ]


def mentioned_concepts(nlp: Language, text: str) -> list[str]:
    """Topic ids named in the text, in order of first mention."""
    found: list[str] = []
    for entity in nlp(text).ents:
        if entity.label_ == CONCEPT_LABEL and entity.ent_id_ not in found:
            found.append(entity.ent_id_)
    return found
