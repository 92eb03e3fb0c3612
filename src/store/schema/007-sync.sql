-- Esattore schema, step 7: offline sync with the central server (DESIGN.md
-- "Sync", esa-store-sync.c). Additive: nothing of the earlier steps changes.

-- The rows each operation changed, as {"t","k","before","after"} images
-- (JSON array), claimed from sync_capture when the operation is appended.
ALTER TABLE outbox ADD COLUMN rows TEXT CHECK (rows IS NULL OR json_valid(rows));
-- What the server answered: 'applied', 'duplicate' or 'conflict'.
ALTER TABLE outbox ADD COLUMN result TEXT;

-- Whether the capture triggers record changes: on for the officer's writes,
-- off while pulled rows are applied (they are the server's, not ours) and
-- while the demo generator writes its initial state. A table rather than a
-- connection setting, so that the triggers work on every connection; it is
-- switched inside the writer's transaction, so a crash cannot leave it off.
CREATE TABLE sync_switch (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  capture INTEGER NOT NULL CHECK (capture IN (0, 1))
);
INSERT INTO sync_switch (id, capture) VALUES (1, 1);

-- Row images recorded by the triggers of the synced tables (the triggers are
-- made from the tables' columns by esa-store-sync.c, so that a later step
-- adding a column is captured without editing them). The next outbox append
-- takes them away.
CREATE TABLE sync_capture (
  seq    INTEGER PRIMARY KEY,
  t      TEXT NOT NULL,
  k      TEXT NOT NULL,
  before TEXT,
  after  TEXT
);

-- The device's link to its server: server URL, user, office, pull cursor,
-- last sync, token and its expiry, the offline login verifier. One value per
-- key.
CREATE TABLE sync_state (
  key   TEXT PRIMARY KEY,
  value TEXT
) WITHOUT ROWID;

-- A command the server refused (its guard no longer held) or an edit the
-- server resolved otherwise. Made by the server, synced to everyone in scope;
-- resolving one is an operation of its own.
CREATE TABLE conflicts (
  id          TEXT PRIMARY KEY,
  op_id       TEXT NOT NULL,
  entity      TEXT NOT NULL,
  entity_id   TEXT NOT NULL,
  debtor_id   TEXT,
  office_id   TEXT,
  kind        TEXT NOT NULL,
  message     TEXT NOT NULL,
  local       TEXT CHECK (local IS NULL OR json_valid(local)),
  server      TEXT CHECK (server IS NULL OR json_valid(server)),
  state       TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'resolved')),
  resolved_by TEXT,
  resolved_at TEXT,
  resolution  TEXT,
  version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX conflicts_open ON conflicts (state) WHERE state = 'open';
CREATE INDEX conflicts_debtor ON conflicts (debtor_id);

-- A field officer's scope: the dossiers taken offline.
CREATE TABLE assignments (
  id        TEXT PRIMARY KEY,
  debtor_id TEXT NOT NULL,
  user_id   TEXT NOT NULL,
  since     TEXT NOT NULL,
  version   INTEGER NOT NULL DEFAULT 1,
  UNIQUE (debtor_id, user_id)
);
CREATE INDEX assignments_user ON assignments (user_id);
