/* esa-store-reports.c: accounting reports (collections, acts, ageing)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "esa-date.h"
#include "esa-money.h"
#include "esa-store-private.h"
#include "esa-store-reports.h"

static const char * const kind_names[] = { "collections", "acts", "ageing" };

/* ---- the report table --------------------------------------------------- */

static void
column_free (EsaReportColumn *column)
{
  g_free (column->id);
  g_free (column->title);
  g_free (column);
}

static void
row_free (EsaReportRow *row)
{
  for (guint i = 0; i < row->n_cells; i++)
    g_free (row->texts[i]);
  g_free (row->texts);
  g_free (row->values);
  g_free (row);
}

static void
series_free (EsaReportSeries *series)
{
  g_free (series->title);
  g_free (series->unit);
  g_array_unref (series->values);
  g_free (series);
}

void
esa_report_free (EsaReport *self)
{
  if (self == NULL)
    return;

  g_free (self->title);
  g_free (self->from);
  g_free (self->to);
  g_ptr_array_unref (self->columns);
  g_ptr_array_unref (self->rows);
  g_ptr_array_unref (self->totals);
  g_ptr_array_unref (self->categories);
  g_ptr_array_unref (self->series);
  g_free (self);
}

const char *
esa_report_kind_to_string (EsaReportKind kind)
{
  g_return_val_if_fail (kind <= ESA_REPORT_AGEING, NULL);

  return kind_names[kind];
}

gboolean
esa_report_kind_from_string (const char    *name,
                             EsaReportKind *out)
{
  guint i;

  if (!_esa_store_name_index (kind_names, G_N_ELEMENTS (kind_names), name, &i))
    return FALSE;
  *out = (EsaReportKind) i;
  return TRUE;
}

gint
esa_report_find_column (const EsaReport *self,
                        const char      *id)
{
  for (guint i = 0; i < self->columns->len; i++)
    {
      const EsaReportColumn *column = g_ptr_array_index (self->columns, i);

      if (g_strcmp0 (column->id, id) == 0)
        return (gint) i;
    }
  return -1;
}

const EsaReportRow *
esa_report_get_total (const EsaReport *self,
                      const char      *currency)
{
  for (guint i = 0; i < self->totals->len; i++)
    {
      const EsaReportRow *row = g_ptr_array_index (self->totals, i);

      if (g_strcmp0 (row->texts[self->currency_column], currency) == 0)
        return row;
    }
  return NULL;
}

static EsaReport *
report_new (EsaReportKind  kind,
            const char    *title,
            const char    *from,
            const char    *to)
{
  EsaReport *report = g_new0 (EsaReport, 1);

  report->kind = kind;
  report->title = g_strdup (title);
  report->from = g_strdup (from);
  report->to = g_strdup (to);
  report->columns = g_ptr_array_new_with_free_func ((GDestroyNotify) column_free);
  report->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  report->totals = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  report->categories = g_ptr_array_new_with_free_func (g_free);
  report->series = g_ptr_array_new_with_free_func ((GDestroyNotify) series_free);
  return report;
}

static guint
add_column (EsaReport           *report,
            const char          *id,
            const char          *title,
            EsaReportColumnType  type)
{
  EsaReportColumn *column = g_new0 (EsaReportColumn, 1);

  column->id = g_strdup (id);
  column->title = g_strdup (title);
  column->type = type;
  g_ptr_array_add (report->columns, column);
  if (g_str_equal (id, "currency"))
    report->currency_column = report->columns->len - 1;
  return report->columns->len - 1;
}

static EsaReportRow *
row_new (const EsaReport *report)
{
  EsaReportRow *row = g_new0 (EsaReportRow, 1);

  row->n_cells = report->columns->len;
  row->texts = g_new0 (char *, row->n_cells);
  row->values = g_new0 (gint64, row->n_cells);
  for (guint i = 0; i < row->n_cells; i++)
    {
      const EsaReportColumn *column = g_ptr_array_index (report->columns, i);

      if (column->type == ESA_REPORT_COLUMN_TEXT)
        row->texts[i] = g_strdup ("");
    }
  return row;
}

static void
row_set_text (EsaReportRow *row,
              guint         column,
              const char   *text)
{
  g_free (row->texts[column]);
  row->texts[column] = g_strdup (text != NULL ? text : "");
}

