-- Esattore schema, step 6: work queues, the contact center and its tickets
-- (esa-store-queues.c, esa-store-tickets.c). Queue items are not stored: they
-- are the open deadlines of cases, the service levels computed from the
-- parameter tables, and the open tickets. What is stored is who was given an
-- item that has no owner column of its own, and the bulk actions, so that they
-- can be undone.

-- Open cases by officer and deadline: "My work" and the team queues.
CREATE INDEX cases_officer_deadline ON cases (officer_id, next_deadline) WHERE closed_on IS NULL;

-- The assignee of a service-level item (id "sl:<rule>:<entity id>") given by
-- a reassignment; without a row the item follows its case's officer.
CREATE TABLE queue_assignments (
  item_id     TEXT PRIMARY KEY,
  user_id     TEXT REFERENCES users (id),
  assigned_at TEXT NOT NULL,
  assigned_by TEXT REFERENCES users (id),
  version     INTEGER NOT NULL DEFAULT 1
) WITHOUT ROWID;

-- A bulk action on queue items: a reassignment or a procedure step run for
-- many cases. Undone at most once.
CREATE TABLE queue_batches (
  id          TEXT PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('reassign', 'step')),
  created_at  TEXT NOT NULL,
  user_id     TEXT REFERENCES users (id),
  new_user_id TEXT REFERENCES users (id),   -- reassign: who was given the items
  action_id   TEXT,                         -- step: the procedure action
  item_count  INTEGER NOT NULL CHECK (item_count >= 0),
  undone_at   TEXT,
  undone_by   TEXT REFERENCES users (id)
);

-- One changed item of a batch: old_value is the assignee before (NULL for
-- none), event_id the case event a step made.
CREATE TABLE queue_batch_items (
  batch_id  TEXT NOT NULL REFERENCES queue_batches (id),
  seq       INTEGER NOT NULL,
  item_id   TEXT NOT NULL,
  old_value TEXT,
  new_value TEXT,
  event_id  TEXT,
  PRIMARY KEY (batch_id, seq)
) WITHOUT ROWID;

-- Contacts gain what the monthly statistics need: the creditor body, the
-- outcome (answered at first contact, handed on as a ticket, for the record,
-- lost), the caller's wait and the ticket the contact is about.
ALTER TABLE contact_log ADD COLUMN body_id TEXT REFERENCES bodies (id);
ALTER TABLE contact_log ADD COLUMN outcome TEXT NOT NULL DEFAULT 'info'
  CHECK (outcome IN ('resolved', 'ticket', 'info', 'lost'));
ALTER TABLE contact_log ADD COLUMN wait_s INTEGER;
ALTER TABLE contact_log ADD COLUMN ticket_id TEXT;
CREATE INDEX contact_log_month ON contact_log (occurred_at, body_id);

