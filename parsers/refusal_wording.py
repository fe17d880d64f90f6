"""How responses word "neither confirm nor deny" and a refusal: every such pattern, here.

Built from a few shared phrases so the parsers cannot drift apart on what counts:

- `NCND_SENTENCE`: a sentence saying the duty to confirm or deny is set aside
  ("neither confirm nor deny", "NCND", "the duty in Section 1(1)(a)", "duty to confirm
  or deny"): it makes a bare "Section 23" in that sentence, or a list it heads, NCND.
- `SPEAKS_OF_NCND`: the page speaks of confirming or denying at all (also "confirm or
  deny"): without it no provision is flagged NCND.
- `NCND_STATED`: the reply states NCND in so many words (outcome and `ncnd`).
- `DUTY_EXCLUDED`: a decision that excludes the duty to confirm or deny.
- `NOT_AN_INDICATION`: "should not be taken as an indication that the information
  does or does not exist", which is not an NCND response.
- `REFUSED`, `WITHHELD_WORDS`: a refusal in the decision, and answers that withhold.

The IGNORECASE patterns run over whole lines or pages are `Prefiltered` (see
`parsers.prefilter`).
"""

from __future__ import annotations

import re

from parsers.prefilter import Prefiltered

_NEITHER_NOR = r"neither\s+confirm\w*\s+nor\s+den"
_CONFIRM_OR_DENY = r"confirm\w*\s+(?:n?or|or)\s+den"
_ABBREVIATION = r"\bNCND\b"
_DUTY_S1_1_A = r"duty (?:in|at|under) (?:Section |S)?1\s?\(1\)\s?\(a\)"

NCND_SENTENCE = Prefiltered(
    re.compile(
        rf"{_NEITHER_NOR}|{_ABBREVIATION}|{_DUTY_S1_1_A}|duty to confirm or deny", re.IGNORECASE
    ),
    ("neither", "ncnd", "duty"),
    anchored=True,
)
SPEAKS_OF_NCND = Prefiltered(
    re.compile(rf"{_CONFIRM_OR_DENY}|{_ABBREVIATION}|{_DUTY_S1_1_A}", re.IGNORECASE),
    ("confirm", "ncnd", "duty"),
    anchored=True,
)
NCND_STATED = Prefiltered(
    re.compile(rf"{_NEITHER_NOR}|{_ABBREVIATION}", re.IGNORECASE),
    ("neither", "ncnd"),
    anchored=True,
)
DUTY_EXCLUDED = re.compile(
    rf"{_DUTY_S1_1_A}.{{0,120}}?(?:does not apply|is excluded|not to apply)"
    r"|(?:neither|not) (?:to )?confirm(?:ing)? (?:n?or|or) deny(?:ing)? whether",
    re.IGNORECASE,
)
NOT_AN_INDICATION = re.compile(
    r"not be taken as (?:an |necessarily )?(?:indicat|confirm)|(?:does|do|exists?) or (?:does|do) not exist",
    re.IGNORECASE,
)
REFUSED = re.compile(
    r"decided not to (?:disclose|release|provide)|(?:is|are) exempt|(?:withhold|withheld|refuse|refused) (?:the|this|all|your)"
    r"|Refusal Notice|unable to (?:disclose|provide|release)|not (?:able|in a position) to (?:disclose|provide|release)",
    re.IGNORECASE,
)
WITHHELD_WORDS = re.compile(
    r"exempt|withh[oe]ld|refus|confirm or deny|confirm nor deny|places two duties|appropriate limit|vexatious",
    re.IGNORECASE,
)