static gint
compare_totals (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  const EsaReportRow *ra = *(EsaReportRow * const *) a;
  const EsaReportRow *rb = *(EsaReportRow * const *) b;
  guint column = GPOINTER_TO_UINT (user_data);

  return strcmp (ra->texts[column], rb->texts[column]);
}

/* One totals row per currency: every count and amount column summed. */
static gboolean
compute_totals (EsaReport  *report,
                GError    **error)
{
  g_autoptr(GHashTable) by_currency = g_hash_table_new (g_str_hash, g_str_equal);
  guint currency = report->currency_column;

  for (guint r = 0; r < report->rows->len; r++)
    {
      const EsaReportRow *row = g_ptr_array_index (report->rows, r);
      EsaReportRow *total = g_hash_table_lookup (by_currency, row->texts[currency]);

      if (total == NULL)
        {
          total = row_new (report);
          if (currency != 0)
            row_set_text (total, 0, _("Total"));
          row_set_text (total, currency, row->texts[currency]);
          g_ptr_array_add (report->totals, total);
          g_hash_table_insert (by_currency, total->texts[currency], total);
        }
      for (guint c = 0; c < row->n_cells; c++)
        {
          const EsaReportColumn *column = g_ptr_array_index (report->columns, c);

          if (column->type == ESA_REPORT_COLUMN_TEXT)
            continue;
          if (!esa_money_add (total->values[c], row->values[c], &total->values[c]))
            {
              g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID,
                           _("The total of “%s” in %s is too large"), column->title,
                           row->texts[currency]);
              return FALSE;
            }
        }
    }
  g_ptr_array_sort_with_data (report->totals, compare_totals, GUINT_TO_POINTER (currency));
  return TRUE;
}

static EsaReportSeries *
add_series (EsaReport  *report,
            const char *title,
            const char *unit)
{
  EsaReportSeries *series = g_new0 (EsaReportSeries, 1);

  series->title = g_strdup (title);
  series->unit = g_strdup (unit);
  series->values = g_array_sized_new (FALSE, TRUE, sizeof (gint64), report->categories->len);
  g_array_set_size (series->values, report->categories->len);
  g_ptr_array_add (report->series, series);
  return series;
}

static EsaReportSeries *
find_series (EsaReport  *report,
             const char *title,
             const char *unit)
{
  for (guint i = 0; i < report->series->len; i++)
    {
      EsaReportSeries *series = g_ptr_array_index (report->series, i);

      if (g_strcmp0 (series->title, title) == 0)
        return series;
    }
  return add_series (report, title, unit);
}

/* ---- periods ------------------------------------------------------------ */

