/* esa-demo-contact.c: the contact center's share of the demo data: incoming
 * contacts with their outcomes, tickets with their history and SLA,
 * knowledge cards in Italian and English, appointments at the counter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "esa-date.h"
#include "esa-demo-private.h"
#include "esa-sla.h"
#include "esa-uuid.h"

typedef struct
{
  const char *language;
  const char *title;
  const char *keywords;
  const char *body;
  gboolean    approved;
} Card;

/* Approved information sheets and FAQ, as a contact center would have them;
 * the texts are content in their own language, not user interface. */
static const Card cards[] = {
  { "it", "Come pagare un avviso o un'ingiunzione",
    "pagare pagamento pagopa avviso bollettino iuv",
    "Si può pagare con pagoPA presso banche, uffici postali, tabaccherie e online, usando il "
    "codice avviso stampato sul bollettino.\n\nLa ricevuta pagoPA vale come prova di pagamento: "
    "non serve inviarla all'ufficio.", TRUE },
  { "en", "How to pay a notice or an injunction",
    "pay payment pagopa notice slip iuv",
    "You can pay with pagoPA at banks, post offices, tobacconists and online, using the notice "
    "code printed on the payment slip.\n\nThe pagoPA receipt is proof of payment: there is no "
    "need to send it to the office.", TRUE },
  { "it", "Rateizzazione: chi può chiederla e come",
    "rate rateizzazione dilazione piano rateale",
    "Chi non può pagare in una volta sola può chiedere un piano di rate. Fino a 100 euro non "
    "si rateizza; oltre, il numero di rate cresce con l'importo.\n\nLa domanda va presentata "
    "con il modulo dell'ente; durante il piano le procedure sono sospese. Due rate non pagate "
    "fanno decadere il piano.", TRUE },
  { "en", "Instalment plans: who can ask and how",
    "instalments instalment plan payment plan",
    "Who cannot pay at once can ask for an instalment plan. Debts up to 100 euro are not split; "
    "above that, the number of instalments grows with the amount.\n\nThe request uses the "
    "body's form; while the plan runs, enforcement is suspended. Two missed instalments end "
    "the plan.", TRUE },
  { "it", "Sgravio, sospensione, annullamento",
    "sgravio sospensione annullamento ricorso contestazione errore",
    "Se l'importo non è dovuto (già pagato, errore dell'ente, prescrizione) si può chiedere lo "
    "sgravio o la sospensione. La richiesta viene istruita dal back office entro 15 giorni e "
    "decisa dall'ente entro 30.", TRUE },
  { "en", "Write-down, suspension, cancellation",
    "writedown suspension cancellation dispute error",
    "If the amount is not owed (already paid, an error of the body, limitation) the caller can "
    "ask for a write-down or a suspension. The back office prepares the request within 15 days "
    "and the body decides within 30.", TRUE },
  { "it", "Fermo amministrativo del veicolo",
    "fermo veicolo auto preavviso revoca",
    "Il preavviso di fermo lascia 30 giorni per pagare o chiedere una rateizzazione. Il fermo "
    "si revoca dopo il pagamento, la concessione del piano o lo sgravio. Non si applica ai "
    "veicoli strumentali all'attività.", TRUE },
  { "en", "Vehicle lien",
    "lien vehicle car prior notice revocation",
    "The prior notice of a vehicle lien leaves 30 days to pay or ask for an instalment plan. The "
    "lien is revoked after payment, a granted plan or a write-down. Vehicles needed for the "
    "debtor's work are exempt.", TRUE },
  { "it", "Opposizione al precetto esecutivo (Svizzera)",
    "opposizione precetto esecutivo lef",
    "Contro il precetto esecutivo si può fare opposizione entro 10 giorni dalla notifica, a voce "
    "o per iscritto all'ufficio esecuzioni, senza motivazione.", TRUE },
  { "en", "Objection to a payment order (Switzerland)",
    "objection payment order schkg rechtsvorschlag",
    "A payment order can be objected to within 10 days of its service, orally or in writing at "
    "the enforcement office, without giving reasons.", TRUE },
  { "it", "Orari dello sportello e appuntamenti",
    "orari sportello appuntamento ufficio",
    "Lo sportello riceve dal lunedì al giovedì 8:30-12:30 e 14:00-16:30, il venerdì 8:30-12:30. "
    "Per le pratiche complesse conviene prenotare un appuntamento.", TRUE },
  { "en", "Counter opening hours and appointments",
    "opening hours counter appointment office",
    "The counter is open Monday to Thursday 8:30-12:30 and 14:00-16:30, Friday 8:30-12:30. "
    "For complex matters, book an appointment.", FALSE },
};

