-- Esattore schema, step 1. Every synced table has a text UUID id made on the
-- device that created the row and a version bumped on every change.
-- Dates are ISO YYYY-MM-DD, timestamps ISO 8601 UTC, money integer minor units.

CREATE TABLE bodies (
  id               TEXT PRIMARY KEY,
  name             TEXT NOT NULL,
  country          TEXT NOT NULL CHECK (country IN ('IT', 'CH')),
  currency         TEXT NOT NULL CHECK (length(currency) = 3),
  tax_code         TEXT,
  iban             TEXT,
  segregation_code TEXT,
  version          INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE offices (
  id       TEXT PRIMARY KEY,
  name     TEXT NOT NULL,
  town     TEXT,
  country  TEXT NOT NULL,
  version  INTEGER NOT NULL DEFAULT 1
);

-- Which creditor bodies an office works for.
CREATE TABLE office_bodies (
  office_id TEXT NOT NULL REFERENCES offices (id),
  body_id   TEXT NOT NULL REFERENCES bodies (id),
  PRIMARY KEY (office_id, body_id)
) WITHOUT ROWID;

CREATE TABLE users (
  id        TEXT PRIMARY KEY,
  name      TEXT NOT NULL,
  login     TEXT NOT NULL UNIQUE,
  role      TEXT NOT NULL CHECK (role IN ('officer', 'field_officer', 'team_lead', 'responsible',
                                          'contact_operator', 'administrator', 'auditor')),
  office_id TEXT NOT NULL REFERENCES offices (id),
  version   INTEGER NOT NULL DEFAULT 1
);

-- num is the stable integer key of the full-text index (debtor_search.rowid);
-- id is the synced key.
CREATE TABLE debtors (
  num             INTEGER PRIMARY KEY,
  id              TEXT NOT NULL UNIQUE,
  kind            TEXT NOT NULL CHECK (kind IN ('person', 'company')),
  name            TEXT NOT NULL,
  tax_id          TEXT,
  tax_id_kind     TEXT CHECK (tax_id_kind IN ('cf', 'piva', 'ahv', 'uid')),
  birth_date      TEXT,
  deceased_on     TEXT,
  ceased_on       TEXT,
  insolvent_since TEXT,
  office_id       TEXT NOT NULL REFERENCES offices (id),
  version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX debtors_tax_id ON debtors (tax_id);
CREATE INDEX debtors_office ON debtors (office_id);

CREATE TABLE addresses (
  id         TEXT PRIMARY KEY,
  debtor_id  TEXT NOT NULL REFERENCES debtors (id),
  street     TEXT NOT NULL,
  postcode   TEXT,
  town       TEXT NOT NULL,
  country    TEXT NOT NULL,
  valid_from TEXT,
  valid_to   TEXT,
  version    INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX addresses_debtor ON addresses (debtor_id);

CREATE TABLE debtor_contacts (
  id        TEXT PRIMARY KEY,
  debtor_id TEXT NOT NULL REFERENCES debtors (id),
  kind      TEXT NOT NULL CHECK (kind IN ('phone', 'email', 'pec')),
  value     TEXT NOT NULL,
  version   INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX debtor_contacts_debtor ON debtor_contacts (debtor_id);

CREATE TABLE relations (
  id        TEXT PRIMARY KEY,
  debtor_id TEXT NOT NULL REFERENCES debtors (id),
  other_id  TEXT NOT NULL REFERENCES debtors (id),
  kind      TEXT NOT NULL CHECK (kind IN ('heir', 'partner', 'representative', 'delegate')),
  note      TEXT,
  version   INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX relations_debtor ON relations (debtor_id);
CREATE INDEX relations_other ON relations (other_id);

CREATE TABLE load_lists (
  id             TEXT PRIMARY KEY,
  body_id        TEXT NOT NULL REFERENCES bodies (id),
  reference      TEXT NOT NULL,
  revenue_type   TEXT NOT NULL,
  year           INTEGER NOT NULL,
  resource       TEXT,        -- budget resource (risorsa)
  budget_chapter TEXT,        -- capitolo PEG
  received_on    TEXT NOT NULL,
  state          TEXT NOT NULL CHECK (state IN ('imported', 'approved', 'rejected')),
  imported_by    TEXT REFERENCES users (id),
  approved_by    TEXT REFERENCES users (id),
  approved_on    TEXT,
  version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX load_lists_body ON load_lists (body_id);

CREATE TABLE positions (
  id                TEXT PRIMARY KEY,
  debtor_id         TEXT NOT NULL REFERENCES debtors (id),
  body_id           TEXT NOT NULL REFERENCES bodies (id),
  load_list_id      TEXT REFERENCES load_lists (id),
  revenue_type      TEXT NOT NULL,
  year              INTEGER NOT NULL,
  reference         TEXT NOT NULL,
  payment_reference TEXT,
  due_date          TEXT NOT NULL,
  currency          TEXT NOT NULL,
  principal         INTEGER NOT NULL DEFAULT 0 CHECK (principal >= 0),
  sanctions         INTEGER NOT NULL DEFAULT 0 CHECK (sanctions >= 0),
  interest          INTEGER NOT NULL DEFAULT 0 CHECK (interest >= 0),
  costs             INTEGER NOT NULL DEFAULT 0 CHECK (costs >= 0),
  paid              INTEGER NOT NULL DEFAULT 0 CHECK (paid >= 0),
  state             TEXT NOT NULL DEFAULT 'open'
                    CHECK (state IN ('open', 'paid', 'suspended', 'cancelled', 'written_off')),
  version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX positions_debtor ON positions (debtor_id);
CREATE INDEX positions_payment_reference ON positions (payment_reference);
CREATE INDEX positions_load_list ON positions (load_list_id);

CREATE TABLE cases (
  id                  TEXT PRIMARY KEY,
  debtor_id           TEXT NOT NULL REFERENCES debtors (id),
  body_id             TEXT NOT NULL REFERENCES bodies (id),
  office_id           TEXT NOT NULL REFERENCES offices (id),
  procedure_id        TEXT NOT NULL,
  state               TEXT NOT NULL,
  officer_id          TEXT REFERENCES users (id),
  opened_on           TEXT NOT NULL,
  closed_on           TEXT,
  next_deadline       TEXT,
  next_deadline_label TEXT,
  version             INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX cases_debtor ON cases (debtor_id);
CREATE INDEX cases_office ON cases (office_id);
CREATE INDEX cases_deadline ON cases (next_deadline) WHERE closed_on IS NULL;

CREATE TABLE case_positions (
  case_id     TEXT NOT NULL REFERENCES cases (id),
  position_id TEXT NOT NULL REFERENCES positions (id),
  PRIMARY KEY (case_id, position_id)
) WITHOUT ROWID;
CREATE INDEX case_positions_position ON case_positions (position_id);

CREATE TABLE acts (
  id        TEXT PRIMARY KEY,
  case_id   TEXT NOT NULL REFERENCES cases (id),
  debtor_id TEXT NOT NULL REFERENCES debtors (id),
  type      TEXT NOT NULL,
  number    TEXT NOT NULL UNIQUE,
  issued_on TEXT NOT NULL,
  issued_by TEXT REFERENCES users (id),
  amount    INTEGER NOT NULL DEFAULT 0,
  version   INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX acts_case ON acts (case_id);
CREATE INDEX acts_debtor ON acts (debtor_id);

-- One row per delivery attempt of an act.
CREATE TABLE notifications (
  id             TEXT PRIMARY KEY,
  act_id         TEXT NOT NULL REFERENCES acts (id),
  attempt        INTEGER NOT NULL DEFAULT 1,
  method         TEXT NOT NULL,   -- 'post', 'pec', 'messenger', 'counter'
  state          TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'delivered', 'failed')),
  sent_on        TEXT,
  delivered_on   TEXT,
  failed_on      TEXT,
  failure_reason TEXT,
  version        INTEGER NOT NULL DEFAULT 1
);
-- (act_id, attempt): the latest attempt of an act is one index step away.
CREATE INDEX notifications_act ON notifications (act_id, attempt);

CREATE TABLE payments (
  id          TEXT PRIMARY KEY,
  debtor_id   TEXT REFERENCES debtors (id),
  position_id TEXT REFERENCES positions (id),
  body_id     TEXT REFERENCES bodies (id),
  amount      INTEGER NOT NULL CHECK (amount > 0),
  currency    TEXT NOT NULL,
  paid_on     TEXT NOT NULL,
  reference   TEXT,
  channel     TEXT NOT NULL,
  version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX payments_debtor ON payments (debtor_id);
CREATE INDEX payments_position ON payments (position_id);
CREATE INDEX payments_reference ON payments (reference);

CREATE TABLE instalment_plans (
  id          TEXT PRIMARY KEY,
  debtor_id   TEXT NOT NULL REFERENCES debtors (id),
  case_id     TEXT REFERENCES cases (id),
  state       TEXT NOT NULL CHECK (state IN ('active', 'lapsed', 'completed')),
  total       INTEGER NOT NULL,
  currency    TEXT NOT NULL,
  first_due   TEXT NOT NULL,
  decided_on  TEXT,
  version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX instalment_plans_debtor ON instalment_plans (debtor_id);

CREATE TABLE instalments (
  id                TEXT PRIMARY KEY,
  plan_id           TEXT NOT NULL REFERENCES instalment_plans (id),
  seq               INTEGER NOT NULL,
  due_on            TEXT NOT NULL,
  amount            INTEGER NOT NULL,
  paid              INTEGER NOT NULL DEFAULT 0,
  payment_reference TEXT,
  version           INTEGER NOT NULL DEFAULT 1,
  UNIQUE (plan_id, seq)
);

-- Files are content-addressed (SHA-256) beside the database.
CREATE TABLE documents (
  id         TEXT PRIMARY KEY,
  debtor_id  TEXT NOT NULL REFERENCES debtors (id),
  case_id    TEXT REFERENCES cases (id),
  act_id     TEXT REFERENCES acts (id),
  title      TEXT NOT NULL,
  mime_type  TEXT NOT NULL,
  sha256     TEXT NOT NULL,
  size       INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  version    INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX documents_debtor ON documents (debtor_id);

CREATE TABLE contact_log (
  id          TEXT PRIMARY KEY,
  debtor_id   TEXT NOT NULL REFERENCES debtors (id),
  channel     TEXT NOT NULL CHECK (channel IN ('phone', 'email', 'counter', 'letter', 'visit')),
  direction   TEXT NOT NULL CHECK (direction IN ('in', 'out')),
  occurred_at TEXT NOT NULL,
  user_id     TEXT REFERENCES users (id),
  subject     TEXT NOT NULL,
  note        TEXT,
  duration_s  INTEGER,
  version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX contact_log_debtor ON contact_log (debtor_id, occurred_at);

-- Append-only, hash-chained: hash = SHA-256 over prev_hash and the entry's
-- fields (see esa-store-audit.c for the exact canonical form). seq is given
-- explicitly (last + 1), so that a deleted entry shows as a gap.
CREATE TABLE audit (
  seq       INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  user_id   TEXT,
  action    TEXT NOT NULL,
  entity    TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  debtor_id TEXT,
  summary   TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
);
CREATE INDEX audit_debtor ON audit (debtor_id, seq) WHERE debtor_id IS NOT NULL;

-- Operations waiting to be pushed to the server (DESIGN.md "Sync").
CREATE TABLE outbox (
  seq            INTEGER PRIMARY KEY,
  op_id          TEXT NOT NULL UNIQUE,
  kind           TEXT NOT NULL CHECK (kind IN ('field', 'event', 'command')),
  entity         TEXT NOT NULL,
  entity_id      TEXT NOT NULL,
  payload        TEXT NOT NULL CHECK (json_valid(payload)),
  base_version   INTEGER NOT NULL,
  hlc            TEXT NOT NULL,
  schema_version INTEGER NOT NULL,
  created_at     TEXT NOT NULL,
  acked_at       TEXT
);
CREATE INDEX outbox_pending ON outbox (seq) WHERE acked_at IS NULL;

-- One document per debtor: names, tax ids, addresses, act numbers, payment
-- and position references. rowid = debtors.num. detail = column keeps no
-- token positions: searches need no phrases (every word is its own term),
-- and without positions the index is 40% smaller and a prefix longer than
-- the prefix indexes merges its term lists twice as fast.
CREATE VIRTUAL TABLE debtor_search USING fts5 (
  name, tax_id, address, refs,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '1 2 3',
  detail = column
);
