"""IWM Guide: content library, retrieval, scoring core, storage and channel front ends.

The content library, retrieval and scoring core import nothing from Rasa, so they can be
tested and reused on their own; Rasa-facing code lives in actions/.
"""
