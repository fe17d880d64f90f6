"""db/similarity.py writes some of its patterns in a faster form (a first letter `re`
can skip to): they must match exactly what the plain forms below match, or stored
shingle hashes and signatures would change under the archive."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from db import similarity

PLAIN = {
    "_FORCE": re.compile(
        r"\b(?:(?:[A-Z][\w'’-]*|and|&)\s+){1,4}(?:Police(?:\s+Service)?|Constabulary)\b"
        r"|\bHeddlu\s+[A-Z][\w'’-]*"
        r"|\b(?:the\s+)?(?:MPS|Met)\b(?:['’]s)?"
        r"|\b(?:your|the|this|our)\s+(?:police\s+)?(?:force|service|constabulary)\b",
    ),
    "_NAMED": re.compile(
        r"\b(?:Mr|Mrs|Ms|Miss|Dr|PC|DC|DS|DI|PS|Sgt|Sergeant|Constable|Inspector"
        r"|Superintendent|Chief\s+Constable|Commissioner)\.?\s+(?:[A-Z][\w'’-]*\.?\s*){1,3}"
    ),
    "_NUMBER": re.compile(r"\d+(?:[.,/:-]\d+)*(?:st|nd|rd|th)?"),
    "_QUESTION_NUMBER": re.compile(r"\b[Qq](?=\d)"),
}
# Pieces the patterns care about (titles, their first letters alone, word and non-word
# neighbours, digits and separators, ordinals, spacing) and some that they do not.
PIECES = [
    *"Police Service Constabulary Heddlu MPS Met the this your our and & force service".split(),
    *"constabulary police H M PS et he his ur our’s 's Kent Devon Dyfed-Powys tthe".split(),
    *"Mr Mrs Ms Miss Dr PC DC DS DI PS Sgt Sergeant Constable Inspector".split(),
    *"Superintendent Chief Commissioner M D P S C I Q q r s x é É _ 0 1 42 st nd th".split(),
    *"Jane O’Neil Smith-Jones A. b) Q1. q2 ’ ' - . , / : & \u00a0".split(),
    " ",
    "  ",
    "\n",
    "\t",
]
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@settings(max_examples=1000, deadline=None)
@given(texts)
def test_the_fast_patterns_match_as_the_plain_ones(text):
    for name, plain in PLAIN.items():
        fast = getattr(similarity, name)
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_on_request_like_text():
    text = (
        "Dear Sir, Mr. A. Jones and PC Jane Smith asked DC O’Neil-Brown (Q1, q2b) about "
        "the 3rd/4th incidents of 12.05.2024; Chief  Constable Sir Mark Rowley, Inspector "
        "Morse,Sgt Lewis; xMr Smith, CSgt, DSI Q3q4 1st, 2nd. Devon & Cornwall Police, "
        "Heddlu Dyfed-Powys, the Met's and the MPS’s, your police force, this service, "
        "South Wales Police Service; our constabulary, A B C D E Police, x&  Police, "
        "theMPS, Thames Valley\nPolice, Metropolitan Police Service, band Police, xand Police, "
        "Kentand Police, X&  Police, &Police, ourforce, tyour force, Heddlux Y, Metro, MPSs"
    )
    for name, plain in PLAIN.items():
        fast = getattr(similarity, name)
        assert fast.sub("#", text) == plain.sub("#", text)
