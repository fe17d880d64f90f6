"""One response in the markup of several CMS families, none of them our mirror's.

GOV.UK design system, WordPress, Drupal 7, an old table layout, a flat `<br>` page
and a Word-pasted body: the parser must find the same fields and the same text in
each, with no site chrome.
"""

from __future__ import annotations

import pytest

from parsers import parse_response
from tests.parsers.pages import (
    BETA,
    CHROME_MARKERS,
    COOKIE_1,
    COOKIE_2,
    ERROR,
    LEAVE,
    QUICK_EXIT,
    SAVED,
)

URL = "https://www.met.police.uk/foi-ai/metropolitan-police/disclosure-2024/may-2024/police-dogs-2024/"
TITLE = "Police dogs \u2013 numbers and costs 2024"
REF = "01.FOI.24.036999"
XLSX = "/SysSiteAssets/foi-media/metropolitan-police/disclosure_2024/may_2024/police-dogs-2024.xlsx"
EXPECTED_LINES = [
    f"Freedom of information request reference no: {REF}",
    "I note you seek access to the following information:",
    "1. How many police dogs does the MPS have?",
    "2. What did the dog unit cost in 2023/24?",
    "I have today decided to disclose the located information to you in full.",
    "Q1 - How many police dogs does the MPS have?",
    "As at 1 May 2024 the MPS had 248 operational police dogs.",
    "Q2 - What did the dog unit cost in 2023/24?",
    "Year | Cost (\u00a3)",
    "2023/24 | 4,512,000",
    "Please see the attached spreadsheet: Police dogs 2024 (XLSX).",
]


def _body(p: str = "p") -> str:
    """The response as a CMS rich-text field stores it."""
    return (
        f"<{p}><strong>Freedom of information request reference no:</strong>&nbsp;{REF}</{p}>"
        f"<{p}>I note you seek access to the following information:</{p}>"
        "<ol><li>How many police dogs does the MPS have?</li><li>What did the dog unit cost in 2023/24?</li></ol>"
        f"<{p}>&nbsp;</{p}><{p}>I have today decided to disclose the located information to you in full.</{p}>"
        f"<{p}><b>Q1 - How many police dogs does the MPS have?</b></{p}>"
        f"<{p}>As at 1 May 2024 the MPS had 248 operational police dogs.</{p}>"
        f"<{p}><b>Q2 - What did the dog unit cost in 2023/24?</b></{p}>"
        "<table class='table'><thead><tr><th>Year</th><th>Cost (\u00a3)</th></tr></thead>"
        "<tbody><tr><td>2023/24</td><td>4,512,000</td></tr></tbody></table>"
        f"<{p}>Please see the attached spreadsheet: <a href='{XLSX}'>Police dogs 2024 (XLSX)</a>.</{p}>"
    )


def govuk() -> str:
    return f"""<!DOCTYPE html><html lang="en" class="govuk-template"><head><title>{TITLE} - GOV.UK</title>
<meta name="dcterms.issued" content="2024-05-21"></head><body class="govuk-template__body">
<a href="#main-content" class="govuk-skip-link">Skip to main content</a>
<div class="govuk-cookie-banner" role="region" aria-label="Cookies on this site"><p>{COOKIE_1}</p><p>{COOKIE_2}</p>
<button class="govuk-button">Accept additional cookies</button></div>
<div class="govuk-cookie-banner__message" role="alert" hidden><p>{SAVED}</p></div>
<header class="govuk-header" role="banner"><a href="/">Main menu item</a></header>
<div class="govuk-width-container"><div class="govuk-phase-banner"><p>{BETA}</p></div>
<nav class="govuk-breadcrumbs" aria-label="Breadcrumb"><ol><li><a href="/">Home</a></li><li>FOI</li></ol></nav>
<main class="govuk-main-wrapper" id="main-content" role="main"><div class="govuk-grid-row">
<div class="govuk-grid-column-two-thirds"><h1 class="govuk-heading-xl">{TITLE}</h1>
<div class="govuk-body">{_body()}</div>
<div class="govuk-!-margin-top-8 app-feedback"><h2>Is this page useful?</h2><a href="/yes">Yes</a> <a href="/no">No</a></div>
</div></div></main></div>
<footer class="govuk-footer" role="contentinfo"><p>Site footer text</p><a href="/privacy.pdf">Privacy</a></footer></body></html>"""


