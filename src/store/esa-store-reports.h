#pragma once

#include <glib.h>

#include "esa-store.h"

G_BEGIN_DECLS

/* Accounting reports (issue 6): what was collected, what acts were issued
 * and what became of them, and how old the open balances are. A report is a
 * plain table that every exporter (CSV, XLSX, ODS, PDF, XML) and the
 * workbench show the same way: typed columns, rows, and one totals row per
 * currency. Amounts are minor units; every row holds one currency, and
 * totals are never summed across currencies. */

typedef enum
{
  ESA_REPORT_COLLECTIONS,
  ESA_REPORT_ACTS,
  ESA_REPORT_AGEING,
} EsaReportKind;

/* "collections", "acts", "ageing": the names the CLI takes. */
const char *esa_report_kind_to_string   (EsaReportKind  kind);
gboolean    esa_report_kind_from_string (const char    *name,
                                         EsaReportKind *out);

typedef enum
{
  ESA_REPORT_COLUMN_TEXT,
  ESA_REPORT_COLUMN_COUNT,   /* a whole number */
  ESA_REPORT_COLUMN_AMOUNT,  /* minor units in the row's currency */
} EsaReportColumnType;

typedef struct
{
  char                *id;     /* stable, for machines: "period", "amount" … */
  char                *title;  /* for people, translated */
  EsaReportColumnType  type;
} EsaReportColumn;

/* One row: for a text column its text ("" when the value is missing), for
 * a count or amount column its value. Both arrays have one slot per column. */
typedef struct
{
  guint    n_cells;
  char   **texts;
  gint64  *values;
} EsaReportRow;

/* A series of the report's chart: one value per category. Series with the
 * same unit (a currency code, or NULL for counts) share one panel and one
 * scale; different units are never drawn on the same scale. */
typedef struct
{
  char   *title;   /* translated: "EUR", "Delivered" … */
  char   *unit;    /* currency code, or NULL for counts */
  GArray *values;  /* gint64, one per category */
} EsaReportSeries;

typedef struct
{
  EsaReportKind  kind;
  char          *title;        /* translated: "Collections" … */
  char          *from;         /* "YYYY-MM-DD"; the day the ages count to for ageing */
  char          *to;           /* "YYYY-MM-DD" */
  GPtrArray     *columns;      /* EsaReportColumn */
  GPtrArray     *rows;         /* EsaReportRow */
  GPtrArray     *totals;       /* EsaReportRow: one per currency, by currency code; text
                                * cells empty but the first ("Total") and the currency */
  guint          currency_column;
  /* The chart: categories (months, age bands) and series over them. */
  GPtrArray     *categories;   /* char *, translated where they are words */
  GPtrArray     *series;       /* EsaReportSeries */
} EsaReport;

void        esa_report_free             (EsaReport *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaReport, esa_report_free)

/* The column with @id, or -1. */
gint        esa_report_find_column      (const EsaReport *self,
                                         const char      *id);
/* The totals row of @currency, or NULL when the report has none. */
const EsaReportRow *esa_report_get_total (const EsaReport *self,
                                          const char      *currency);

/* What the collections report is broken down by, besides the currency
 * (always); at least one. */
typedef enum
{
  ESA_REPORT_BY_PERIOD  = 1 << 0,  /* calendar month of payment, "2026-03" */
  ESA_REPORT_BY_BODY    = 1 << 1,  /* creditor body */
  ESA_REPORT_BY_CHAPTER = 1 << 2,  /* budget chapter and resource of the load list */
  ESA_REPORT_BY_REVENUE = 1 << 3,  /* revenue type of the position */
} EsaReportGroups;

#define ESA_REPORT_BY_ALL (ESA_REPORT_BY_PERIOD | ESA_REPORT_BY_BODY | \
                           ESA_REPORT_BY_CHAPTER | ESA_REPORT_BY_REVENUE)

/**
 * esa_store_report_collections:
 * @from: first day "YYYY-MM-DD", inclusive
 * @to: last day "YYYY-MM-DD", inclusive; not before @from
 * @groups: the breakdown
 *
 * The payments received from @from to @to (by date of payment), counted and
 * summed per group and currency. The creditor body is the payment's (or its
 * position's); budget chapter, resource and revenue type come from the
 * position the payment is assigned to and its load list; a payment not yet
 * assigned to a position counts under an empty revenue type and chapter.
 * The chart has one category per month of the period and one series per
 * currency.
 *
 * Returns: (transfer full): the report, or NULL with @error set
 *   (ESA_STORE_ERROR_INVALID for a wrong date or period)
 */
EsaReport  *esa_store_report_collections (EsaStore         *self,
                                          const char       *from,
                                          const char       *to,
                                          EsaReportGroups   groups,
                                          GError          **error);

/**
 * esa_store_report_acts:
 *
 * The acts issued from @from to @to, per month of issue, creditor body, act
 * type and currency: how many, their amount, the outcome of their latest
 * delivery attempt (delivered, failed, still pending or sent, or never
 * sent), and how many were followed by a payment on one of the case's
 * positions on or after the day of issue. The chart counts the acts issued,
 * delivered and failed per month.
 */
EsaReport  *esa_store_report_acts        (EsaStore         *self,
                                          const char       *from,
                                          const char       *to,
                                          GError          **error);

/**
 * esa_store_report_ageing:
 * @as_of: "YYYY-MM-DD": the day the days past due are counted to
 *
 * The open balances (positions open or suspended, balance above zero, as
 * they stand now) per creditor body and currency, by days past due on
 * @as_of: not yet due, 0–90, 91–180, 181–365, over 365. The chart has the
 * age bands as categories and one series per currency. The report's from
 * and to are both @as_of.
 */
EsaReport  *esa_store_report_ageing      (EsaStore         *self,
                                          const char       *as_of,
                                          GError          **error);

G_END_DECLS
