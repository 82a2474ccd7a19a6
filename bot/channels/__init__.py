"""The edges: Telegram, the web chat widget, and how they talk to the Rasa server."""

# What a channel says when Rasa answered nothing (for instance while the action server
# is down): silence would look like the bot ignoring the person.
NO_REPLY = (
    "Sorry, I couldn't put an answer together just now. Please try again in a moment; "
    "nothing you've saved so far is lost."
)
