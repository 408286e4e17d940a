-- Each server's rollups by five minutes, merged over its tools and versions, as call_rollups_1m_by_server holds its
-- minutes: a chart of one server over 30 days by 5 minutes read 43,200 server minutes and merged 8,640 buckets'
-- sketches with sumMap, 1.4-1.9 s on ClickHouse 18.16, most of it sumMap itself. From this table every row is one
-- bucket, and its percentiles are read from its own bins without a GROUP BY (~30 ms). The rollup roller fills it from
-- the server minutes it has just rolled, the day's partition swapped in whole.
CREATE TABLE IF NOT EXISTS ${database}.call_rollups_5m_by_server AS ${database}.call_rollups_1m_by_server;

-- Days rolled before this table existed are filled by the roller's next pass, a day at a time (one statement over
-- months of server minutes would hold every bucket's sumMap state at once: gigabytes). Until that pass has ended and
-- written its row 'call_rollups_5m_by_server' into rollup_rolls, queries read the server minutes as before.
