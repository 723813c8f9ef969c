"""Sorting names the way a Vietnamese reader expects them (Đ after D, tones after letters)."""

from __future__ import annotations

import unicodedata

# Vietnamese alphabetical order: ă, â after a; đ after d; ê after e; ô, ơ after o; ư after u; tones second.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền, hỏi, ngã, sắc, nặng


def _letter(base: str, marks: str) -> str:
    if base == "d" and "đ" in marks:
        return "đ"
    for mark in marks:
        if mark == "\u0306" and base == "a":
            return "ă"
        if mark == "\u0302" and base in "aeo":
            return {"a": "â", "e": "ê", "o": "ô"}[base]
        if mark == "\u031b" and base in "ou":
            return {"o": "ơ", "u": "ư"}[base]
    return base


def vi_sort_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """A key sorting Vietnamese names as a Vietnamese reader expects (Đ after D, tones after letters)."""
    letters: list[int] = []
    tones: list[int] = []
    for ch in unicodedata.normalize("NFC", text).casefold():
        if ch == "đ":
            base, marks = "d", "đ"
        else:
            decomposed = unicodedata.normalize("NFD", ch)
            base, marks = decomposed[0], decomposed[1:]
        letter = _letter(base, marks)
        letters.append(_RANK.get(letter, len(_ALPHABET) + ord(letter)) if letter.isalpha() else ord(letter) - 1000)
        tones.append(next((_TONES[m] for m in marks if m in _TONES), 0))
    return tuple(letters), tuple(tones)
