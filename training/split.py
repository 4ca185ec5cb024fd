"""The fixed train/dev split shared by training/ and bench/quality.py.

A text is in the dev split iff the first byte of sha256(text as UTF-8) is divisible by 5
(about 20% of distinct texts); every other text is in the train split. The rule depends on the
text only, so duplicates always land on the same side and the split never changes.
"""

import hashlib


def utf8(text: str) -> bytes:
    """UTF-8 bytes of `text`; lone surrogates (possible after JSON decoding) become U+FFFD."""
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace").encode("utf-8")


def is_dev(text: str) -> bool:
    """True iff `text` belongs to the dev split."""
    return hashlib.sha256(utf8(text)).digest()[0] % 5 == 0
