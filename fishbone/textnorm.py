"""Text normalisation for phrase matching: cheap, shared by signals and comments.

Comments are folded to lower case, accents are stripped, anything that is not a
letter or digit becomes a space and runs of spaces collapse to one. Comments are
normalised many at a time (:func:`normalise_joined`): the records of a chunk are
joined into one string so that every step is a single C-level pass (``bytes.translate``
for ASCII chunks, two regular expressions for the rest).

Endings are folded by a tiny stemmer (:func:`stem`: plural ``s``/``ies``, verb
``ed``/``ied``/``ing``, a final ``e``, a doubled final consonant). Stemming every
token of a million comments would cost more than the matching itself, so the
stemmer is applied to the *signals* instead: :func:`variants` lists every word
that stems to the same stem, and the matcher looks for all of them. The result
is the same as stemming both sides.

Examples:
    >>> normalise("Crème brûlée, SO good!!")
    'creme brulee so good'
    >>> stem("refunds"), stem("waiting"), stem("replies"), stem("charged")
    ('refund', 'wait', 'reply', 'charg')
    >>> sorted(variants("wait"))
    ['wait', 'waited', 'waiting', 'waitings', 'waits']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Final

__all__ = ["MAX_GAP", "SEPARATOR", "normalise", "normalise_joined", "stem", "variants"]

SEPARATOR: Final = "\n"
"""Marks the end of each record in :func:`normalise_joined` output; never inside a record."""

MAX_GAP: Final = 2
"""After one halving pass (``passes=1``) a run of up to four spaces is at most MAX_GAP long.

So the matcher, searching for phrases whose words are 1 to MAX_GAP spaces apart,
matches words separated by up to four non-word characters (``wait... time``)."""
_RAW_SEP: Final = "\x00"
_VOWELS: Final = frozenset("aeiouy")
_NO_DOUBLE: Final = frozenset("aeiouywx")


def _ascii_table() -> bytes:
    table = bytearray(b" " * 256)
    for c in b"0123456789abcdefghijklmnopqrstuvwxyz":
        table[c] = c
    for c in b"ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        table[c] = c + 32
    table[0] = ord(SEPARATOR)
    return bytes(table)


_ASCII: Final = _ascii_table()
_COMBINING: Final = re.compile(r"[\u0300-\u036f]+")
_NON_WORD: Final = re.compile(r"(?:[^\w\n]|_)+")


def normalise_joined(texts: Sequence[str], *, passes: int | None = None) -> str:
    r"""Normalise many texts into one string: each record framed as ``" words \\n"``.

    Every record starts after a space and ends with ``" " + SEPARATOR``, so a phrase
    padded with spaces (``" slow refund "``) matches on word boundaries and never
    across two records. Record ``i`` ends at the ``i``-th :data:`SEPARATOR`.

    Args:
        texts: the comments, any length.
        passes: None folds every run of spaces to one; otherwise at most this many
            passes that halve runs (an ASCII chunk then costs one ``translate`` and
            one ``replace``). The matcher uses 1 and searches for phrases whose
            words are up to :data:`MAX_GAP` spaces apart. Non-ASCII chunks are
            always folded fully.

    Returns:
        The normalised text of all records.

    Examples:
        >>> normalise_joined(["Slow REFUND!", "", "Café"])
        ' slow refund \n \n cafe \n'
    """
    raw = " \x00 ".join(texts)
    if raw.count(_RAW_SEP) != max(len(texts) - 1, 0):  # a NUL inside a comment
        raw = " \x00 ".join(t.replace(_RAW_SEP, " ") for t in texts)
    raw = f" {raw} \x00"
    if raw.isascii():
        folded = raw.encode("ascii").translate(_ASCII)
        left = -1 if passes is None else passes
        while left != 0 and b"  " in folded:  # a few C passes beat a regex here
            folded = folded.replace(b"  ", b" ")
            left -= 1
        return folded.decode("ascii")
    text = unicodedata.normalize("NFKD", raw.replace(SEPARATOR, " ")).casefold()
    text = _COMBINING.sub("", text).replace(_RAW_SEP, SEPARATOR)
    return _NON_WORD.sub(" ", text)  # one space per run of non-word characters


def normalise(text: str) -> str:
    """Return ``text`` folded for matching: lower case, no accents, words split by one space.

    Examples:
        >>> normalise("  The app's LOGIN-page  ")
        'the app s login page'
    """
    return normalise_joined([text]).strip()


def _has_vowel(word: str) -> bool:
    return not _VOWELS.isdisjoint(word)


def _strip_plural(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _strip_verb(word: str) -> str:
    if word.endswith("ied") and len(word) > 4:
        return word[:-3] + "y"
    for ending in ("ed", "ing"):
        base = word[: -len(ending)]
        if word.endswith(ending) and len(base) >= 3 and _has_vowel(base):
            return base
    return word


def stem(word: str) -> str:
    """Fold simple English endings: plural ``s``/``ies``, ``ed``/``ied``/``ing``, final ``e``.

    Deliberately tiny (not Porter): words of three letters or fewer and words with
    digits are left alone.

    Examples:
        >>> [stem(w) for w in ["prices", "priced", "pricing", "price"]]
        ['pric', 'pric', 'pric', 'pric']
        >>> [stem(w) for w in ["stopped", "stops", "glasses", "app", "happy"]]
        ['stop', 'stop', 'glas', 'app', 'happy']
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    word = _strip_verb(_strip_plural(word))
    if len(word) > 3:
        word = word.rstrip("e")
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in _VOWELS:
        word = word[:-1]  # "stopp" -> "stop", "cancell" -> "cancel", "staff" -> "staf"
    return word


