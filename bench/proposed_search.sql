-- Proposed replacement for the `search` canned query in metadata.yml (owner: Datasette side).
-- Measured by the benchmarks' author on the 100,000-response synthetic archive, through a
-- real Datasette (with TCP_NODELAY on its socket), same 200 queries: p95 312 -> 43 ms.
-- Changes: count matches first; rank with bm25 only up to 5,000 matching responses,
-- newest first beyond (FTS5 stops early on rowid order); each branch capped before
-- grouping; 50 results with snippets. The extra column responses_matching tells the page
-- how many responses matched in all.
with n as (
  -- How many responses match: counting is cheap, ranking every match is not.
  select count(*) as matches from responses_fts where responses_fts match fts_query(:q)
),
q_rank as (select case when matches <= 5000 then fts_query(:q) else '""' end as q from n),
q_recent as (select case when matches > 5000 then fts_query(:q) else '""' end as q from n),
hits as (
  select id as response_id, -1e18 as score, 'reference' as matched_in, 0 as source, rowid as hit
  from responses where reference = trim(:q)
  union all
  select * from (select 0, rank, 'response', 1, rowid from responses_fts
                 where responses_fts match (select q from q_rank) order by rank limit 200)
  union all
  select * from (select 0, -rowid, 'response', 1, rowid from responses_fts
                 where responses_fts match (select q from q_recent) order by rowid desc limit 200)
  union all
  select * from (select 0, rank, 'question', 2, rowid from questions_fts
                 where questions_fts match (select q from q_rank) order by rank limit 200)
  union all
  select * from (select 0, rank, 'attachment', 3, rowid from attachments_fts
                 where attachments_fts match fts_query(:q) order by rank limit 200)
),
named as (
  select coalesce(r.id, q.response_id, a.response_id, h.response_id) as response_id, h.score,
    case h.source when 2 then 'question ' || coalesce(q.number, q.position)
                  when 3 then 'attachment: ' || coalesce(a.title, a.url) else h.matched_in end as matched_in,
    h.source, h.hit
  from hits h
  left join responses r on h.source = 1 and r.rowid = h.hit
  left join questions q on h.source = 2 and q.rowid = h.hit
  left join attachments a on h.source = 3 and a.rowid = h.hit
),
best as (
  select response_id, min(score) as score, matched_in, source, hit, count(*) as hits
  from named group by response_id order by score limit 50
)
select r.title, r.reference, r.month, r.outcome,
  case best.source
    when 0 then '<mark>' || r.reference || '</mark>'
    when 1 then (select snippet(responses_fts, -1, '<mark>', '</mark>', '…', 24)
                 from responses_fts where responses_fts match fts_query(:q) and rowid = best.hit)
    when 2 then (select snippet(questions_fts, -1, '<mark>', '</mark>', '…', 24)
                 from questions_fts where questions_fts match fts_query(:q) and rowid = best.hit)
    else (select snippet(attachments_fts, -1, '<mark>', '</mark>', '…', 24)
          from attachments_fts where attachments_fts match fts_query(:q) and rowid = best.hit)
  end as snippet,
  best.matched_in, best.hits as places_matched, r.removed_at, r.id,
  (select matches from n) as responses_matching
from best join responses r on r.id = best.response_id
order by best.score
