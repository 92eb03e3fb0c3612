#pragma once

#include "esa-store.h"

G_BEGIN_DECLS

/* Load lists (DOMAIN.md "Load list intake"): a creditor body hands over a
 * batch of debts; every row is validated, the whole list is stored in one
 * transaction or not at all, and a responsible officer other than the one
 * who imported it approves it, which opens the cases.
 *
 * The exchange layer reads the file (esa-load-list-reader.h) into
 * EsaLoadListRows and reports what is wrong with the file alone; the store
 * adds what only the database knows (positions already loaded, deceased
 * debtors, ceased companies) to the same EsaLoadListReport. */

/* Why a row was rejected; the stable ids (esa_load_list_reason_to_string())
 * appear in JSON output. */
typedef enum
{
  ESA_LOAD_LIST_REASON_MISSING_COLUMN,    /* "missing_column": not as many fields as the header */
  ESA_LOAD_LIST_REASON_MISSING_VALUE,     /* "missing_value": a required field is empty */
  ESA_LOAD_LIST_REASON_TAX_ID,            /* "tax_id": not a valid tax code or VAT number */
  ESA_LOAD_LIST_REASON_AMOUNT,            /* "amount": missing, malformed, negative, none owed */
  ESA_LOAD_LIST_REASON_DATE,              /* "date": not a date */
  ESA_LOAD_LIST_REASON_YEAR,              /* "year": not a year */
  ESA_LOAD_LIST_REASON_VALUE,             /* "value": another malformed value (a country code) */
  ESA_LOAD_LIST_REASON_DUPLICATE,         /* "duplicate": same debt earlier in the file */
  ESA_LOAD_LIST_REASON_ALREADY_LOADED,    /* "already_loaded": same debt already in the database */
  ESA_LOAD_LIST_REASON_DECEASED_SANCTIONS, /* "deceased_with_sanctions" */
  ESA_LOAD_LIST_REASON_CEASED_NO_PARTNERS, /* "ceased_without_partners" */
  ESA_LOAD_LIST_N_REASONS
} EsaLoadListReason;

const char *esa_load_list_reason_to_string (EsaLoadListReason reason);

/* One problem of one row. */
typedef struct
{
  guint              line;     /* 1-based line of the file where the row starts */
  EsaLoadListReason  reason;
  char              *field;    /* the column concerned ("tax_id"), NULL for the whole row */
  char              *message;  /* translated, without the line ("tax code … has a wrong check
                                * character") */
} EsaLoadListIssue;

void esa_load_list_issue_free (EsaLoadListIssue *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaLoadListIssue, esa_load_list_issue_free)

/* The validation report of one file: how many data rows it had and every
 * problem found, by line once sorted. */
typedef struct
{
  guint      rows;      /* data rows read (the header not counted) */
  GPtrArray *issues;    /* EsaLoadListIssue */
} EsaLoadListReport;

EsaLoadListReport *esa_load_list_report_new      (void);
void               esa_load_list_report_free     (EsaLoadListReport *self);
/* @field: (nullable); @format: the translated sentence */
void               esa_load_list_report_add      (EsaLoadListReport *self,
                                                  guint              line,
                                                  EsaLoadListReason  reason,
                                                  const char        *field,
                                                  const char        *format,
                                                  ...) G_GNUC_PRINTF (5, 6);
/* Orders the issues by line, keeping the order of each line's issues. */
void               esa_load_list_report_sort     (EsaLoadListReport *self);
/* The number of rows with at least one issue. */
guint              esa_load_list_report_count_rejected (EsaLoadListReport *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaLoadListReport, esa_load_list_report_free)

/* One valid row of a load list. The text lives in the EsaLoadListRows that
 * holds the row; absent optional values are NULL. */
