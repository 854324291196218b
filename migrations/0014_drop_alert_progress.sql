-- Publishing moved to the offer sweep (0010), which keeps its own progress: the columns 0009
-- added for the old way of alerting a case's subscribers are read and written by nothing.
ALTER TABLE cases DROP COLUMN alerts_after;
ALTER TABLE cases DROP COLUMN alerts_done_at;
