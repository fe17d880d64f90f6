"""Site chrome: everything on a page that is not the response, in one place.

Two layers, because the real markup is unknown and browsers flatten it differently:

1. Structural: elements that are chrome by their role (navigation, banners, cookie
   and consent regions, hidden elements, feedback and share widgets). Removed from
   the parsed tree before text is taken.
2. Textual: the banner lines the MPS platform prints (seen in every seed and real
   sample: quick-exit link, cookie banner and its hidden confirmations, the error
   message, the beta banner). They survive layer 1 when the markup puts them inside
   `main` or hides them in ways we do not recognise, so lines are checked by text too.
"""

from __future__ import annotations

import re

from parsers.prefilter import Prefiltered

# Always junk, wherever they are.
JUNK_SELECTOR = ",".join(
    (
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "canvas",
        "button",
        "select",
        "textarea",
        "input",
        "link",
        "meta",
        # (iframe/object/embed stay: their text is skipped, but a PDF shown in the page
        # is a released document, and an object's fallback link is a link.)
    )
)
# Interactive regions: chrome unless they hold much of the page (a `<form>`
# wrapping a whole ASP.NET page).
GUARDED_TAGS = ("form", "dialog")
GUARDED_SELECTOR = ",".join(GUARDED_TAGS)
# Hidden regions: the seeds show hidden cookie confirmations and error messages in
# the page text, so hidden means chrome, except a collapsed panel of real content
# (an accordion, `hidden="until-found"`): see `HIDDEN_CONTENT_*`.
HIDDEN_STYLES = ("display:none", "display: none", "visibility:hidden", "visibility: hidden")
HIDDEN_SELECTOR = ",".join(
    ("[hidden]", '[aria-hidden="true" i]', *(f'[style*="{style}" i]' for style in HIDDEN_STYLES))
)
HIDDEN_CONTENT_MIN_CHARS = 300
HIDDEN_CONTENT_BLOCKS = "p, li, tr, h2, h3, h4, h5, h6"

PLATFORM_CHROME_IDS = (
    "#js-consent-banner",
    "#js-cookie-accept-button",
    "#js-cookie-reject-button",
    "#js-cookie-dismiss-button",
    "#js-cookie-consent-banner",
    "#cookie-close-button",
    "#js-functional-cookie-manager",
)

# Chrome by role or landmark. `header`/`footer` are handled separately: inside an
# article or main they are the article's own header (often holding the h1).
LANDMARK_TAGS = ("nav", "aside")
LANDMARK_ROLES = (
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "search",
    "dialog",
    "alertdialog",
)
LANDMARK_SELECTOR = ",".join(
    (
        *LANDMARK_TAGS,
        *(f'[role="{role}" i]' for role in LANDMARK_ROLES),
        '[aria-modal="true" i]',
        # The platform's consent banner and cookie manager by id (../shared/platform.md):
        # 2026 and the older 2023 markup. Chrome whatever their size or place.
        *PLATFORM_CHROME_IDS,
    )
)
HEADER_FOOTER_TAGS = ("header", "footer")
PAGE_HEADER_FOOTER = ",".join(HEADER_FOOTER_TAGS)

