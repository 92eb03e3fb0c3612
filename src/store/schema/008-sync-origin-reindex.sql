-- Esattore schema, step 8: two additions to offline sync (DESIGN.md "Sync",
-- esa-store-sync.c). Additive: nothing of the earlier steps changes.

-- When a sync conflict arose and whose operation caused it, so that the
-- Conflicts view can say "when" and "who". The server fills both when it
-- records a conflict; conflicts recorded before this step have neither.
ALTER TABLE conflicts ADD COLUMN created_at TEXT;
ALTER TABLE conflicts ADD COLUMN user_id TEXT;

-- The debtors whose search documents a pull still has to rebuild: the pages
-- of one pull note them, in the transaction of each page, and the end of the
-- pull rebuilds each document once. A pull cut short leaves them here for
-- the next one.
CREATE TABLE sync_reindex (
  debtor_id TEXT PRIMARY KEY
) WITHOUT ROWID;