typedef struct
{
  const char *subject;
  const char *resolution;
} TicketTopic;

static const TicketTopic ticket_topics[] = {
  { N_("Disputes the amount of the injunction"), N_("Amount checked and confirmed in writing.") },
  { N_("Asks for a copy of the notified act"), N_("Copy sent by registered e-mail.") },
  { N_("Paid but still receives reminders"), N_("Payment found and assigned; reminder cancelled.") },
  { N_("Requests an instalment plan beyond the table"), N_("Plan granted by the team lead.") },
  { N_("Asks for the revocation of the vehicle lien"), N_("Lien revoked after payment.") },
  { N_("Reports a deceased debtor"), N_("Heirs recorded; procedure suspended.") },
  { N_("Asks why the wages were garnished"), N_("Garnishment explained; slips sent.") },
};

typedef struct
{
  const char *channel;
  const char *subject;
} ContactTopic;

static const ContactTopic contact_topics[] = {
  { "phone", N_("Asked for the amount due") },
  { "phone", N_("Asked how to pay with pagoPA") },
  { "phone", N_("Asked about instalment plans") },
  { "email", N_("Asked for the payment slips") },
  { "counter", N_("Paid at the counter and asked for a receipt") },
  { "counter", N_("Asked about the procedure") },
  { "letter", N_("Wrote to dispute the claim") },
};

static const char * const urgency_names[] = { "low", "normal", "high" };

typedef struct
{
  EsaStore      *store;
  sqlite3       *db;
  GRand         *rand;
  guint64        seed;
  guint64        n_ids;
  GDateTime     *now;
  EsaParameters *parameters;
  GPtrArray     *debtors;       /* char *[3]: id, office, body (NULL-free) */
  GPtrArray     *operators;     /* user ids, by id */
  GPtrArray     *officers;
  GPtrArray     *bodies;        /* char *[2]: id, country */
} Gen;

static guint
rnd (Gen   *gen,
     guint  lo,
     guint  hi)
{
  return (guint) g_rand_int_range (gen->rand, (gint32) lo, (gint32) hi + 1);
}

static char *
next_id (Gen        *gen,
         const char *ns)
{
  return esa_uuid_from_seed (ns, gen->seed, gen->n_ids++);
}

static char *
iso (GDateTime *moment)
{
  return g_date_time_format (moment, "%Y-%m-%dT%H:%M:%SZ");
}

static gboolean
run (Gen                *gen,
     const char         *sql,
     const char * const *texts,
     guint               n_texts,
     const gint64       *ints,
     guint               n_ints,
     GError            **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (gen->db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    {
      /* Texts first (?1 …), then integers; a negative integer is NULL. */
      for (guint i = 0; i < n_texts; i++)
        sqlite3_bind_text (stmt, (int) i + 1, texts[i], -1, SQLITE_TRANSIENT);
      for (guint i = 0; i < n_ints; i++)
        if (ints[i] >= 0)
          sqlite3_bind_int64 (stmt, (int) (n_texts + i) + 1, ints[i]);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _esa_store_set_sqlite_error (gen->store, error, _("Could not write the contact-center demo data"));
      return FALSE;
    }
  return TRUE;
}

static GPtrArray *
read_column (Gen        *gen,
             const char *sql,
             guint       n_columns)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (gen->db, sql, -1, &stmt, NULL) == SQLITE_OK)
    while (sqlite3_step (stmt) == SQLITE_ROW)
      {
        char **row = g_new0 (char *, n_columns + 1);

        for (guint i = 0; i < n_columns; i++)
          row[i] = g_strdup ((const char *) sqlite3_column_text (stmt, (int) i));
        g_ptr_array_add (rows, row);
      }
  sqlite3_finalize (stmt);
  return rows;
}