# Chrome recognised by class/id words. Only removed when the element is small
# compared with the page (a `<body class="cookie-pending">` must not take the page).
NAMED_WORDS = (
    "cookie",
    "consent",
    "gdpr",
    "onetrust",
    "cookiebot",
    "crumb",
    "skip-link",
    "skiplink",
    "skip-to",
    "quick-exit",
    "quickexit",
    "exit-site",
    "leave-site",
    "hide-page",
    "safety-exit",
    "beta-banner",
    "phase-banner",
    "site-banner",
    "feedback",
    "page-helpful",
    "helpful",
    "share-",
    "-share",
    "sharing",
    "sharethis",
    "addthis",
    "social-",
    "print-page",
    "back-to-top",
    "backtotop",
)
NAMED_ARIA_LABEL_WORDS = ("breadcrumb", "cookie", "share")
# Cookie-consent tools with neutral names (Civic Cookie Control, Cookie Consent).
NAMED_IDS = ("ccc", "ccc-overlay")
NAMED_CLASSES = ("cc-window", "cc-banner")
NAMED_SELECTOR = ",".join(
    (
        *(f'[{attr}*="{word}" i]' for word in NAMED_WORDS for attr in ("class", "id")),
        *(f'[aria-label*="{word}" i]' for word in NAMED_ARIA_LABEL_WORDS),
        *("#" + name for name in NAMED_IDS),
        *("." + name for name in NAMED_CLASSES),
    )
)
# Words that usually mean navigation but also turn up on content wrappers
# ("accordion-menu", "related-questions"): removed only when mostly links.
NAVISH_WORDS = (
    "sidebar",
    "navbar",
    "nav-",
    "-nav",
    "menu",
    "masthead",
    "site-header",
    "site-footer",
    "page-footer",
    "related",
)
NAVISH_SELECTOR = ",".join(
    f'[{attr}*="{word}" i]' for word in NAVISH_WORDS for attr in ("class", "id")
)
NAVISH_LINK_SHARE = 0.5
# Classes that hide content visually; their text is never part of the response.
HIDDEN_CLASSES = frozenset(
    (
        "hidden",
        "is-hidden",
        "d-none",
        "hide",
        "visually-hidden",
        "sr-only",
        "govuk-visually-hidden",
        "screen-reader-text",
        "u-hidden",
        "js-hidden",
        "element-invisible",
        "visuallyhidden",
        "offscreen",
    )
)
# A named region larger than this share of the page text is not chrome.
NAMED_MAX_SHARE = 0.3

