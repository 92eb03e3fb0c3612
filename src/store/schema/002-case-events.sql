-- Esattore schema, step 2: the steps of a case's procedure (DESIGN.md
-- "Procedures are data"). Every action run on a case is an event; the case
-- row keeps the state it leads to, and the event keeps what it takes to
-- explain and to undo it.

-- One row per action run on a case, in the order they were run (seq, from 1
-- per case). fields holds what the action's wizard asked, by the field ids
-- of the procedure file: dates "YYYY-MM-DD", amounts in minor units, counts,
-- texts, choice ids, booleans, items as arrays of objects.
-- An undo is an event of its own (action 'undo', fields {"event_id": …});
-- the event it reverts points to it through undone_by and stays, so that the
-- case's history keeps both. The before_* columns hold what the case showed
-- before the event, which an undo puts back.
CREATE TABLE case_events (
  id                   TEXT PRIMARY KEY,
  case_id              TEXT NOT NULL REFERENCES cases (id),
  seq                  INTEGER NOT NULL,
  action               TEXT NOT NULL,
  occurred_on          TEXT NOT NULL,
  recorded_at          TEXT NOT NULL,
  user_id              TEXT REFERENCES users (id),
  from_state           TEXT NOT NULL,
  to_state             TEXT NOT NULL,
  fields               TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(fields)),
  undone_by            TEXT REFERENCES case_events (id),
  before_closed_on     TEXT,
  before_deadline      TEXT,
  before_deadline_label TEXT,
  version              INTEGER NOT NULL DEFAULT 1
);
-- A case's steps in order; seq is unique per case.
CREATE UNIQUE INDEX case_events_case ON case_events (case_id, seq);

-- The acts an event produced: an undo removes them with it.
CREATE TABLE case_event_acts (
  event_id TEXT NOT NULL REFERENCES case_events (id),
  act_id   TEXT NOT NULL REFERENCES acts (id),
  PRIMARY KEY (event_id, act_id)
) WITHOUT ROWID;
CREATE INDEX case_event_acts_act ON case_event_acts (act_id);

-- The last number given in each series of act numbers ("ING-2026" for
-- "ING-2026-000124"): one series per act type's prefix and year. Acts
-- numbered before this table existed are counted too: the next number is
-- one more than the larger of this and the highest act number of the
-- series.
CREATE TABLE act_counters (
  series TEXT PRIMARY KEY,
  last   INTEGER NOT NULL CHECK (last >= 0)
) WITHOUT ROWID;