static const char *
pick (Gen       *gen,
      GPtrArray *rows)
{
  return ((char **) g_ptr_array_index (rows, rnd (gen, 0, rows->len - 1)))[0];
}

static const char *
country_of (Gen        *gen,
            const char *body_id)
{
  for (guint i = 0; i < gen->bodies->len; i++)
    if (g_strcmp0 (((char **) g_ptr_array_index (gen->bodies, i))[0], body_id) == 0)
      return ((char **) g_ptr_array_index (gen->bodies, i))[1];
  return NULL;
}

/* A moment in office hours (08:00-15:00 UTC) @days_ago before now. */
static GDateTime *
office_moment (Gen   *gen,
               guint  days_ago)
{
  g_autoptr(GDateTime) day = g_date_time_add_days (gen->now, -(gint) days_ago);
  gint year, month, dom;

  g_date_time_get_ymd (day, &year, &month, &dom);
  return g_date_time_new_utc (year, month, dom, 7 + (gint) rnd (gen, 0, 7),
                              (gint) rnd (gen, 0, 59), 0);
}

static gboolean
write_cards (Gen     *gen,
             GError **error)
{
  g_autofree char *at = iso (gen->now);
  g_autofree char *approver = g_strdup (gen->officers->len > 0
                                        ? pick (gen, gen->officers) : NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cards); i++)
    {
      g_autofree char *id = next_id (gen, "knowledge_card");
      const char *texts[] = {
        id, cards[i].title, cards[i].body, cards[i].keywords, cards[i].language,
        cards[i].approved ? approver : NULL, cards[i].approved ? at : NULL, at,
      };
      gint64 ints[] = { cards[i].approved };

      if (!run (gen, "INSERT INTO knowledge_cards (id, title, body, keywords, language, "
                     "approved_by, approved_at, updated_at, approved) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                texts, G_N_ELEMENTS (texts), ints, G_N_ELEMENTS (ints), error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_contact (Gen         *gen,
               const char  *id,
               char       **debtor,
               const char  *channel,
               const char  *at,
               const char  *user,
               const char  *subject,
               const char  *outcome,
               gint64       duration,
               gint64       wait,
               GError     **error)
{
  const char *texts[] = { id, debtor[0], channel, at, user, subject, debtor[2], outcome };
  gint64 ints[] = { duration, wait };

  return run (gen, "INSERT INTO contact_log (id, debtor_id, channel, direction, occurred_at, "
                   "user_id, subject, body_id, outcome, duration_s, wait_s) "
                   "VALUES (?1, ?2, ?3, 'in', ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
              texts, G_N_ELEMENTS (texts), ints, G_N_ELEMENTS (ints), error);
}

/* Three months of incoming contacts: most answered at the first contact,
 * some handed on, a few calls lost. */
static gboolean
write_contacts (Gen     *gen,
                GError **error)
{
  for (guint i = 0; i < 360; i++)
    {
      const ContactTopic *topic = &contact_topics[rnd (gen, 0, G_N_ELEMENTS (contact_topics) - 1)];
      char **debtor = g_ptr_array_index (gen->debtors, rnd (gen, 0, gen->debtors->len - 1));
      g_autoptr(GDateTime) moment = office_moment (gen, rnd (gen, 1, 90));
      g_autofree char *id = next_id (gen, "contact_center_contact");
      g_autofree char *at = iso (moment);
      gboolean phone = strcmp (topic->channel, "phone") == 0;
      guint roll = rnd (gen, 0, 99);
      const char *outcome = phone && roll < 8 ? "lost" : roll < 86 ? "resolved" : "info";
      gint64 wait = phone ? (gint64) rnd (gen, 3, roll < 15 ? 120 : 38) : -1;
      gint64 duration = strcmp (outcome, "lost") == 0 ? -1
                        : phone ? (gint64) rnd (gen, 60, 900)
                        : strcmp (topic->channel, "counter") == 0 ? (gint64) rnd (gen, 300, 1500)
                        : -1;

      if (!write_contact (gen, id, debtor, topic->channel, at, pick (gen, gen->operators),
                          _(topic->subject), outcome, duration, wait, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
add_event (Gen         *gen,
           const char  *ticket_id,
           GDateTime   *at,
           const char  *user,
           const char  *kind,
           const char  *from_value,
           const char  *to_value,
           const char  *note,
           GError     **error)
{
  g_autofree char *id = next_id (gen, "ticket_event");
  g_autofree char *when = iso (at);
  const char *texts[] = { id, ticket_id, when, user, kind, from_value, to_value, note };

  return run (gen, "INSERT INTO ticket_events (id, ticket_id, at, user_id, kind, from_value, "
                   "to_value, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
              texts, G_N_ELEMENTS (texts), NULL, 0, error);
}

/* Tickets of the last two months, each opened from a phone call: most
 * closed, some waiting for the caller, some escalated. */
static gboolean
write_tickets (Gen     *gen,
               GError **error)
{
  guint per_year[2] = { 0, 0 };
  gint this_year = g_date_time_get_year (gen->now);

  for (guint i = 0; i < 48; i++)
    {
      const TicketTopic *topic = &ticket_topics[rnd (gen, 0, G_N_ELEMENTS (ticket_topics) - 1)];
      char **debtor = g_ptr_array_index (gen->debtors, rnd (gen, 0, gen->debtors->len - 1));
      g_autoptr(GDateTime) opened = office_moment (gen, 60 - i * 60 / 48);
      g_autoptr(GDateTime) cursor = NULL;
      g_autofree char *id = next_id (gen, "ticket");
      g_autofree char *contact_id = next_id (gen, "contact_center_contact");
      g_autofree char *opened_at = iso (opened);
      g_autofree char *closed_at = NULL;
      g_autofree char *reference = NULL;
      g_autoptr(GPtrArray) moments = g_ptr_array_new_with_free_func (
        (GDestroyNotify) g_date_time_unref);
      g_autoptr(GPtrArray) statuses = g_ptr_array_new ();
      const char *operator = pick (gen, gen->operators);
      const char *owner = operator;
      const char *status = "open";
      const char *level = "first";
      const char *urgency = urgency_names[rnd (gen, 0, 2)];
      const char *country = country_of (gen, debtor[2]);
      guint fate = rnd (gen, 0, 99);
      gint year = g_date_time_get_year (opened);
      gint64 target = 0, elapsed = -1, breached = -1;
      EsaSla *sla = NULL;
      g_autoptr(EsaSla) sla_owned = NULL;

      per_year[year == this_year]++;
      reference = g_strdup_printf ("T-%04d-%06u", year, per_year[year == this_year]);

      if (!write_contact (gen, contact_id, debtor, "phone", opened_at, operator,
                          _(topic->subject), "ticket", rnd (gen, 120, 600), rnd (gen, 5, 60),
                          error))
        return FALSE;

      if (gen->parameters != NULL && country != NULL)
        sla = sla_owned = esa_sla_new (gen->parameters, country, debtor[2], NULL);
      if (sla != NULL)
        {
          GDate on;

          g_date_clear (&on, 1);
          g_date_set_dmy (&on, (GDateDay) g_date_time_get_day_of_month (opened),
                          (GDateMonth) g_date_time_get_month (opened), (GDateYear) year);
          if (!esa_sla_target_seconds (sla, urgency, &on, &target, NULL))
            target = 0;
        }

      g_ptr_array_add (moments, g_date_time_ref (opened));
      g_ptr_array_add (statuses, (gpointer) "open");
      cursor = g_date_time_ref (opened);

      /* What happened since: a reply awaited, an escalation, a closing. */
      if (fate < 30 || (fate >= 60 && fate < 75))
        {
          g_autoptr(GDateTime) next = g_date_time_add_hours (cursor, rnd (gen, 1, 20));

          g_ptr_array_add (moments, g_date_time_ref (next));
          g_ptr_array_add (statuses, (gpointer) "waiting_caller");
          status = "waiting_caller";
          g_date_time_unref (cursor);
          cursor = g_steal_pointer (&next);
          if (fate < 30)
            {
              next = g_date_time_add_hours (cursor, rnd (gen, 20, 72));
              g_ptr_array_add (moments, g_date_time_ref (next));
              g_ptr_array_add (statuses, (gpointer) "in_progress");
              status = "in_progress";
              g_date_time_unref (cursor);
              cursor = g_steal_pointer (&next);
            }
        }
      if (fate >= 45 && fate < 60)
        {
          level = fate < 52 ? "back_office" : "second";
          owner = gen->officers->len > 0 ? pick (gen, gen->officers) : NULL;
        }
      if (fate < 45 || (fate >= 75 && i < 40))
        {
          g_autoptr(GDateTime) next = g_date_time_add_hours (cursor, rnd (gen, 2, 60));

          if (g_date_time_compare (next, gen->now) < 0)
            {
              g_ptr_array_add (moments, g_date_time_ref (next));
              g_ptr_array_add (statuses, (gpointer) "closed");
              status = "closed";
              closed_at = iso (next);
            }
        }

      if (sla != NULL && closed_at != NULL)
        {
          g_autofree EsaSlaEvent *events = g_new0 (EsaSlaEvent, moments->len);
          g_autoptr(GDateTime) closed = g_date_time_new_from_iso8601 (closed_at, NULL);

          for (guint k = 0; k < moments->len; k++)
            {
              events[k].at = g_ptr_array_index (moments, k);
              events[k].status = g_ptr_array_index (statuses, k);
            }
          elapsed = esa_sla_elapsed (sla, events, moments->len, closed);
          breached = target > 0 && elapsed > target;
        }

      {
        const char *texts[] = {
          id, reference, debtor[0], debtor[2], debtor[1], _(topic->subject), urgency, level,
          status, owner, operator, opened_at, closed_at,
          closed_at != NULL ? _(topic->resolution) : NULL, contact_id,
        };
        gint64 ints[] = { target, elapsed, breached };

        if (!run (gen, "INSERT INTO tickets (id, reference, debtor_id, body_id, office_id, "
                       "subject, urgency, level, status, owner_id, opened_by, opened_at, "
                       "closed_at, resolution, contact_id, sla_target_s, sla_elapsed_s, "
                       "sla_breached) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                       "?12, ?13, ?14, ?15, ?16, ?17, ?18)",
                  texts, G_N_ELEMENTS (texts), ints, G_N_ELEMENTS (ints), error))
          return FALSE;
      }
      {
        const char *texts[] = { contact_id, id };

        if (!run (gen, "UPDATE contact_log SET ticket_id = ?2 WHERE id = ?1", texts, 2, NULL, 0,
                  error))
          return FALSE;
      }

      for (guint k = 0; k < moments->len; k++)
        {
          const char *to = g_ptr_array_index (statuses, k);
          const char *from = k > 0 ? g_ptr_array_index (statuses, k - 1) : NULL;
          const char *kind = k == 0 ? "open" : strcmp (to, "closed") == 0 ? "close" : "status";

          if (!add_event (gen, id, g_ptr_array_index (moments, k), operator, kind, from, to,
                          strcmp (kind, "close") == 0 ? _(topic->resolution) : NULL, error))
            return FALSE;
        }
      if (strcmp (level, "first") != 0)
        {
          g_autoptr(GDateTime) at = g_date_time_add_minutes (opened, 30);

          if (!add_event (gen, id, at, operator, "escalate", "first", level, NULL, error))
            return FALSE;
        }
    }

  /* The counters go on from the references handed out. */
  for (guint y = 0; y < 2; y++)
    {
      gint64 ints[] = { y == 1 ? this_year : this_year - 1, per_year[y] };

      if (per_year[y] > 0
          && !run (gen, "INSERT INTO ticket_counters (year, last) VALUES (?1, ?2)", NULL, 0,
                   ints, 2, error))
        return FALSE;
    }
  return TRUE;
}

/* Appointments at the counter on the next working days. */
static gboolean
write_appointments (Gen     *gen,
                    GError **error)
{
  for (guint i = 0; i < 24; i++)
    {
      char **debtor = g_ptr_array_index (gen->debtors, rnd (gen, 0, gen->debtors->len - 1));
      g_autoptr(GDateTime) day = g_date_time_add_days (gen->now, 1 + (gint) (i / 4));
      g_autoptr(GDateTime) start = NULL;
      g_autofree char *id = next_id (gen, "appointment");
      g_autofree char *at = NULL;
      const char *subject = i % 3 == 0 ? _("Signing the instalment plan")
                            : i % 3 == 1 ? _("Review of the dossier")
                                         : _("Documents for the write-down request");
      gint year, month, dom;

      if (g_date_time_get_day_of_week (day) >= 6)
        continue;
      g_date_time_get_ymd (day, &year, &month, &dom);
      /* Four slots a day, half an hour each, from 08:00 UTC. */
      start = g_date_time_new_utc (year, month, dom, 8 + (gint) (i % 4) / 2,
                                   (gint) (i % 2) * 30, 0);
      at = iso (start);
      {
        const char *texts[] = {
          id, debtor[0], debtor[1], pick (gen, gen->officers), at, subject,
        };
        gint64 ints[] = { 30 };

        if (!run (gen, "INSERT INTO appointments (id, debtor_id, office_id, user_id, "
                       "starts_at, channel, subject, minutes) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, 'counter', ?6, ?7)",
                  texts, G_N_ELEMENTS (texts), ints, G_N_ELEMENTS (ints), error))
          return FALSE;
      }
    }
  return TRUE;
}

gboolean
_esa_demo_contact_center (EsaStore    *store,
                          guint64      seed,
                          const GDate *today,
                          GError     **error)
{
  guint32 seed_words[3] = { (guint32) (seed & 0xffffffff), (guint32) (seed >> 32), 7 };
  Gen gen = { 0 };
  gboolean ok = TRUE;

  gen.store = store;
  gen.db = _esa_store_get_db (store);
  gen.seed = seed;
  /* A random sequence of its own, so that the rest of the demo data does not
   * change with this part. */
  gen.rand = g_rand_new_with_seed_array (seed_words, G_N_ELEMENTS (seed_words));
  gen.now = g_date_time_new_utc (g_date_get_year (today), g_date_get_month (today),
                                 g_date_get_day (today), 15, 0, 0);
  gen.parameters = esa_parameters_load_default (NULL);
  gen.debtors = read_column (&gen,
                             "SELECT d.id, d.office_id, b.body_id FROM debtors d "
                             "JOIN (SELECT debtor_id, min(body_id) AS body_id FROM positions "
                             "      GROUP BY debtor_id) b ON b.debtor_id = d.id "
                             "ORDER BY d.num LIMIT 500",
                             3);
  gen.operators = read_column (&gen, "SELECT id FROM users WHERE role = 'contact_operator' "
                                     "ORDER BY id", 1);
  gen.officers = read_column (&gen, "SELECT id FROM users WHERE role = 'officer' ORDER BY id",
                              1);
  gen.bodies = read_column (&gen, "SELECT id, country FROM bodies ORDER BY id", 2);

  if (gen.debtors->len > 0 && gen.operators->len > 0 && gen.officers->len > 0)
    ok = write_cards (&gen, error)
         && write_contacts (&gen, error)
         && write_tickets (&gen, error)
         && write_appointments (&gen, error);

  g_rand_free (gen.rand);
  g_date_time_unref (gen.now);
  g_clear_object (&gen.parameters);
  g_ptr_array_unref (gen.debtors);
  g_ptr_array_unref (gen.operators);
  g_ptr_array_unref (gen.officers);
  g_ptr_array_unref (gen.bodies);
  return ok;
}
