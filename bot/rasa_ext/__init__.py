"""Plug-ins the Rasa server loads by module path (config.yml, endpoints.yml).

They are thin: the logic they run lives in the Rasa-free modules of `bot`.
"""
