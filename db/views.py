"""Views for researchers that are redefined after the base schema (migration 13).

`responses_with_exemptions` gained `force` and `language` once the archive held more
than one force: a query across forces otherwise needs a join back to `responses`.
Columns are appended after the original ones, so scripts reading them by position keep
working.
"""

from __future__ import annotations

MIGRATION = """
DROP VIEW IF EXISTS responses_with_exemptions;
CREATE VIEW responses_with_exemptions AS
SELECT
    r.id, r.reference, r.title, r.month, r.published, r.outcome, r.ncnd,
    r.question_count, r.attachment_count,
    (SELECT json_group_array(label) FROM (
        SELECT DISTINCT 's' || re.section || coalesce(' ' || e.name, '') AS label
        FROM response_exemptions re LEFT JOIN exemptions e ON e.section = re.section
        WHERE re.response_id = r.id ORDER BY re.section)) AS exemptions,
    (SELECT json_group_array(section) FROM (
        SELECT DISTINCT section FROM response_exemptions
        WHERE response_id = r.id ORDER BY section)) AS exemption_sections,
    r.url, r.first_seen, r.last_changed, r.removed_at,
    r.force, r.language
FROM responses r;
"""
