-- Esattore schema, step 9: the procedure deadlines of the work queues, kept
-- ready to read (issue 7: "a queue of 100,000 items opens and re-sorts in
-- under 100 ms"). Reading the open cases with the names of their office,
-- officer and debtor took three lookups per case; this table holds one row
-- per open case with a deadline, names included, clustered by due date, so
-- that opening a queue is one ordered scan with no join and no sort.
--
-- The table is derived: the triggers below keep it in step with cases,
-- debtors, users and offices on every write (the officer's, the sync's, the
-- demo's), and it is never synced or audited itself.

CREATE TABLE queue_deadlines (
  due_on       TEXT NOT NULL,
  case_id      TEXT NOT NULL,
  office_id    TEXT NOT NULL,
  office_name  TEXT,
  body_id      TEXT NOT NULL,
  officer_id   TEXT,
  officer_name TEXT,
  debtor_id    TEXT NOT NULL,
  debtor_name  TEXT,
  state        TEXT NOT NULL,
  label        TEXT,
  PRIMARY KEY (due_on, case_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX queue_deadlines_case ON queue_deadlines (case_id);
CREATE INDEX queue_deadlines_debtor ON queue_deadlines (debtor_id);
-- "My work": one officer's items, in due order (the key follows the officer).
CREATE INDEX queue_deadlines_officer ON queue_deadlines (officer_id);

INSERT INTO queue_deadlines
  SELECT c.next_deadline, c.id, c.office_id, o.name, c.body_id, c.officer_id, u.name,
         c.debtor_id, d.name, c.state, c.next_deadline_label
  FROM cases c
  LEFT JOIN offices o ON o.id = c.office_id
  LEFT JOIN users u ON u.id = c.officer_id
  LEFT JOIN debtors d ON d.id = c.debtor_id
  WHERE c.closed_on IS NULL AND c.next_deadline IS NOT NULL;

CREATE TRIGGER queue_deadlines_case_insert AFTER INSERT ON cases
  WHEN NEW.closed_on IS NULL AND NEW.next_deadline IS NOT NULL
BEGIN
  INSERT INTO queue_deadlines
    VALUES (NEW.next_deadline, NEW.id, NEW.office_id,
            (SELECT name FROM offices WHERE id = NEW.office_id), NEW.body_id, NEW.officer_id,
            (SELECT name FROM users WHERE id = NEW.officer_id), NEW.debtor_id,
            (SELECT name FROM debtors WHERE id = NEW.debtor_id), NEW.state,
            NEW.next_deadline_label);
END;

CREATE TRIGGER queue_deadlines_case_update
  AFTER UPDATE OF id, debtor_id, body_id, office_id, state, officer_id, closed_on, next_deadline,
                  next_deadline_label ON cases
BEGIN
  DELETE FROM queue_deadlines WHERE case_id = OLD.id;
  INSERT INTO queue_deadlines
    SELECT NEW.next_deadline, NEW.id, NEW.office_id,
           (SELECT name FROM offices WHERE id = NEW.office_id), NEW.body_id, NEW.officer_id,
           (SELECT name FROM users WHERE id = NEW.officer_id), NEW.debtor_id,
           (SELECT name FROM debtors WHERE id = NEW.debtor_id), NEW.state,
           NEW.next_deadline_label
    WHERE NEW.closed_on IS NULL AND NEW.next_deadline IS NOT NULL;
END;

CREATE TRIGGER queue_deadlines_case_delete AFTER DELETE ON cases
BEGIN
  DELETE FROM queue_deadlines WHERE case_id = OLD.id;
END;

CREATE TRIGGER queue_deadlines_debtor_name AFTER UPDATE OF name ON debtors
BEGIN
  UPDATE queue_deadlines SET debtor_name = NEW.name WHERE debtor_id = NEW.id;
END;

-- A debtor, officer or office that arrives after its cases (a sync may
-- bring rows in any order) gives them its name then.
CREATE TRIGGER queue_deadlines_debtor_insert AFTER INSERT ON debtors
BEGIN
  UPDATE queue_deadlines SET debtor_name = NEW.name WHERE debtor_id = NEW.id;
END;

CREATE TRIGGER queue_deadlines_user_name AFTER UPDATE OF name ON users
BEGIN
  UPDATE queue_deadlines SET officer_name = NEW.name WHERE officer_id = NEW.id;
END;

CREATE TRIGGER queue_deadlines_user_insert AFTER INSERT ON users
BEGIN
  UPDATE queue_deadlines SET officer_name = NEW.name WHERE officer_id = NEW.id;
END;

-- Offices are few and renamed rarely: a scan is fine.
CREATE TRIGGER queue_deadlines_office_insert AFTER INSERT ON offices
BEGIN
  UPDATE queue_deadlines SET office_name = NEW.name WHERE office_id = NEW.id;
END;

CREATE TRIGGER queue_deadlines_office_name AFTER UPDATE OF name ON offices
BEGIN
  UPDATE queue_deadlines SET office_name = NEW.name WHERE office_id = NEW.id;
END;

-- The service levels of the queue (esa-store-queues.c) look for insolvent
-- debtors and for the injunctions of cases: without these, a scan of every
-- debtor and every act at each opening of a queue.
CREATE INDEX debtors_insolvent ON debtors (insolvent_since) WHERE insolvent_since IS NOT NULL;
CREATE INDEX acts_type_case ON acts (type, case_id);