def wordpress() -> str:
    return f"""<html><head><title>{TITLE} &#8211; Metropolitan Police</title></head><body class="post-template-default">
<div id="cookie-law-info-bar"><span>{COOKIE_1}</span><a role="button">Accept all cookies</a></div>
<div id="page" class="site"><header id="masthead" class="site-header"><div class="site-branding">Met</div>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu"><li><a href="/">Main menu item</a></li></ul></nav></header>
<div id="content" class="site-content"><div id="primary" class="content-area"><main id="main" class="site-main">
<article id="post-1" class="post-1 post type-post"><header class="entry-header"><h1 class="entry-title">{TITLE}</h1>
<div class="entry-meta"><span class="posted-on">Posted on <time class="entry-date published" datetime="2024-05-21T09:00:00+01:00">21 May 2024</time></span></div></header>
<div class="entry-content">{_body()}</div>
<footer class="entry-footer"><div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this:</h3>
<ul><li><a href="https://twitter.com/share">Share this page</a></li></ul></div></footer></article></main></div>
<aside id="secondary" class="widget-area"><section class="widget"><h2>Main menu item</h2></section></aside></div>
<footer id="colophon" class="site-footer"><div class="site-info">Site footer text</div></footer></div></body></html>"""


def drupal() -> str:
    return f"""<html><head><title>{TITLE} | Metropolitan Police</title></head><body class="html not-front">
<div id="skip-link"><a href="#main-content" class="element-invisible element-focusable">Skip to main content</a></div>
<div id="page-wrapper"><div id="header"><div class="region region-header"><p>{QUICK_EXIT} <a href="https://www.bbc.co.uk">{LEAVE}</a></p></div></div>
<div id="navigation"><ul class="menu"><li><a href="/">Main menu item</a></li></ul></div>
<div class="breadcrumb"><a href="/">Home</a> &raquo; FOI</div>
<div id="main-wrapper"><div id="main" class="clearfix"><a id="main-content"></a>
<h1 class="title" id="page-title">{TITLE}</h1><div class="region region-content"><div id="block-system-main" class="block">
<div class="node node-foi"><div class="submitted">Published: 21 May 2024</div>
<div class="field field-name-body">{_body()}</div></div></div></div></div></div>
<div id="footer"><div class="region region-footer">Site footer text</div></div></div>
<div id="sliding-popup"><div class="popup-content info"><p>{COOKIE_1}</p><p>{COOKIE_2}</p></div></div></body></html>"""


def table_layout() -> str:
    menu = "".join(f'<a href="/m{i}">Main menu item</a><br>' for i in range(8))
    return f"""<html><head><title>{TITLE}</title></head><body><table width="100%" border="0">
<tr><td colspan="2"><p>{QUICK_EXIT} {LEAVE}</p><p>{BETA}</p></td></tr>
<tr><td width="20%" valign="top" class="left">{menu}</td><td valign="top"><h1>{TITLE}</h1>{_body()}</td></tr>
<tr><td colspan="2"><font size="1"><a href="/a">Accessibility</a> | <a href="/p">Privacy</a> |
<a href="/c">Cookies</a> | <a href="/s">Site footer text</a></font></td></tr></table></body></html>"""


def flat_br() -> str:
    body = _body("span").replace("</span>", "</span><br>")
    return f"""<html><body><div id="contentArea"><font face="Arial"><b>{TITLE}</b><br><br>
{QUICK_EXIT} {LEAVE}<br>{ERROR}<br>{body}</font></div></body></html>"""


def word_pasted() -> str:
    body = (
        _body()
        .replace("<p>", '<p class=MsoNormal style="margin-bottom:0cm">')
        .replace("</p>", "<o:p></o:p></p>")
    )
    return f"""<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta http-equiv="Content-Type"
content="text/html; charset=windows-1252"><title>{TITLE} | Metropolitan Police</title></head><body lang=EN-GB>
<div role="main"><h1>{TITLE}</h1><div class=WordSection1><!--[if !supportLists]--><span style='mso-list:Ignore'></span>
<!--[endif]-->{body}</div></div></body></html>"""


LAYOUTS = {
    "govuk": govuk,
    "wordpress": wordpress,
    "drupal": drupal,
    "table": table_layout,
    "flat_br": flat_br,
    "word": word_pasted,
}
PUBLISHED = {"govuk": "2024-05-21", "wordpress": "2024-05-21", "drupal": "2024-05-21"}


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_same_fields_in_every_layout(name: str) -> None:
    html = LAYOUTS[name]()
    data = html.encode("cp1252") if name == "word" else html
    record = parse_response(data, URL)
    assert record.reference == REF
    assert record.month == "2024-05"
    assert record.published == PUBLISHED.get(name)
    if name != "flat_br":
        assert record.title == TITLE
    lines = record.body_text.split("\n")
    if name == "flat_br":  # no h1: the bold title is the first line of the text
        assert lines[0] == TITLE
        lines = lines[1:]
    assert lines == EXPECTED_LINES
    assert [(a.title, a.type) for a in record.attachments] == [("Police dogs 2024 (XLSX)", "xlsx")]
    assert record.attachments[0].url == "https://www.met.police.uk" + XLSX
    for marker in CHROME_MARKERS + ("Is this page useful", "Main menu item", "Share this"):
        for value in [record.body_text, record.title or ""] + [link.text for link in record.links]:
            assert marker.lower() not in value.lower(), (marker, value[:120])
    assert [q.number for q in record.questions] == ["1", "2"]
    assert record.questions[0].answer.startswith("As at 1 May 2024")
    assert record.outcome == "full"
