"""IWM Guide: content library, retrieval and (later) scoring core, storage and channels.

Nothing in this package imports Rasa, so it can be tested and reused on its own.
"""