-- Tickets: reference "T-<year>-<6 digits>" from ticket_counters. The SLA
-- figures are frozen when the ticket is closed (sla_elapsed_s, sla_breached);
-- while open they are computed from ticket_events and the parameters.
CREATE TABLE tickets (
  id            TEXT PRIMARY KEY,
  reference     TEXT NOT NULL UNIQUE,
  debtor_id     TEXT NOT NULL REFERENCES debtors (id),
  body_id       TEXT REFERENCES bodies (id),
  office_id     TEXT REFERENCES offices (id),
  subject       TEXT NOT NULL,
  description   TEXT,
  urgency       TEXT NOT NULL CHECK (urgency IN ('low', 'normal', 'high')),
  level         TEXT NOT NULL CHECK (level IN ('first', 'back_office', 'second')),
  status        TEXT NOT NULL CHECK (status IN ('open', 'waiting_caller', 'in_progress',
                                                'closed')),
  owner_id      TEXT REFERENCES users (id),
  opened_by     TEXT REFERENCES users (id),
  opened_at     TEXT NOT NULL,
  closed_at     TEXT,
  resolution    TEXT,
  contact_id    TEXT REFERENCES contact_log (id),
  sla_target_s  INTEGER NOT NULL DEFAULT 0,
  sla_elapsed_s INTEGER,
  sla_breached  INTEGER,
  version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX tickets_debtor ON tickets (debtor_id);
CREATE INDEX tickets_open ON tickets (owner_id) WHERE status <> 'closed';
CREATE INDEX tickets_opened ON tickets (opened_at, body_id);
CREATE INDEX tickets_closed ON tickets (closed_at, body_id) WHERE closed_at IS NOT NULL;

CREATE TABLE ticket_counters (
  year INTEGER PRIMARY KEY,
  last INTEGER NOT NULL
);

-- A ticket's history, the SLA clock's input: kind 'open' and 'status' carry
-- the status in to_value.
CREATE TABLE ticket_events (
  id         TEXT PRIMARY KEY,
  ticket_id  TEXT NOT NULL REFERENCES tickets (id),
  at         TEXT NOT NULL,
  user_id    TEXT REFERENCES users (id),
  kind       TEXT NOT NULL CHECK (kind IN ('open', 'status', 'escalate', 'assign', 'close',
                                           'note')),
  from_value TEXT,
  to_value   TEXT,
  note       TEXT
);
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, at);

-- Knowledge cards: approved information sheets and FAQ. num is the key of
-- the full-text index (knowledge_search.rowid), id the synced key.
CREATE TABLE knowledge_cards (
  num         INTEGER PRIMARY KEY,
  id          TEXT NOT NULL UNIQUE,
  title       TEXT NOT NULL,
  body        TEXT NOT NULL,
  keywords    TEXT NOT NULL DEFAULT '',
  language    TEXT NOT NULL,
  body_id     TEXT REFERENCES bodies (id),
  approved    INTEGER NOT NULL DEFAULT 0 CHECK (approved IN (0, 1)),
  approved_by TEXT REFERENCES users (id),
  approved_at TEXT,
  updated_at  TEXT NOT NULL,
  version     INTEGER NOT NULL DEFAULT 1
);

CREATE VIRTUAL TABLE knowledge_search USING fts5 (
  title, keywords, body,
  content = 'knowledge_cards', content_rowid = 'num',
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3'
);

CREATE TRIGGER knowledge_cards_ai AFTER INSERT ON knowledge_cards BEGIN
  INSERT INTO knowledge_search (rowid, title, keywords, body)
  VALUES (new.num, new.title, new.keywords, new.body);
END;
CREATE TRIGGER knowledge_cards_ad AFTER DELETE ON knowledge_cards BEGIN
  INSERT INTO knowledge_search (knowledge_search, rowid, title, keywords, body)
  VALUES ('delete', old.num, old.title, old.keywords, old.body);
END;
CREATE TRIGGER knowledge_cards_au AFTER UPDATE OF title, keywords, body ON knowledge_cards BEGIN
  INSERT INTO knowledge_search (knowledge_search, rowid, title, keywords, body)
  VALUES ('delete', old.num, old.title, old.keywords, old.body);
  INSERT INTO knowledge_search (rowid, title, keywords, body)
  VALUES (new.num, new.title, new.keywords, new.body);
END;

CREATE TABLE appointments (
  id        TEXT PRIMARY KEY,
  debtor_id TEXT NOT NULL REFERENCES debtors (id),
  office_id TEXT NOT NULL REFERENCES offices (id),
  user_id   TEXT REFERENCES users (id),
  starts_at TEXT NOT NULL,
  minutes   INTEGER NOT NULL CHECK (minutes > 0),
  channel   TEXT NOT NULL CHECK (channel IN ('counter', 'phone', 'video')),
  subject   TEXT NOT NULL,
  status    TEXT NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'done', 'cancelled')),
  ticket_id TEXT REFERENCES tickets (id),
  version   INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX appointments_office ON appointments (office_id, starts_at);
CREATE INDEX appointments_user ON appointments (user_id, starts_at);
