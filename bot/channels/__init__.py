"""The edges: Telegram, the web chat widget, and how they talk to the Rasa server."""

# What a channel says when Rasa answered nothing (for instance while the action server
# is down): silence would look like the bot ignoring the person.
NO_REPLY = (
    "Sorry, I couldn't put an answer together just now. Please try again in a moment; "
    "nothing you've saved so far is lost."
)
# What a channel says when the Rasa server could not handle the message at all (its
# database or lock store is down): the person should try again, not wait.
TEMPORARILY_UNAVAILABLE = (
    "Sorry, I'm temporarily unavailable. Please try again in a moment; nothing you've saved so far is lost."
)
