-- Esattore schema, step 3: load list intake (esa-store-load-lists.c).

-- What an import records about the file and its outcome. revenue_type and
-- year (step 1, NOT NULL) hold the list's only revenue type and its latest
-- year; a list mixing revenue types holds them joined by ", ".
ALTER TABLE load_lists ADD COLUMN file_name TEXT;
ALTER TABLE load_lists ADD COLUMN file_sha256 TEXT;
ALTER TABLE load_lists ADD COLUMN procedure_id TEXT;
ALTER TABLE load_lists ADD COLUMN currency TEXT;
ALTER TABLE load_lists ADD COLUMN row_count INTEGER NOT NULL DEFAULT 0;       -- data rows of the file
ALTER TABLE load_lists ADD COLUMN rejected_count INTEGER NOT NULL DEFAULT 0;  -- rows left out
ALTER TABLE load_lists ADD COLUMN position_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE load_lists ADD COLUMN new_debtor_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE load_lists ADD COLUMN total INTEGER NOT NULL DEFAULT 0;           -- minor units
ALTER TABLE load_lists ADD COLUMN imported_at TEXT;                           -- ISO 8601 UTC
ALTER TABLE load_lists ADD COLUMN note TEXT;                                  -- why it was rejected
CREATE INDEX load_lists_file ON load_lists (file_sha256) WHERE file_sha256 IS NOT NULL;

-- The line of the file a position came from, for the detail list.
ALTER TABLE positions ADD COLUMN load_list_line INTEGER;

-- The rows an import left out (exclude_rejected), one row per reason, so that
-- the responsible officer sees them beside the summary.
CREATE TABLE load_list_rejections (
  id           TEXT PRIMARY KEY,
  load_list_id TEXT NOT NULL REFERENCES load_lists (id),
  line         INTEGER NOT NULL,
  reason       TEXT NOT NULL,     -- esa_load_list_reason_to_string()
  field        TEXT,
  message      TEXT NOT NULL,     -- in the importing officer's language
  version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX load_list_rejections_list ON load_list_rejections (load_list_id, line);

-- The column mapping of a creditor body's files (help/C/load-lists.page).
CREATE TABLE load_list_mappings (
  id         TEXT PRIMARY KEY,
  body_id    TEXT NOT NULL UNIQUE REFERENCES bodies (id),
  mapping    TEXT NOT NULL CHECK (json_valid(mapping)),
  updated_at TEXT NOT NULL,
  updated_by TEXT REFERENCES users (id),
  version    INTEGER NOT NULL DEFAULT 1
);
