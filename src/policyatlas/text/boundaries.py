"""Word boundaries for Latin-script matches inside any text (Chinese has no spaces; English does)."""

from __future__ import annotations


def is_latin_word_char(text: str, index: int) -> bool:
    """Whether text[index] exists and is a Latin letter or digit."""
    return 0 <= index < len(text) and text[index].isascii() and text[index].isalnum()


def latin_bounded(text: str, start: int, end: int) -> bool:
    """A match must not continue a Latin word or number on either side (AI in OpenAI, EV in EVE)."""
    starts_inside = is_latin_word_char(text, start) and is_latin_word_char(text, start - 1)
    ends_inside = is_latin_word_char(text, end - 1) and is_latin_word_char(text, end)
    return not (starts_inside or ends_inside)
