"""Is this the same request? Pure text functions behind round robins (no database here).

A round robin is one request text sent to many forces. The copies differ in the force's
name ("Dyfed-Powys Police", "the MPS", "your force"), dates and periods, figures and the
odd name, so texts are first normalised (forces and names become placeholders, figures
and months are dropped), then cut into
word shingles. Two requests are the same when the Jaccard similarity of their shingle
sets reaches `THRESHOLD` (chosen on the labelled set in tests/round_robins/, see
bench/round_robin_quality.py). To find candidates among hundreds of thousands of
responses without comparing every pair, each shingle set gets a MinHash signature
(`datasketch`), cut into `BANDS` bands of `ROWS` rows: two sets with Jaccard s share a
band with probability 1 - (1 - s**ROWS)**BANDS (0.91 at s = 0.4, 0.99 at 0.5, 0.25 at
0.2), and a response in a round robin needs to meet only one other member to join.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from hashlib import sha1

import numpy as np

from db.datasketch_minhash import MinHash

THRESHOLD = 0.4  # Jaccard of shingle sets; chosen on tests/round_robins/labelled_pairs.json
SHINGLE_WORDS = 3
BANDS, ROWS = 36, 3
NUM_PERM = BANDS * ROWS
SEED = 16  # fixed: band keys stored in the archive must mean the same next run
SCHEME = "affine32"  # datasketch 2 names its hashing scheme; stored keys depend on it
MARGIN = 0.2  # estimates this far from THRESHOLD are trusted (over 3 standard errors)
MIN_SHINGLES = 4  # fewer (a one-line request, an empty page) cannot be told apart

_MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
).split()
# A force's own name: "South Wales Police", "Devon & Cornwall Police", "Heddlu Dyfed-Powys",
# "Cleveland Constabulary", "the MPS", "the Met", "your force". That is
#   \b(?:(?:[A-Z][\w'’-]*|and|&)\s+){1,4}(?:Police(?:\s+Service)?|Constabulary)\b
#   |\bHeddlu\s+[A-Z][\w'’-]*|\b(?:the\s+)?(?:MPS|Met)\b(?:['’]s)?
#   |\b(?:your|the|this|our)\s+(?:police\s+)?(?:force|service|constabulary)\b
# (tests/round_robins/test_normalise_patterns.py), written by first character as _NAMED
# below is: for each character a match can start with, the rest of the alternatives
# that can start with it, in their order (1.7x faster).
_ONE_OF = r"(?:[A-Z][\w'’-]*|and|&)"
_NAMED_FORCE = r"\s+(?:" + _ONE_OF + r"\s+){0,3}(?:Police(?:\s+Service)?|Constabulary)\b"
_OWN_FORCE = r"\s+(?:police\s+)?(?:force|service|constabulary)\b"


def _force_pattern() -> re.Pattern[str]:
    branches = []
    for c in string.ascii_uppercase:
        rest = [r"[\w'’-]*" + _NAMED_FORCE]
        if c == "H":
            rest.append(r"eddlu\s+[A-Z][\w'’-]*")
        if c == "M":
            rest.append(r"(?:PS|et)\b(?:['’]s)?")
        branches.append(f"{c}(?<!\\w{c})(?:{'|'.join(rest)})")
    branches += [
        r"a(?<!\wa)nd" + _NAMED_FORCE,
        r"&(?<=\w&)" + _NAMED_FORCE,  # \b before "&": a word character before it
        r"t(?<!\wt)(?:he\s+(?:MPS|Met)\b(?:['’]s)?|(?:he|his)" + _OWN_FORCE + ")",
        r"y(?<!\wy)our" + _OWN_FORCE,
        r"o(?<!\wo)ur" + _OWN_FORCE,
    ]
    return re.compile("|".join(branches))


_FORCE = _force_pattern()
# Titles followed by a name: "PC Jane Smith", "Sergeant Brown", "Mr. A. Jones". Written
# as \b(?:Mr|Mrs|Ms|Miss|Dr|PC|DC|DS|DI|PS|Sgt|Sergeant|Constable|Inspector|Superintendent
# |Chief\s+Constable|Commissioner)\.?\s+(?:[A-Z][\w'’-]*\.?\s*){1,3} means, but by first
# letter (the titles' order kept within each) with the \b after it ("(?<!\wM)" after an
# M): a pattern that starts with a letter lets `re` skip to the positions holding one
# (3x faster). tests/round_robins/test_normalise_patterns.py holds the plain forms.
_NAMED = re.compile(
    r"(?:M(?<!\wM)(?:r|rs|s|iss)|D(?<!\wD)(?:r|C|S|I)|P(?<!\wP)(?:C|S)"
    r"|S(?<!\wS)(?:gt|ergeant|uperintendent)|C(?<!\wC)(?:onstable|hief\s+Constable|ommissioner)"
    r"|I(?<!\wI)nspector)\.?\s+(?:[A-Z][\w'’-]*\.?\s*){1,3}"
)
_NUMBER = re.compile(r"\d\d*(?:[.,/:-]\d+)*(?:st|nd|rd|th)?")  # \d+..., as fast as above
_QUESTION_NUMBER = re.compile(r"[Qq](?<!\w[Qq])(?=\d)")  # \b[Qq](?=\d), as fast as above
_WORD = re.compile(r"[a-z]+")
# Words every request shares ("under the Freedom of Information Act please provide"):
# shingles made of them would make unrelated requests look alike.
_STOPWORDS = frozenset(
    """a an the of to in on for by at from with and or as is are was were be been being it
    its this that these those which who whom what when where how any all each per your you
    we our us i my me do does did can could would should will shall may might must have has
    had not no if than then there their they them so such also into out up about between
    over under within please provide request requesting requested information freedom act
    foi foia dear team thank thanks kindly like wish know following details under regards
    writing write make making made seek access note""".split()
)
_DROPPED = _STOPWORDS | frozenset(_MONTHS)  # one set lookup a word (the months were a list)


def normalise(text: str) -> list[str]:
    """The request's words, forces and names as placeholders, without figures or months."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _NAMED.sub(" name ", text)
    text = _FORCE.sub(" force ", text)
    # Figures, dates and list markers ("Q1.", "b)") carry no request of their own and
    # vary from copy to copy: they are left out, as are months.
    text = _NUMBER.sub(" ", _QUESTION_NUMBER.sub(" ", text).lower())
    return [word for word in _WORD.findall(text) if len(word) > 1 and word not in _DROPPED]