# Known chrome text, compared after `normalise_for_match`. Sentences, not lines:
# layouts split or join them differently.
_CHROME_SENTENCES = (
    "Quickly exit this site by pressing the Escape key",
    "Leave this site",
    "Skip to main content",
    "Skip to content",
    "We use some essential cookies to make our website work.",
    "We'd like to set additional cookies so we can remember your preferences and understand how you use our site.",
    'You can manage your preferences and cookie settings at any time by clicking on "Customise Cookies" below.',
    "For more information on how we use cookies, please see our Cookies notice.",
    "Your cookie preferences have been saved.",
    "You can update your cookie settings at any time on the cookies page.",
    "Sorry, there was a technical problem. Please try again.",
    "Sorry, there was a technical problem.",
    "This site is a beta, which means it's a work in progress and we'll be adding more to it over the next few weeks.",
    "Your feedback helps us make things better, so please let us know what you think.",
    "Accept all cookies",
    "Accept additional cookies",
    "Reject additional cookies",
    "Reject all cookies",
    "Was this page helpful?",
    "Is this page useful?",
    "Report a problem with this page",
    # The same banners on the Welsh (/cy-GB/) pages.
    "Allanfa Gyflym",
    "Rydym yn defnyddio rhai cwcis hanfodol i wneud i'n gwefan weithio.",
    "Hoffem osod cwcis ychwanegol fel y gallwn gofio eich dewisiadau a deall sut rydych yn defnyddio ein gwefan.",
    'Gallwch reoli eich dewisiadau a gosodiadau cwcis unrhyw bryd drwy glicio ar "Addasu cwcis" isod.',
    "I gael rhagor o wybodaeth am sut rydym yn defnyddio cwcis, gweler ein Hysbysiad cwcis.",
    "Mae eich dewisiadau cwcis wedi'u cadw.",
    "Gallwch ddiweddaru eich gosodiadau cwcis unrhyw bryd ar y dudalen cwcis.",
    "Mae'n ddrwg gennym, roedd problem dechnegol. Rhowch gynnig arall arni.",
    "Mae'n ddrwg gennym, roedd problem dechnegol.",
    "Diolch am roi cynnig ar fersiwn 'beta' ein gwefan newydd.",
    "Mae'n waith ar y gweill, byddwn yn ychwanegu gwasanaethau newydd dros yr wythnosau nesaf, "
    "felly cymerwch gip a gadewch i ni wybod beth yw eich barn chi.",
)
# A feedback or share widget's question, and the short answers/targets that follow
# it as lines of their own ("Was this page helpful?" / "Yes" / "No").
_WIDGET_LEADS = frozenset(
    (
        "was this page helpful?",
        "is this page useful?",
        "share this page",
        "share",
        "did you find this page useful?",
        "did you find what you were looking for?",
        "rate this page",
    )
)
_WIDGET_FOLLOWERS = frozenset(
    (
        "yes",
        "no",
        "yes no",
        "yes, this page is useful",
        "no, this page is not useful",
        "facebook",
        "twitter",
        "x",
        "linkedin",
        "email",
        "whatsapp",
        "copy link",
        "print",
        "bluesky",
    )
)
# "Home > FOI > Disclosure log > ..." typed out as text.
_BREADCRUMB_TEXT = re.compile(r"^home\s*(?:>|\u203a|\u00bb|/|\||\u2192)")
_BREADCRUMB_MAX_LEN = 300
# Short phrases that are chrome only when they are the whole line.
_CHROME_WHOLE_LINES = (
    "Please try again.",
    "Customise cookies",
    "Cookie settings",
    "Cookies notice",
    "Quick exit",
    "Exit this site",
    "Save preferences",
    "Share this page",
    "Share",
    "Back to top",
    "Print this page",
    "Did you find this page useful?",
    "Did you find what you were looking for?",
    "Help us improve this page",
    "Is there anything wrong with this page?",
    "Rate this page",
    "Yes No",
    "Hide this page",
    "Close",
    "Menu",
    "Search",
    "Manage cookies",
    "Cookie preferences",
    "Change cookie settings",
    "Set cookie preferences",
    "View cookies",
    "Hide cookie message",
    "Rhowch gynnig arall arni.",
    "Addasu cwcis",
    "Gadael y wefan hon",
    "Gadael y safle hwn",
)
# Looser patterns for chrome lines whose wording may drift on the live site; anchored
# at the start and only applied to short lines.
_CHROME_PATTERNS = re.compile(
    r"^(?:we use (?:some )?(?:essential|necessary|strictly necessary) cookies\b"
    r"|your cookie (?:preferences|settings) (?:have|has) been (?:saved|updated)"
    r"|this (?:site|website|service) is (?:a|in) beta\b"
    r"|you can manage your preferences and cookie settings\b"
    r"|we'?d like to set (?:some )?(?:additional|analytics|optional|non-essential) cookies\b"
    r"|for more information on how we use cookies\b"
    r"|your feedback (?:helps|will help) us (?:make things better|improve)\b"
    r"|sorry, there was a (?:technical )?problem\. please try again\.?$"
    r"|quickly exit this (?:site|page)\b"
    r"|cookies on (?:the )?[\w .'-]{0,60}(?:website|site)$"
    r"|you(?:'ve| have) (?:accepted|rejected) (?:additional|analytics|all|optional) cookies\b"
    # Welsh: the same banners, loosely.
    r"|rydym yn defnyddio (?:rhai )?cwcis\b|mae eich dewisiadau cwcis wedi'u\b"
    r"|gallwch reoli eich dewisiadau\b|diolch am roi cynnig ar fersiwn\b"
    r"|mae'n ddrwg gennym, roedd problem\b|allanfa gyflym\b)"
)
_CHROME_PATTERN_MAX_LEN = 400


def normalise_for_match(text: str) -> str:
    """Lower case, straight quotes, single spaces: for comparing, never for output."""
    return " ".join(fold_quotes(text).lower().split())


