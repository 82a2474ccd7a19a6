"""Rasa custom actions, grouped by feature. They stay thin: the logic lives in `bot/`."""
