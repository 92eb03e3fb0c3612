-- Esattore schema, step 4: instalment monitoring (esa-store-instalments.c).

-- The day the team lead confirmed the reminder of a missed instalment. The
-- lapse rule (it.instalment.lapse) counts instalments still unpaid after a
-- reminder.
ALTER TABLE instalments ADD COLUMN reminded_on TEXT;

-- Instalments by due date, for the daily look for missed ones.
CREATE INDEX instalments_due ON instalments (due_on) WHERE paid < amount;
CREATE INDEX instalments_plan ON instalments (plan_id, seq);
CREATE INDEX instalment_plans_case ON instalment_plans (case_id);
