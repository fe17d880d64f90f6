"""robots.txt rule precedence as RFC 9309 states it (the mirror's own robots.txt
lists `Allow: /foi-ai/` before its private-area Disallow)."""

import pytest

from scraper.politeness import RobotsPolicy

ROBOTS = """User-agent: *
Allow: /foi-ai/
Disallow: /foi-ai/metropolitan-police/private/
Disallow: /search/

User-agent: foilog
Disallow: /foi-ai/af/
Allow: /foi-ai/af/accessing-information/
"""


@pytest.mark.parametrize(
    "agent,path,allowed",
    [
        ("other", "/foi-ai/metropolitan-police/private/secret/", False),  # longer Disallow wins
        ("other", "/foi-ai/metropolitan-police/d/may-2022/x/", True),
        ("other", "/search/?q=taser", False),
        ("other", "/news/", True),  # no rule matches
        ("foilog/0.1", "/foi-ai/af/accessing-information/published-items/", True),  # longer Allow
        ("foilog/0.1", "/foi-ai/af/other/", False),
        ("foilog/0.1", "/search/", True),  # its own group replaces the * group
    ],
)
def test_longest_matching_rule_wins(agent, path, allowed):
    policy = RobotsPolicy(agent, 200, ROBOTS)
    assert policy.allows("https://www.met.police.uk" + path) is allowed


def test_a_tie_goes_to_allow():
    policy = RobotsPolicy("a", 200, "User-agent: *\nDisallow: /x/\nAllow: /x/\n")
    assert policy.allows("https://h/x/page")


WILDCARDS = """User-agent: *
Allow: /foi-ai/
Disallow: /*/private-*
Disallow: /*.pdf$
"""


@pytest.mark.parametrize(
    "path,allowed",
    [
        ("/foi-ai/mps/private-notes/", False),  # `*` spans any path segments
        ("/a/b/c/private-x", False),
        ("/foi-ai/mps/public-notes/", True),
        ("/private-top/", True),  # the pattern needs a segment before it
        ("/files/report.pdf", False),  # `$` anchors the end
        ("/foi-ai/mps/report.pdf", True),  # the longer `Allow: /foi-ai/` wins
        ("/files/report.pdf?download=1", True),  # the query is part of the path
        ("/files/report.pdfx", True),
        ("/files/report.PDF", True),  # paths are case-sensitive
    ],
)
def test_wildcard_and_end_anchor_rules(path, allowed):
    policy = RobotsPolicy("foilog/0.1", 200, WILDCARDS)
    assert policy.allows("https://www.met.police.uk" + path) is allowed


def test_unavailable_allows_all_and_unreachable_allows_nothing():
    assert RobotsPolicy("foilog", 404).allows("https://h/foi-ai/x/")
    assert not RobotsPolicy("foilog", 503).allows("https://h/foi-ai/x/")
    assert not RobotsPolicy("foilog", 0).allows("https://h/foi-ai/x/")


def test_crawl_delay_of_our_group():
    text = "User-agent: *\nCrawl-delay: 5\n\nUser-agent: foilog\nCrawl-delay: 2\n"
    assert RobotsPolicy("foilog/0.1", 200, text).crawl_delay() == 2.0
    assert RobotsPolicy("other", 200, text).crawl_delay() == 5.0
    assert RobotsPolicy("foilog", 404).crawl_delay() is None