def shingles(text: str, size: int = SHINGLE_WORDS) -> frozenset[str]:
    """Overlapping runs of `size` normalised words (the whole text when shorter)."""
    words = normalise(text)
    if len(words) < size:
        return frozenset([" ".join(words)]) if words else frozenset()
    return frozenset(map(" ".join, zip(*(words[i:] for i in range(size)))))


def request_text(request: str | None, questions: Iterable[str | None] = ()) -> str:
    """What is compared: the quoted request and every question, in order."""
    parts = [request or ""] + [q or "" for q in questions]
    return "\n".join(p for p in parts if p.strip())


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def comparable(sh: frozenset[str]) -> bool:
    return len(sh) >= MIN_SHINGLES


_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9], dtype=np.uint64)[
    :ROWS
]
_BAND_SALT = np.arange(BANDS, dtype=np.uint64) * np.uint64(0xD6E8FEB86659FD93)


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    # MinHash() makes its permutations on every construction; made once, they are shared.
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations


def shingle_hashes(sh: Iterable[str]) -> np.ndarray:
    """The shingles' 32-bit hashes (the ones MinHash is made of: datasketch's
    `sha1_hash32`, the first 4 bytes of SHA-1 read little-endian, here read in one go),
    sorted and unique: what the whole-archive build keeps in memory instead of the strings."""
    digests = b"".join([sha1(s.encode()).digest()[:4] for s in sh])
    return np.unique(np.frombuffer(digests, dtype="<u4").astype(np.uint32))