typedef struct
{
  guint       line;
  const char *tax_id;        /* normalized */
  const char *tax_id_kind;   /* "cf", "piva", "ahv", "uid" */
  const char *name;
  const char *street;
  const char *postcode;      /* nullable */
  const char *town;
  const char *country;       /* ISO 3166 alpha-2 */
  const char *revenue_type;
  gint        year;
  const char *reference;
  gint64      principal;     /* minor units of the body's currency */
  gint64      sanctions;
  gint64      interest;
  gint64      costs;
  const char *due_date;      /* YYYY-MM-DD */
} EsaLoadListRow;

typedef struct
{
  GArray       *rows;        /* EsaLoadListRow, in file order */
  GStringChunk *strings;     /* the rows' text */
} EsaLoadListRows;

EsaLoadListRows *esa_load_list_rows_new    (void);
void             esa_load_list_rows_free   (EsaLoadListRows *self);
/* Returns: (transfer none): a new zeroed row at the end, valid until the next append */
EsaLoadListRow  *esa_load_list_rows_append (EsaLoadListRows *self);
/* Keeps a copy of @text as long as @self. Returns: (nullable): NULL for NULL */
const char      *esa_load_list_rows_keep   (EsaLoadListRows *self,
                                            const char      *text);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaLoadListRows, esa_load_list_rows_free)

typedef struct
{
  const char *file_name;        /* shown in the summary: the file's base name */
  const char *file_sha256;      /* lower-case hex of the file; a file already imported
                                 * for the body (and not rejected) is refused */
  const char *reference;        /* the list's reference; default: the file name */
  const char *received_on;      /* YYYY-MM-DD; default: today */
  const char *resource;         /* budget resource (risorsa) */
  const char *budget_chapter;   /* budget chapter (capitolo PEG) */
  const char *procedure_id;     /* the procedure of the cases; default: "it-coercive" for
                                 * Italian bodies, "ch-lef" for Swiss ones */
  const char *user_id;          /* the importing user; default: the acting user */
  const char *office_id;        /* the office of new debtors; default: the importing user's
                                 * office when it serves the body, else the body's first
                                 * office by name */
  gboolean    exclude_rejected; /* import the valid rows and keep the report of the others */
} EsaLoadListImportOptions;

/**
 * esa_store_import_load_list:
 * @rows: the rows the reader found valid
 * @report: the reader's report; the checks against the database are added
 *   to it, and it is sorted by line
 *
 * Checks every row against the database (the same debt already loaded for
 * the body, sanctions on a deceased debtor, a ceased company without
 * partners), then in ONE transaction: matches debtors by tax id or creates
 * them (with the row's address, in the office of @options), adds one
 * position per row with a payment reference (a pagoPA notice number from the
 * body's segregation code, or a Swiss QR reference), the load list in state
 * "imported" with its counts and totals, the report of rejected rows, the
 * audit entries, the outbox operations and the search index of every debtor
 * touched.
 *
 * With rejected rows and without @options->exclude_rejected, nothing is
 * stored: ESA_STORE_ERROR_INVALID ("3 rows were rejected …") and the report
 * says which and why. A list without a single valid row is refused too.
 *
 * Returns: (transfer full): the new load list's id, or NULL with @error set
 */
char     *esa_store_import_load_list (EsaStore                        *self,
                                      const char                      *body_id,
                                      EsaLoadListRows                 *rows,
                                      const EsaLoadListImportOptions  *options,
                                      EsaLoadListReport               *report,
                                      GError                         **error);

/* Counts and totals of one revenue type and year. */
typedef struct
{
  char  *revenue_type;
  gint   year;
  guint  positions;
  guint  debtors;
  gint64 principal;
  gint64 sanctions;
  gint64 interest;
  gint64 costs;
  gint64 total;
} EsaLoadListGroup;

void esa_load_list_group_free (EsaLoadListGroup *self);