def _is_cvc(word: str) -> bool:
    """Whether ``word`` ends consonant-vowel-consonant, so its final consonant doubles."""
    return (
        len(word) >= 3
        and word[-1] not in _NO_DOUBLE
        and word[-2] in _VOWELS
        and word[-3] not in _VOWELS
    )


def _inflect(lemma: str) -> set[str]:
    """Return the regular inflections of ``lemma``: plural, ``ed``, ``ing``, ``ings``."""
    if len(lemma) >= 2 and lemma[-1] == "y" and lemma[-2] not in _VOWELS:
        stem_y = lemma[:-1]  # reply: replies, replied, replying
        forms = {lemma, stem_y + "ies", stem_y + "ied", lemma + "ing"}
    elif lemma.endswith("e"):
        ing = (
            {lemma[:-1], lemma} if lemma.endswith(("ee", "ye", "oe")) else {lemma[:-1]}
        )
        forms = {lemma, lemma + "s", lemma + "d"} | {s + "ing" for s in ing}
    else:
        forms = {lemma, lemma + "ed", lemma + "ing"}
        forms.add(
            lemma + "es" if lemma.endswith(("s", "x", "z", "ch", "sh")) else lemma + "s"
        )
        if _is_cvc(lemma):
            forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    forms |= {f + "s" for f in forms if f.endswith("ing")}
    return forms


def variants(word: str) -> set[str]:
    """Return the inflections of ``word`` that share its :func:`stem` (``word`` included).

    The stemmer is undone on the word's own lemma (``waited`` -> ``wait``), so the
    forms are real-looking words (``waits``, ``waiting``), not every string that
    happens to stem alike; the tests check this on a list of English word families.

    Examples:
        >>> sorted(variants("reply"))
        ['replied', 'replies', 'reply', 'replying', 'replyings']
        >>> sorted(w for w in variants("price") if w.startswith("price"))
        ['price', 'priced', 'prices']
        >>> "apps" in variants("app"), "happy" in variants("app")
        (True, False)
    """
    if not word.isalpha():
        return {word}
    root = stem(word)
    plural_free = _strip_plural(word)
    lemma = _strip_verb(plural_free)
    bases = {plural_free, lemma}
    if lemma != plural_free:
        bases |= {lemma + "e", lemma[:-1]}  # "charged" <- "charge", "stopped" <- "stop"
    if lemma.endswith("e") and word.endswith("es"):
        bases.add(lemma.rstrip("e"))  # "dishes" <- "dish"
    found = {word}
    for base in bases:
        found |= _inflect(base)
    return {w for w in found if stem(w) == root}