def signature_of_hashes(hashes: np.ndarray) -> bytes:
    """The MinHash signature of hashed shingles, as stored in the archive (NUM_PERM x 4 bytes)."""
    minhash = MinHash(
        num_perm=NUM_PERM, seed=SEED, permutations=_permutations(), scheme=SCHEME, hashfunc=int
    )
    minhash.update_batch(hashes.tolist())
    return minhash.hashvalues.astype("<u4").tobytes()


def signatures_of_hashes(parts: Sequence[np.ndarray]) -> np.ndarray:
    """`signature_of_hashes` of many hashed shingle sets at once, (n, NUM_PERM) uint32:
    datasketch's affine32 MinHash (each hash pre-mixed by MurmurHash3's finalizer, then
    a * h + b mod 2**32 for each permutation, the least over the set) for every set in
    a few array operations instead of one MinHash object each."""
    a, b = (p.astype(np.uint32) for p in _permutations())
    lengths = np.array([len(p) for p in parts], dtype=np.int64)
    out = np.full((len(parts), NUM_PERM), np.iinfo(np.uint32).max, dtype=np.uint32)
    docs = np.flatnonzero(lengths)  # an empty set keeps MinHash's empty value
    if not len(docs):
        return out
    mixed = _fmix32(np.concatenate([parts[i] for i in docs.tolist()]).astype(np.uint32))
    ends = np.cumsum(lengths[docs])
    starts = ends - lengths[docs]
    first = 0
    while first < len(docs):  # docs first..last-1: about _MIX_STEP hashes at a time
        last = max(int(np.searchsorted(ends, starts[first] + _MIX_STEP, side="right")), first + 1)
        lo, hi = starts[first], ends[last - 1]
        permuted = mixed[lo:hi, None] * a + b  # uint32: wraps mod 2**32 as datasketch's
        out[docs[first:last]] = np.minimum.reduceat(permuted, starts[first:last] - lo, axis=0)
        first = last
    return out


_MIX_STEP = 8192  # hashes permuted at once (x NUM_PERM x 4 bytes: 3.5 MB)


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer (datasketch's pre-mix for the affine32 scheme)."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def signature(sh: frozenset[str]) -> bytes:
    """The MinHash signature of a shingle set (datasketch's SHA-1 of each shingle)."""
    return signature_of_hashes(shingle_hashes(sh))


def jaccard_hashes(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard of two hashed shingle sets (the strings' own, barring a 32-bit collision)."""
    if not len(a) or not len(b):
        return 0.0
    both = len(np.intersect1d(a, b, assume_unique=True))
    return both / (len(a) + len(b) - both)


def band_keys(sig: bytes) -> list[int]:
    """One signed 64-bit key per LSH band: equal keys = a candidate pair (same band,
    same rows). Each band's rows are mixed with fixed odd multipliers (vectorised)."""
    return band_key_matrix(np.frombuffer(sig, dtype="<u4").reshape(1, NUM_PERM))[0].tolist()


def band_key_matrix(sigs: np.ndarray) -> np.ndarray:
    """`band_keys` of many signatures at once: (n, NUM_PERM) uint32 -> (n, BANDS) int64."""
    values = sigs.astype(np.uint64).reshape(len(sigs), BANDS, ROWS)
    with np.errstate(over="ignore"):
        keys = (values * _MIX).sum(axis=2, dtype=np.uint64) + _BAND_SALT
        keys ^= keys >> np.uint64(29)
        keys *= np.uint64(0xBF58476D1CE4E5B9)
        keys ^= keys >> np.uint64(32)
    return keys.view(np.int64)


def estimate(a: bytes, b: bytes) -> float:
    """Jaccard estimated from two signatures (standard error about 0.05 near 0.4)."""
    x, y = np.frombuffer(a, dtype="<u4"), np.frombuffer(b, dtype="<u4")
    return float(np.count_nonzero(x == y)) / len(x)


def surely(sig_a: bytes, sig_b: bytes) -> bool | None:
    """True/False when the estimate is far from THRESHOLD, None when the text must decide."""
    return verdict(estimate(sig_a, sig_b))


def verdict(estimated: float) -> bool | None:
    if estimated >= THRESHOLD + MARGIN:
        return True
    if estimated < THRESHOLD - MARGIN:
        return False
    return None