_QUOTE_PAIRS = (("\u2018", "'"), ("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"'), ("\u00a0", " "))
_QUOTES = str.maketrans(dict(_QUOTE_PAIRS))


def fold_quotes(text: str) -> str:
    """`text.translate(_QUOTES)`, done as a C scan per character to fold: a dict
    translation looks up every character in Python, ~5 us on a long line."""
    if text.isascii():
        return text
    for curly, straight in _QUOTE_PAIRS:
        if curly in text:
            text = text.replace(curly, straight)
    return text


_SENTENCES = tuple(
    sorted({normalise_for_match(s) for s in _CHROME_SENTENCES}, key=len, reverse=True)
)
_WHOLE_LINES = frozenset(normalise_for_match(s) for s in _CHROME_WHOLE_LINES)
_SENTENCE_MAX_LEN = max(len(s) for s in _SENTENCES)
# Fast rejection: a line can only hold chrome if it starts or ends with a word that
# some chrome sentence starts or ends with (most content lines fail both).
_FIRST_WORDS = frozenset(s.split()[0] for s in _SENTENCES + tuple(_WHOLE_LINES)) | {
    "we",
    "we'd",
    "your",
    "this",
    "you",
    "you've",
    "quickly",
    "cookies",
    "for",
    "sorry",  # _CHROME_PATTERNS
    "rydym",
    "mae",
    "mae'n",
    "gallwch",
    "diolch",
    "allanfa",
} - {"i"}  # "I gael rhagor ... cwcis." is caught by its last word; "I" starts too many lines
_LAST_WORDS = frozenset(s.split()[-1] for s in _SENTENCES)


def strip_chrome_text(line: str) -> str:
    """The line without known chrome sentences at its start or end ("" if all chrome).

    Chrome glued to the front of content (a flattened banner followed by the reference
    line) is cut off; chrome in the middle of a sentence is left alone.
    """
    if not _may_hold_chrome(line):
        return line if line and not line.isspace() else ""
    return _strip_held_chrome(line)


def _strip_held_chrome(line: str) -> str:
    """`strip_chrome_text` of a line `_may_hold_chrome` passed."""
    clean = _is_clean(line)
    if clean and len(line) > _CHROME_PATTERN_MAX_LEN:
        # Too long to be a whole chrome line or a pattern's (its normal form is no
        # shorter): only a sentence at either end can be cut, and those are told by
        # the ends alone, without lowering a paragraph (see `_ends_hold_a_sentence`).
        if not _ends_hold_a_sentence(line):
            return line
    norm = (fold_quotes(line) if clean else fold_quotes(" ".join(line.split()))).lower()
    if norm in _WHOLE_LINES:
        return ""
    if len(norm) <= _CHROME_PATTERN_MAX_LEN and _CHROME_PATTERNS.match(norm):
        return ""
    # Cutting starts at either end: a line that neither starts nor ends with a chrome
    # sentence keeps everything (one C scan, not a search of the line per sentence).
    if not norm.startswith(_SENTENCES) and not norm.endswith(_SENTENCES):
        return line
    return cut_sentences(line, norm)


def cut_sentences(line: str, norm: str) -> str:
    """The line with the chrome sentences its normal form `norm` starts or ends with cut
    off ("" if nothing else is left)."""
    # Only sentences the line holds can be cut from it (most lines hold none).
    held = [sentence for sentence in _SENTENCES if sentence in norm]
    if not held:
        return line
    start, end = 0, len(norm)
    changed = True
    while changed and start < end:
        changed = False
        for sentence in held:
            if norm.startswith(sentence, start) and _boundary(norm, start + len(sentence)):
                start = _skip_space(norm, start + len(sentence))
                changed = True
            if norm.endswith(sentence, start, end) and _boundary_before(norm, end - len(sentence)):
                end = end - len(sentence)
                while end > start and norm[end - 1] == " ":
                    end -= 1
                changed = True
    if start == 0 and end == len(norm):
        return line
    if start >= end or norm[start:end] in _WHOLE_LINES:
        return ""
    # Map back to the original line: normalisation only collapses spaces and swaps
    # quote characters one for one, so count words to find the cut points.
    return _slice_words(line, norm, start, end)


def _is_clean(line: str) -> bool:
    """Whether `" ".join(line.split()) == line` (as `clean_line` leaves lines), by C scans:
    every whitespace character but " " is unprintable (see `html_text.clean_line`)."""
    return line.isprintable() and "  " not in line and line[:1] != " " and line[-1:] != " "


def _ends_hold_a_sentence(line: str) -> bool:
    """For a clean line (`_is_clean`) whose normal form `norm` is longer than every
    sentence: `norm.startswith(_SENTENCES) or norm.endswith(_SENTENCES)`.

    `norm` is `fold_quotes(line).lower()`: quotes fold one for one, and lower case is
    taken character by character (a character may become two, never none), except a
    capital sigma, whose lower case depends on its neighbours but is never ASCII, as
    every sentence is. So the normal forms of the line's first and last
    `_SENTENCE_MAX_LEN` characters start and end as `norm` does, as far as a sentence
    can tell (tests/parsers/test_dom_speed_equivalence.py checks this)."""
    head = fold_quotes(line[:_SENTENCE_MAX_LEN]).lower()
    if head.startswith(_SENTENCES):
        return True
    return fold_quotes(line[-_SENTENCE_MAX_LEN:]).lower().endswith(_SENTENCES)


def _may_hold_chrome(line: str) -> bool:
    """Whether the line starts or ends with a word some chrome text starts or ends with.

    Only the first and last words are cut out (most lines are content and end here):
    splitting a long line into all its words cost more than the rest of the work.
    """
    first = line.split(None, 1)
    if not first:
        return False
    word = first[0].lower()
    if (word if word.isascii() else word.translate(_QUOTES)) in _FIRST_WORDS:
        return True
    word = line.rsplit(None, 1)[-1].lower()
    return (word if word.isascii() else word.translate(_QUOTES)) in _LAST_WORDS


def _fold(word: str) -> str:
    word = word.lower()
    return word if word.isascii() else word.translate(_QUOTES)


def _boundary(norm: str, pos: int) -> bool:
    return pos >= len(norm) or norm[pos] == " "


def _boundary_before(norm: str, pos: int) -> bool:
    return pos <= 0 or norm[pos - 1] == " "


def _skip_space(norm: str, pos: int) -> int:
    while pos < len(norm) and norm[pos] == " ":
        pos += 1
    return pos


def _slice_words(line: str, norm: str, start: int, end: int) -> str:
    words = line.split()
    first = norm[:start].count(" ") if start else 0
    last = norm[:end].count(" ") + 1
    return " ".join(words[first:last])


# One-off site-wide notices (an address-finder outage) print after the beta banner: no
# fixed list can know them, so they are told by position (right after a banner line, or
# first in the text when the banners went with the markup) and by reading as a notice
# about the website, not as a response.
_NOTICE_WORDS = re.compile(
    r"\b(?:unavailable|outage|(?:planned|scheduled|essential|routine|system) maintenance|address finder"
    r"|temporarily|downtime|not working|experiencing (?:technical )?(?:issues|problems|difficulties)"
    r"|inconvenience"
    r"|ddim ar gael|cynnal a chadw|dros dro|anghyfleustra|ymddiheuro)\b",
    re.IGNORECASE,
)
_RESPONSE_WORDS = re.compile(
    r"freedom of information|\bfoia?\b|\brequest|\breference\b|\bsection \d|exempt|disclos|question"
    r"|rhyddid gwybodaeth|\bcais\b",
    re.IGNORECASE,
)
_NOTICE_MAX_LEN = 400


_NOTICE_NEEDLES = Prefiltered(
    _NOTICE_WORDS,
    (
        "unavailable",
        "outage",
        "maintenance",
        "address finder",
        "temporarily",
        "downtime",
        "not working",
        "experiencing",
        "inconvenience",
        "ddim ar gael",
        "cynnal a chadw",
        "dros dro",
        "anghyfleustra",
        "ymddiheuro",
    ),
)


def _is_site_notice(line: str) -> bool:
    return (
        len(line) <= _NOTICE_MAX_LEN
        and _NOTICE_NEEDLES.search(line) is not None
        and _RESPONSE_WORDS.search(line) is None
    )


def drop_chrome_lines(lines: list[str]) -> list[str]:
    """`strip_chrome_text` over lines, plus widget follow-up lines, typed breadcrumbs and
    site notices that follow the banners."""
    out: list[str] = []
    in_widget = False
    after_banner = True  # the top of the text: banners removed by markup came before it
    for line in lines:
        if in_widget and len(line) < 40 and normalise_for_match(line) in _WIDGET_FOLLOWERS:
            continue
        in_widget = False
        if after_banner and _is_site_notice(line):
            continue
        if (
            line[:1] in "hH"  # (no other character lowers to "h")
            and line[:4].lower() == "home"
            and len(line) <= _BREADCRUMB_MAX_LEN
            and _BREADCRUMB_TEXT.match(normalise_for_match(line))
        ):
            continue
        if line and not _may_hold_chrome(line):
            out.append(line)  # most lines: kept as they are
            after_banner = False
            continue
        kept = _strip_held_chrome(line) if line else line
        if kept:
            out.append(kept)
            # A banner glued to the front of the line ends the banners too.
            after_banner = kept != line and _is_site_notice(kept)
            if after_banner:
                out.pop()
        else:
            in_widget = normalise_for_match(line) in _WIDGET_LEADS
            after_banner = True
    return out
