-- Esattore schema, step 5: payment flows and their reconciliation
-- (esa-store-payments.c). Money arrives as files: pagoPA reconciliation flows,
-- ISO 20022 camt.054 notifications, CSV exports. Each file is a flow; each
-- payment it reports becomes a row of payments, matched to a position by its
-- reference when it names one, else left in the unmatched queue.

-- One row per imported flow. flow_key is what identifies the flow at its
-- sender: the pagoPA identificativoFlusso, the camt.054 message id, or the
-- file's SHA-256 for a CSV export. A re-sent flow with the same key and a
-- later flow_at replaces the earlier one, which stays as 'replaced'.
CREATE TABLE payment_flows (
  id             TEXT PRIMARY KEY,
  format         TEXT NOT NULL CHECK (format IN ('pagopa', 'camt054', 'csv')),
  flow_key       TEXT NOT NULL,
  flow_at        TEXT,              -- ISO 8601 UTC, when the sender made the flow
  body_id        TEXT REFERENCES bodies (id),
  settlement_ref TEXT,              -- pagoPA identificativoUnivocoRegolamento
  settled_on     TEXT,              -- pagoPA dataRegolamento
  sender         TEXT,
  receiver       TEXT,              -- the body's tax code (pagoPA) or account (camt.054)
  file_name      TEXT,
  file_sha256    TEXT NOT NULL,
  currency       TEXT,
  item_count     INTEGER NOT NULL CHECK (item_count >= 0),
  total          INTEGER NOT NULL CHECK (total >= 0),
  state          TEXT NOT NULL DEFAULT 'current' CHECK (state IN ('current', 'replaced')),
  replaced_by    TEXT REFERENCES payment_flows (id),
  imported_at    TEXT NOT NULL,
  imported_by    TEXT REFERENCES users (id),
  version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX payment_flows_key ON payment_flows (format, flow_key);
CREATE INDEX payment_flows_file ON payment_flows (file_sha256);

-- What a flow says about each payment, beside what the foundation records.
-- state: 'applied' (on a position or a debtor; also every payment recorded
-- before this step), 'unmatched' (waiting for an officer), 'parked' (set
-- aside by an officer with a note), 'revoked' (pagoPA outcome 3: reported,
-- never applied), 'replaced' (its flow was replaced by a newer one; what it
-- had applied was reversed).
-- unapplied: the part of an applied payment that no position took, a credit
-- of the debtor and a refund candidate; refund_reason says why:
-- 'overpayment' (more than the balance) or 'double' (the position was
-- already paid).
ALTER TABLE payments ADD COLUMN flow_id TEXT REFERENCES payment_flows (id);
ALTER TABLE payments ADD COLUMN line INTEGER;
ALTER TABLE payments ADD COLUMN state TEXT NOT NULL DEFAULT 'applied'
  CHECK (state IN ('applied', 'unmatched', 'parked', 'revoked', 'replaced'));
ALTER TABLE payments ADD COLUMN reference_kind TEXT
  CHECK (reference_kind IN ('iuv', 'notice', 'qrr', 'scor', 'other'));
ALTER TABLE payments ADD COLUMN match_method TEXT
  CHECK (match_method IN ('iuv', 'notice', 'qrr', 'scor', 'reference', 'tax_id', 'assigned',
                          'assigned_debtor'));
ALTER TABLE payments ADD COLUMN collection_ref TEXT;   -- pagoPA IUR, bank reference, CSV id
ALTER TABLE payments ADD COLUMN outcome TEXT;          -- pagoPA codiceEsitoSingoloPagamento
ALTER TABLE payments ADD COLUMN debtor_name TEXT;      -- as the flow names the payer
ALTER TABLE payments ADD COLUMN debtor_tax_id TEXT;
ALTER TABLE payments ADD COLUMN remittance TEXT;
ALTER TABLE payments ADD COLUMN unapplied INTEGER NOT NULL DEFAULT 0 CHECK (unapplied >= 0);
ALTER TABLE payments ADD COLUMN refund_reason TEXT
  CHECK (refund_reason IN ('overpayment', 'double'));
ALTER TABLE payments ADD COLUMN note TEXT;             -- why it is unmatched, or parked
ALTER TABLE payments ADD COLUMN handled_at TEXT;       -- when an officer assigned or parked it
ALTER TABLE payments ADD COLUMN handled_by TEXT REFERENCES users (id);
CREATE INDEX payments_flow ON payments (flow_id);
CREATE INDEX payments_queue ON payments (state, paid_on) WHERE state IN ('unmatched', 'parked');
CREATE INDEX payments_refunds ON payments (paid_on) WHERE unapplied > 0;
CREATE INDEX payments_collection ON payments (collection_ref) WHERE collection_ref IS NOT NULL;

-- How each payment was spread over the components of each position it paid
-- (the body's allocation order, parameter table payments.allocation.order):
-- one row per payment and position; amount is what the position took. A replaced flow's allocations are
-- reversed by rows with negative amounts on the day of the replacement, so
-- that collections by period stay right.
CREATE TABLE payment_allocations (
  id           TEXT PRIMARY KEY,
  payment_id   TEXT NOT NULL REFERENCES payments (id),
  position_id  TEXT NOT NULL REFERENCES positions (id),
  costs        INTEGER NOT NULL DEFAULT 0,
  interest     INTEGER NOT NULL DEFAULT 0,
  sanctions    INTEGER NOT NULL DEFAULT 0,
  principal    INTEGER NOT NULL DEFAULT 0,
  amount       INTEGER GENERATED ALWAYS AS (costs + interest + sanctions + principal) VIRTUAL,
  allocated_on TEXT NOT NULL,
  version      INTEGER NOT NULL DEFAULT 1,
  CHECK (costs <> 0 OR interest <> 0 OR sanctions <> 0 OR principal <> 0)
);
CREATE INDEX payment_allocations_payment ON payment_allocations (payment_id);
CREATE INDEX payment_allocations_position ON payment_allocations (position_id);

-- The cases a payment closed, with the state they were in, so that a
-- replaced flow can reopen a case its replacement no longer pays in full.
-- event_id is the case step that closed it when the procedure's action ran.
CREATE TABLE payment_case_closures (
  payment_id TEXT NOT NULL REFERENCES payments (id),
  case_id    TEXT NOT NULL REFERENCES cases (id),
  from_state TEXT NOT NULL,
  event_id   TEXT,
  PRIMARY KEY (payment_id, case_id)
) WITHOUT ROWID;
CREATE INDEX payment_case_closures_case ON payment_case_closures (case_id);

-- The column mapping of a creditor body's CSV payment exports
-- (esa-payment-csv.h).
CREATE TABLE payment_csv_mappings (
  id         TEXT PRIMARY KEY,
  body_id    TEXT NOT NULL UNIQUE REFERENCES bodies (id),
  mapping    TEXT NOT NULL CHECK (json_valid(mapping)),
  updated_at TEXT NOT NULL,
  updated_by TEXT REFERENCES users (id),
  version    INTEGER NOT NULL DEFAULT 1
);

-- pagoPA flows carry the IUV, positions the 18-digit notice number that
-- holds it: after the aux digit and the application code for aux digit 0,
-- after the aux digit otherwise (esa_pagopa_notice_iuv()). Matching looks
-- the IUV up with this very expression.
CREATE INDEX positions_iuv ON positions (
  substr(payment_reference, CASE WHEN substr(payment_reference, 1, 1) = '0' THEN 4 ELSE 2 END))
  WHERE length(payment_reference) = 18;

-- A creditor reference (SCOR) or a CSV reference may carry a position's own
-- reference (its title) rather than its payment reference.
CREATE INDEX positions_reference ON positions (reference);