/* The summary of a load list, as the responsible officer approves it. */
typedef struct
{
  char      *id;
  char      *body_id;
  char      *body_name;
  char      *currency;
  char      *reference;
  char      *file_name;
  char      *file_sha256;
  char      *state;            /* "imported", "approved", "rejected" */
  char      *procedure_id;
  char      *resource;
  char      *budget_chapter;
  char      *received_on;
  char      *imported_at;      /* ISO 8601 UTC */
  char      *imported_by;
  char      *imported_by_name;
  char      *approved_by;      /* also who rejected it */
  char      *approved_by_name;
  char      *approved_on;      /* also the date of the rejection */
  char      *note;             /* the reason of a rejection */
  guint      rows;             /* data rows of the file */
  guint      rejected;         /* rows left out (imported with exclude_rejected) */
  guint      positions;
  guint      debtors;
  guint      new_debtors;
  guint      cases;            /* cases opened by the approval */
  gint64     principal;
  gint64     sanctions;
  gint64     interest;
  gint64     costs;
  gint64     total;
  GPtrArray *groups;           /* EsaLoadListGroup by revenue type and year; NULL in lists */
  GPtrArray *rejections;       /* EsaLoadListIssue by line; NULL in lists */
} EsaLoadList;

void esa_load_list_free (EsaLoadList *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaLoadList, esa_load_list_free)

/* One position of the detail list. */
typedef struct
{
  guint  line;                 /* of the file */
  char  *position_id;
  char  *debtor_id;
  char  *debtor_name;
  char  *tax_id;
  char  *revenue_type;
  gint   year;
  char  *reference;
  char  *payment_reference;
  char  *due_date;
  gint64 principal;
  gint64 sanctions;
  gint64 interest;
  gint64 costs;
} EsaLoadListEntry;

void esa_load_list_entry_free (EsaLoadListEntry *self);

/* Returns: (transfer full): the summary with groups and rejections, or NULL
 *   with ESA_STORE_ERROR_NOT_FOUND */
EsaLoadList *esa_store_get_load_list     (EsaStore    *self,
                                          const char  *id,
                                          GError     **error);
/* @body_id: (nullable): one body's lists, or every list
 * Returns: (transfer container) (element-type EsaLoadList): newest first */
GPtrArray   *esa_store_list_load_lists   (EsaStore    *self,
                                          const char  *body_id,
                                          GError     **error);
/* The positions of a load list in file order, @limit 0 for all.
 * Returns: (transfer container) (element-type EsaLoadListEntry) */
GPtrArray   *esa_store_load_list_detail  (EsaStore    *self,
                                          const char  *id,
                                          guint        limit,
                                          guint        offset,
                                          GError     **error);

/**
 * esa_store_approve_load_list:
 * @user_id: the approving user
 *
 * The responsible officer's approval (visto di esecutività): @user_id must
 * have the role "responsible" in an office that serves the body, and must not
 * be the user who imported the list (four eyes); otherwise
 * ESA_STORE_ERROR_FORBIDDEN says why. In one transaction the list becomes
 * "approved" and one case per debtor is opened for the debtor's positions of
 * the list, in the initial state of the list's procedure (read from
 * esa_data_dir ("procedures")), with its audit entries and outbox commands.
 */
gboolean     esa_store_approve_load_list (EsaStore    *self,
                                          const char  *id,
                                          const char  *user_id,
                                          GError     **error);

/* Rejects a whole list still awaiting approval: a responsible officer of the
 * body (ESA_STORE_ERROR_FORBIDDEN otherwise) gives @reason; the list becomes
 * "rejected" and its positions "cancelled", so that a corrected file can be
 * loaded again. */
gboolean     esa_store_reject_load_list  (EsaStore    *self,
                                          const char  *id,
                                          const char  *user_id,
                                          const char  *reason,
                                          GError     **error);

/* The column mapping saved for a creditor body (the JSON format of
 * help/C/load-lists.page, checked by the exchange layer before it is saved).
 * Saving replaces the body's mapping; it is synced like every row. */
gboolean     esa_store_set_load_list_mapping (EsaStore    *self,
                                              const char  *body_id,
                                              const char  *mapping_json,
                                              GError     **error);
/* Returns: (transfer full) (nullable): the body's mapping, or NULL (without
 *   error) when it has none */
char        *esa_store_get_load_list_mapping (EsaStore    *self,
                                              const char  *body_id,
                                              GError     **error);

G_END_DECLS