static gboolean
parse_day (const char  *text,
           const char  *what,
           GDate       *out,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (text == NULL || !esa_date_parse_iso (text, out, &local_error))
    {
      g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID, _("The %s date: %s"), what,
                   local_error != NULL ? local_error->message : _("missing"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_period (const char  *from,
              const char  *to,
              GDate       *out_from,
              GDate       *out_to,
              GError     **error)
{
  /* Translators: completes "The %s date: …" */
  if (!parse_day (from, _("start"), out_from, error) ||
      /* Translators: completes "The %s date: …" */
      !parse_day (to, _("end"), out_to, error))
    return FALSE;
  if (g_date_compare (out_from, out_to) > 0)
    {
      g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID,
                   _("The period ends (%s) before it starts (%s)"), to, from);
      return FALSE;
    }
  return TRUE;
}

/* "YYYY-MM" for every month from @from to @to, in order. */
static void
add_month_categories (EsaReport   *report,
                      const GDate *from,
                      const GDate *to)
{
  guint year = g_date_get_year (from);
  guint month = g_date_get_month (from);
  guint last = g_date_get_year (to) * 12 + g_date_get_month (to);

  while (year * 12 + month <= last)
    {
      g_ptr_array_add (report->categories, g_strdup_printf ("%04u-%02u", year, month));
      if (++month > 12)
        {
          month = 1;
          year++;
        }
    }
}

static gint
find_category (const EsaReport *report,
               const char      *name)
{
  for (guint i = 0; i < report->categories->len; i++)
    if (g_strcmp0 (g_ptr_array_index (report->categories, i), name) == 0)
      return (gint) i;
  return -1;
}

static const char *
column_text (EsaStoreStmt *stmt,
             int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text != NULL ? text : "";
}

/* ---- collections -------------------------------------------------------- */

/* The money collected, in parts: each allocation of an applied payment to a
 * position (esa-store-payments.c), what an applied payment left unallocated
 * (a credit: it counts, under no position), a payment recorded on a
 * position without allocations (before reconciliation existed) whole, and
 * unmatched or parked payments whole, under no position. Revoked payments
 * (pagoPA outcome 3) and those of a replaced flow are not money received:
 * the flow that replaced them reports it. Payments count by their date. */
#define COLLECTIONS_FROM \
  "FROM (SELECT pm.id AS payment_id, pm.paid_on, pm.currency, pm.body_id, " \
  "        a.position_id, a.amount " \
  "      FROM payments pm JOIN payment_allocations a ON a.payment_id = pm.id " \
  "      WHERE pm.state = 'applied' AND pm.paid_on BETWEEN ?1 AND ?2 " \
  "      UNION ALL " \
  "      SELECT pm.id, pm.paid_on, pm.currency, pm.body_id, " \
  "        CASE WHEN al.n IS NULL THEN pm.position_id END, " \
  "        pm.amount - COALESCE (al.total, 0) " \
  "      FROM payments pm " \
  "        LEFT JOIN (SELECT payment_id, count(*) AS n, sum (amount) AS total " \
  "                   FROM payment_allocations GROUP BY payment_id) al " \
  "          ON al.payment_id = pm.id " \
  "      WHERE pm.state IN ('applied', 'unmatched', 'parked') " \
  "        AND pm.paid_on BETWEEN ?1 AND ?2) pm " \
  "  LEFT JOIN positions po ON po.id = pm.position_id " \
  "  LEFT JOIN load_lists ll ON ll.id = po.load_list_id " \
  "  LEFT JOIN bodies b ON b.id = COALESCE (po.body_id, pm.body_id) " \
  "WHERE pm.amount <> 0 "

EsaReport *
esa_store_report_collections (EsaStore         *self,
                              const char       *from,
                              const char       *to,
                              EsaReportGroups   groups,
                              GError          **error)
{
  g_autoptr(EsaReport) report = NULL;
  g_autoptr(GString) sql = NULL;
  g_autoptr(EsaStoreStmt) stmt = NULL;
  GDate from_date, to_date;
  gint period_col = -1, body_col = -1, chapter_col = -1, resource_col = -1, revenue_col = -1;
  guint currency_col, count_col, amount_col;
  gboolean row;
  gboolean ok;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);

  if (!check_period (from, to, &from_date, &to_date, error))
    return NULL;
  if ((groups & ESA_REPORT_BY_ALL) == 0)
    {
      g_set_error_literal (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID,
                           _("The collections report needs at least one breakdown"));
      return NULL;
    }

  report = report_new (ESA_REPORT_COLLECTIONS, _("Collections"), from, to);
  if (groups & ESA_REPORT_BY_PERIOD)
    period_col = add_column (report, "period", _("Month"), ESA_REPORT_COLUMN_TEXT);
  if (groups & ESA_REPORT_BY_BODY)
    body_col = add_column (report, "body", _("Creditor body"), ESA_REPORT_COLUMN_TEXT);
  if (groups & ESA_REPORT_BY_CHAPTER)
    {
      chapter_col = add_column (report, "budget_chapter", _("Budget chapter"),
                                ESA_REPORT_COLUMN_TEXT);
      resource_col = add_column (report, "resource", _("Resource"), ESA_REPORT_COLUMN_TEXT);
    }
  if (groups & ESA_REPORT_BY_REVENUE)
    revenue_col = add_column (report, "revenue_type", _("Revenue type"), ESA_REPORT_COLUMN_TEXT);
  currency_col = add_column (report, "currency", _("Currency"), ESA_REPORT_COLUMN_TEXT);
  count_col = add_column (report, "payments", _("Payments"), ESA_REPORT_COLUMN_COUNT);
  amount_col = add_column (report, "amount", _("Amount"), ESA_REPORT_COLUMN_AMOUNT);

  /* The same eight result columns whatever the breakdown: a group left out
   * is a constant, so that the statement cache holds one text per
   * combination. */
  sql = g_string_new ("SELECT ");
  g_string_append (sql, groups & ESA_REPORT_BY_PERIOD ? "substr (pm.paid_on, 1, 7), " : "'', ");
  g_string_append (sql, groups & ESA_REPORT_BY_BODY ? "b.name, " : "'', ");
  g_string_append (sql, groups & ESA_REPORT_BY_CHAPTER
                   ? "COALESCE (ll.budget_chapter, ''), COALESCE (ll.resource, ''), "
                   : "'', '', ");
  g_string_append (sql, groups & ESA_REPORT_BY_REVENUE ? "COALESCE (po.revenue_type, ''), "
                                                       : "'', ");
  g_string_append (sql, "pm.currency, count (DISTINCT pm.payment_id), sum (pm.amount) "
                   COLLECTIONS_FROM "GROUP BY ");
  if (groups & ESA_REPORT_BY_PERIOD)
    g_string_append (sql, "1, ");
  if (groups & ESA_REPORT_BY_BODY)
    g_string_append (sql, "b.id, ");
  if (groups & ESA_REPORT_BY_CHAPTER)
    g_string_append (sql, "3, 4, ");
  if (groups & ESA_REPORT_BY_REVENUE)
    g_string_append (sql, "5, ");
  g_string_append (sql, "6 ORDER BY 1, 2, 3, 4, 5, 6");

  stmt = _esa_store_prepare (self, sql->str, error);
  if (stmt == NULL)
    return NULL;
  _esa_stmt_bind_text (stmt, 1, from);
  _esa_stmt_bind_text (stmt, 2, to);
  while ((ok = _esa_store_step (self, stmt, &row, error)) && row)
    {
      EsaReportRow *r = row_new (report);

      if (period_col >= 0)
        row_set_text (r, period_col, column_text (stmt, 0));
      if (body_col >= 0)
        row_set_text (r, body_col, column_text (stmt, 1));
      if (chapter_col >= 0)
        {
          row_set_text (r, chapter_col, column_text (stmt, 2));
          row_set_text (r, resource_col, column_text (stmt, 3));
        }
      if (revenue_col >= 0)
        row_set_text (r, revenue_col, column_text (stmt, 4));
      row_set_text (r, currency_col, column_text (stmt, 5));
      r->values[count_col] = sqlite3_column_int64 (stmt, 6);
      r->values[amount_col] = sqlite3_column_int64 (stmt, 7);
      g_ptr_array_add (report->rows, r);
    }
  if (!ok)
    return NULL;
  g_clear_pointer (&stmt, _esa_store_stmt_release);

  /* The chart: what came in each month, one series per currency. */
  add_month_categories (report, &from_date, &to_date);
  stmt = _esa_store_prepare (self,
                             "SELECT substr (pm.paid_on, 1, 7), pm.currency, sum (pm.amount) "
                             COLLECTIONS_FROM "GROUP BY 1, 2 ORDER BY 2, 1",
                             error);
  if (stmt == NULL)
    return NULL;
  _esa_stmt_bind_text (stmt, 1, from);
  _esa_stmt_bind_text (stmt, 2, to);
  while ((ok = _esa_store_step (self, stmt, &row, error)) && row)
    {
      const char *currency = column_text (stmt, 1);
      EsaReportSeries *series = find_series (report, currency, currency);
      gint category = find_category (report, column_text (stmt, 0));

      if (category >= 0)
        g_array_index (series->values, gint64, category) = sqlite3_column_int64 (stmt, 2);
    }
  if (!ok)
    return NULL;

  if (!compute_totals (report, error))
    return NULL;
  return g_steal_pointer (&report);
}

/* ---- acts --------------------------------------------------------------- */

EsaReport *
esa_store_report_acts (EsaStore    *self,
                       const char  *from,
                       const char  *to,
                       GError     **error)
{
  g_autoptr(EsaReport) report = NULL;
  g_autoptr(EsaStoreStmt) stmt = NULL;
  EsaReportSeries *issued_series, *delivered_series, *failed_series;
  GDate from_date, to_date;
  gboolean row;
  gboolean ok;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);

  if (!check_period (from, to, &from_date, &to_date, error))
    return NULL;

  report = report_new (ESA_REPORT_ACTS, _("Acts and their outcome"), from, to);
  add_column (report, "period", _("Month"), ESA_REPORT_COLUMN_TEXT);
  add_column (report, "body", _("Creditor body"), ESA_REPORT_COLUMN_TEXT);
  add_column (report, "act_type", _("Act type"), ESA_REPORT_COLUMN_TEXT);
  add_column (report, "currency", _("Currency"), ESA_REPORT_COLUMN_TEXT);
  add_column (report, "issued", _("Issued"), ESA_REPORT_COLUMN_COUNT);
  add_column (report, "amount", _("Amount"), ESA_REPORT_COLUMN_AMOUNT);
  add_column (report, "delivered", _("Delivered"), ESA_REPORT_COLUMN_COUNT);
  add_column (report, "failed", _("Delivery failed"), ESA_REPORT_COLUMN_COUNT);
  add_column (report, "pending", _("Pending or sent"), ESA_REPORT_COLUMN_COUNT);
  add_column (report, "not_sent", _("Not sent"), ESA_REPORT_COLUMN_COUNT);
  add_column (report, "paid_after", _("Paid after the act"), ESA_REPORT_COLUMN_COUNT);

  add_month_categories (report, &from_date, &to_date);
  issued_series = add_series (report, _("Issued"), NULL);
  delivered_series = add_series (report, _("Delivered"), NULL);
  failed_series = add_series (report, _("Delivery failed"), NULL);

  /* The outcome of an act is that of its latest delivery attempt. */
  stmt = _esa_store_prepare (self,
                             "SELECT substr (a.issued_on, 1, 7), b.name, a.type, b.currency, "
                             "  count(*), sum (a.amount), "
                             "  sum (n.state = 'delivered'), sum (n.state = 'failed'), "
                             "  sum (n.state IN ('pending', 'sent')), sum (n.state IS NULL), "
                             "  sum (EXISTS (SELECT 1 FROM case_positions cp "
                             "                 JOIN payments pm ON pm.position_id = cp.position_id "
                             "               WHERE cp.case_id = a.case_id AND pm.state = 'applied' "
                             "                 AND pm.paid_on >= a.issued_on)) "
                             "FROM acts a "
                             "  JOIN cases c ON c.id = a.case_id "
                             "  JOIN bodies b ON b.id = c.body_id "
                             "  LEFT JOIN notifications n ON n.act_id = a.id AND n.attempt = "
                             "    (SELECT max (attempt) FROM notifications WHERE act_id = a.id) "
                             "WHERE a.issued_on BETWEEN ?1 AND ?2 "
                             "GROUP BY 1, b.id, a.type, b.currency "
                             "ORDER BY 1, 2, 3, 4",
                             error);
  if (stmt == NULL)
    return NULL;
  _esa_stmt_bind_text (stmt, 1, from);
  _esa_stmt_bind_text (stmt, 2, to);
  while ((ok = _esa_store_step (self, stmt, &row, error)) && row)
    {
      EsaReportRow *r = row_new (report);
      gint category = find_category (report, column_text (stmt, 0));

      for (guint c = 0; c < 4; c++)
        row_set_text (r, c, column_text (stmt, (int) c));
      for (guint c = 4; c < r->n_cells; c++)
        r->values[c] = sqlite3_column_int64 (stmt, (int) c);
      g_ptr_array_add (report->rows, r);

      if (category >= 0)
        {
          g_array_index (issued_series->values, gint64, category) += r->values[4];
          g_array_index (delivered_series->values, gint64, category) += r->values[6];
          g_array_index (failed_series->values, gint64, category) += r->values[7];
        }
    }
  if (!ok)
    return NULL;

  if (!compute_totals (report, error))
    return NULL;
  return g_steal_pointer (&report);
}

