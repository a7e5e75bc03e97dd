-- Expired counters are purged on a timer (`rate_limit::keep_purging`): by window, not bucket.
CREATE INDEX rate_limit_hits_by_window ON rate_limit_hits(window_start);
