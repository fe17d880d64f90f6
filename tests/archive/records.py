"""Hand-built records for archive tests that must not depend on the parser."""

from __future__ import annotations

from parsers.record import Attachment, Exemption, Link, Question, Response

BASE = "https://www.met.police.uk/foi-ai/metropolitan-police"


def make_response(slug: str = "live-video", **changes) -> Response:
    fields = dict(
        url=f"{BASE}/disclosure-2024/august-2024/{slug}/",
        reference="01.FOI.24.036818",
        title="Live video streaming via cellular technology",
        month="2024-08",
        published="2024-08-12",
        request_text="Please tell me about facial recognition vans.",
        questions=(
            Question("1", "Do you use facial recognition?", "Yes, live facial recognition."),
            Question("2", "How many vans?", "Two."),
        ),
        exemptions=(Exemption(31, "(1)(a)", "Section 31(1)(a)", "Law enforcement"),),
        outcome="partial",
        ncnd=False,
        body_text="The MPS uses facial recognition in two vans.",
        links=(Link("Policy", "https://www.met.police.uk/policy"),),
        attachments=(Attachment("Data", f"{BASE}/data.xlsx", "xlsx"),),
    )
    fields.update(changes)
    return Response(**fields)