/* ---- ageing ------------------------------------------------------------- */

enum
{
  BAND_NOT_DUE,
  BAND_90,
  BAND_180,
  BAND_365,
  BAND_OLDER,
  N_BANDS
};

EsaReport *
esa_store_report_ageing (EsaStore    *self,
                         const char  *as_of,
                         GError     **error)
{
  static const struct
  {
    const char *id;
    const char *title;
  } bands[N_BANDS] = {
    { "not_due", N_("Not yet due") },
    /* Translators: days past due */
    { "days_0_90", N_("0–90 days") },
    /* Translators: days past due */
    { "days_91_180", N_("91–180 days") },
    /* Translators: days past due */
    { "days_181_365", N_("181–365 days") },
    /* Translators: days past due */
    { "days_over_365", N_("Over 365 days") },
  };
  g_autoptr(EsaReport) report = NULL;
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autoptr(GHashTable) rows = NULL;
  GDate day;
  guint first_band, positions_col, total_col;
  gboolean row;
  gboolean ok;

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);

  /* Translators: completes "The %s date: …" */
  if (!parse_day (as_of, _("reference"), &day, error))
    return NULL;

  report = report_new (ESA_REPORT_AGEING, _("Ageing of open balances"), as_of, as_of);
  add_column (report, "body", _("Creditor body"), ESA_REPORT_COLUMN_TEXT);
  add_column (report, "currency", _("Currency"), ESA_REPORT_COLUMN_TEXT);
  positions_col = add_column (report, "positions", _("Open positions"), ESA_REPORT_COLUMN_COUNT);
  first_band = report->columns->len;
  for (guint i = 0; i < N_BANDS; i++)
    add_column (report, bands[i].id, _(bands[i].title), ESA_REPORT_COLUMN_AMOUNT);
  total_col = add_column (report, "balance", _("Open balance"), ESA_REPORT_COLUMN_AMOUNT);

  /* The chart's axis is narrower than the table: short names there. */
  g_ptr_array_add (report->categories, g_strdup (_("Not yet due")));
  /* Translators: days past due, under a bar of the ageing chart */
  g_ptr_array_add (report->categories, g_strdup (_("0–90")));
  /* Translators: days past due, under a bar of the ageing chart */
  g_ptr_array_add (report->categories, g_strdup (_("91–180")));
  /* Translators: days past due, under a bar of the ageing chart */
  g_ptr_array_add (report->categories, g_strdup (_("181–365")));
  /* Translators: days past due, under a bar of the ageing chart */
  g_ptr_array_add (report->categories, g_strdup (_("> 365")));

  /* Days past due = the reference day minus the due date. */
  stmt = _esa_store_prepare (self,
                             "SELECT b.id, b.name, po.currency, "
                             "  CASE WHEN d < 0 THEN 0 WHEN d <= 90 THEN 1 WHEN d <= 180 THEN 2 "
                             "       WHEN d <= 365 THEN 3 ELSE 4 END, "
                             "  count(*), sum (bal) "
                             "FROM (SELECT body_id, currency, "
                             "        CAST (julianday (?1) - julianday (due_date) AS INTEGER) AS d, "
                             "        principal + sanctions + interest + costs - paid AS bal "
                             "      FROM positions WHERE state IN ('open', 'suspended')) po "
                             "  JOIN bodies b ON b.id = po.body_id "
                             "WHERE po.bal > 0 "
                             "GROUP BY 1, 3, 4 ORDER BY 2, 1, 3, 4",
                             error);
  if (stmt == NULL)
    return NULL;
  _esa_stmt_bind_text (stmt, 1, as_of);
  rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  while ((ok = _esa_store_step (self, stmt, &row, error)) && row)
    {
      g_autofree char *key = g_strdup_printf ("%s\n%s", column_text (stmt, 0),
                                              column_text (stmt, 2));
      EsaReportRow *r = g_hash_table_lookup (rows, key);
      gint band = sqlite3_column_int (stmt, 3);
      gint64 balance = sqlite3_column_int64 (stmt, 5);
      EsaReportSeries *series;

      if (r == NULL)
        {
          r = row_new (report);
          row_set_text (r, 0, column_text (stmt, 1));
          row_set_text (r, 1, column_text (stmt, 2));
          g_ptr_array_add (report->rows, r);
          g_hash_table_insert (rows, g_steal_pointer (&key), r);
        }
      r->values[positions_col] += sqlite3_column_int64 (stmt, 4);
      r->values[first_band + band] += balance;
      r->values[total_col] += balance;

      series = find_series (report, column_text (stmt, 2), column_text (stmt, 2));
      g_array_index (series->values, gint64, band) += balance;
    }
  if (!ok)
    return NULL;

  if (!compute_totals (report, error))
    return NULL;
  return g_steal_pointer (&report);
}
