#pragma once

#include <glib-object.h>

#include "esa-calendar.h"
#include "esa-case-context.h"
#include "esa-parameters.h"

G_BEGIN_DECLS

/* A procedure is data (DESIGN.md, "Procedures are data"): a JSON file under
 * data/procedures/ with states, actions, the guards that allow or block each
 * action, the deadlines an action starts, the documents it produces and the
 * fields its wizard asks for. The format is described in
 * help/C/procedure-format.page.
 *
 * Loading validates the whole file and reports every problem with the file
 * name and the JSON path ("ch-lef.json: $.actions[3].guards[0].after:
 * unknown field “served_onn”"). A loaded procedure answers, for a case
 * described by an EsaCaseContext, which actions are available, which are
 * blocked and why (a sentence: "continuation possible from 14 March 2027:
 * 20 days after service"), and when each deadline falls.
 *
 * Everything below is read-only data owned by the procedure. Labels and
 * sentences are English in the files and are translated when shown: pass
 * them through esa_procedure_gettext(). Every such string of the shipped
 * files is listed for xgettext in esa-procedure-strings.c (a test keeps the
 * list complete). */

/* The target of an action that returns the case to the state it was in
 * before the current one (resuming after a suspension). */
#define ESA_STATE_PREVIOUS "@previous"

typedef struct
{
  char     *id;
  char     *label;
  gboolean  initial;      /* a case can start here */
  gboolean  final;        /* the case is closed here */
} EsaState;

typedef enum
{
  ESA_FIELD_DATE,
  ESA_FIELD_AMOUNT,       /* minor units of the case's currency */
  ESA_FIELD_COUNT,        /* a whole number */
  ESA_FIELD_TEXT,
  ESA_FIELD_CHOICE,       /* one of @choices */
  ESA_FIELD_BOOL,
  ESA_FIELD_ITEMS,        /* a list of rows, each with the fields @items */
  ESA_FIELD_USER,         /* a user id */
} EsaFieldType;

/* An option of a choice field; also a flag (id and label). */
typedef struct
{
  char *id;
  char *label;
} EsaChoice;

typedef struct _EsaField EsaField;
struct _EsaField
{
  char         *id;
  EsaFieldType  type;
  char         *label;
  gboolean      required;
  GPtrArray    *choices;  /* of EsaChoice, for ESA_FIELD_CHOICE; else NULL */
  GPtrArray    *items;    /* of EsaField, for ESA_FIELD_ITEMS; else NULL */
};

typedef enum
{
  ESA_PERIOD_DAYS,
  ESA_PERIOD_MONTHS,
} EsaPeriodUnit;

/* A length of time counted from a date. */
typedef struct
{
  EsaPeriodUnit  unit;
  guint          count;     /* used when @param is NULL */
  char          *param;     /* a parameter table holding the count, or NULL */
  EsaCounting    counting;
  char          *calendar;  /* a calendar id; NULL: the procedure's */
} EsaPeriod;

/* A deadline an action starts. */
typedef struct
{
  char      *id;
  char      *label;
  char      *from_field;   /* the date field it runs from */
  EsaPeriod  period;
} EsaDeadline;

/* An act type (a kind of document: "injunction", "payment_order") that
 * actions produce. */
typedef struct
{
  char *id;
  char *label;
} EsaActType;

/* Opaque: a condition and the sentence that explains it when it blocks. */
typedef struct _EsaGuard EsaGuard;

typedef struct
{
  char       *id;
  char       *label;
  char       *description;  /* a sentence for the wizard, or NULL */
  char      **from;         /* the states it can run in */
  char       *to;           /* the state it leads to; NULL: the case stays
                             * where it is; ESA_STATE_PREVIOUS */
  GPtrArray  *fields;       /* of EsaField: what its wizard asks */
  GPtrArray  *guards;       /* of EsaGuard */
  GPtrArray  *starts;       /* of EsaDeadline */
  char      **produces;     /* act type ids */
} EsaAction;

#define ESA_TYPE_PROCEDURE (esa_procedure_get_type ())
G_DECLARE_FINAL_TYPE (EsaProcedure, esa_procedure, ESA, PROCEDURE, GObject)

/**
 * esa_procedure_load_file:
 * @params: (nullable): when given, every parameter table and calendar the
 *   file names must exist in it (and have the right unit)
 * @error: ESA_CORE_ERROR_PARSE for a file that is not JSON (naming the
 *   file, line, column and path), ESA_CORE_ERROR_INVALID listing every
 *   problem, one a line, each as "FILE: PATH: what is wrong"
 *
 * Returns: (transfer full) (nullable): the procedure
 */
EsaProcedure      *esa_procedure_load_file        (const char      *path,
                                                   EsaParameters   *params,
                                                   GError         **error);

/* Returns: (transfer full) (nullable): the procedures of every *.json in
 *   @dir, in file name order (of EsaProcedure); an error when one fails or
 *   two have the same id. */
GPtrArray         *esa_procedure_load_dir         (const char      *dir,
                                                   EsaParameters   *params,
                                                   GError         **error);

/* Returns: (transfer none) (nullable): the procedure @id in @procedures. */
EsaProcedure      *esa_procedure_list_find        (GPtrArray       *procedures,
                                                   const char      *id);

const char        *esa_procedure_get_id           (EsaProcedure    *self);
guint              esa_procedure_get_version      (EsaProcedure    *self);
/* "IT", "CH" */
const char        *esa_procedure_get_jurisdiction (EsaProcedure    *self);
const char        *esa_procedure_get_title        (EsaProcedure    *self);
/* The calendar deadlines use unless they name another. */
const char        *esa_procedure_get_calendar     (EsaProcedure    *self);

/* Returns: (transfer none) (element-type EsaState) */
GPtrArray         *esa_procedure_get_states       (EsaProcedure    *self);
/* Returns: (transfer none) (element-type EsaAction) */
GPtrArray         *esa_procedure_get_actions      (EsaProcedure    *self);
/* Returns: (transfer none) (element-type EsaActType) */
GPtrArray         *esa_procedure_get_act_types    (EsaProcedure    *self);
/* The facts a case supplies rather than a wizard (balance, imported_by).
 * Returns: (transfer none) (element-type EsaField) */
GPtrArray         *esa_procedure_get_facts        (EsaProcedure    *self);
/* Returns: (transfer none) (element-type EsaChoice) */
GPtrArray         *esa_procedure_get_flags        (EsaProcedure    *self);

const EsaState    *esa_procedure_find_state       (EsaProcedure    *self,
                                                   const char      *id);
const EsaAction   *esa_procedure_find_action      (EsaProcedure    *self,
                                                   const char      *id);
/* A fact or a field of any action. */
const EsaField    *esa_procedure_find_field       (EsaProcedure    *self,
                                                   const char      *id);
const EsaDeadline *esa_procedure_find_deadline    (EsaProcedure    *self,
                                                   const char      *id);
const EsaActType *esa_procedure_find_act_type    (EsaProcedure    *self,
                                                   const char      *id);

/* The answer for one action. */
typedef struct
{
  const EsaAction *action;      /* owned by the procedure */
  gboolean         available;
  char            *to_state;    /* where it takes the case; NULL: it stays */
  char            *reason;      /* why not, translated and filled in (the
                                 * first blocking guard); NULL when available */
  GStrv            reasons;     /* every blocking guard's sentence */
  GDate            available_from; /* when only the passing of time blocks it:
                                    * the day it becomes available; else invalid */
} EsaActionStatus;

void               esa_action_status_free         (EsaActionStatus *status);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaActionStatus, esa_action_status_free)

/**
 * esa_procedure_evaluate:
 * @context: the case; its state must be one of the procedure's
 * @error: ESA_CORE_ERROR_INVALID for an unknown state, a parameter table or
 *   calendar that is missing or has no value for the date
 *
 * Every action that can run in the case's state, in file order, available
 * or blocked with the reasons.
 *
 * Returns: (transfer full) (element-type EsaActionStatus) (nullable)
 */
GPtrArray         *esa_procedure_evaluate         (EsaProcedure    *self,
                                                   EsaCaseContext  *context,
                                                   GError         **error);

/**
 * esa_procedure_evaluate_action:
 *
 * The status of one action, also when the case's state does not allow it
 * (then blocked, saying so): what a server re-checks for a command.
 *
 * Returns: (transfer full) (nullable)
 */
EsaActionStatus   *esa_procedure_evaluate_action  (EsaProcedure    *self,
                                                   const char      *action_id,
                                                   EsaCaseContext  *context,
                                                   GError         **error);

/**
 * esa_procedure_deadline_due:
 * @out_due: (out caller-allocates): the last day of the deadline
 * @error: ESA_CORE_ERROR_INVALID when the context has no date for the
 *   deadline's field, or a parameter or calendar is missing
 *
 * When @deadline, started by an action, falls for the case: its period
 * counted from the context's date of its field, in its calendar for the
 * context's body.
 */
gboolean           esa_procedure_deadline_due     (EsaProcedure      *self,
                                                   const EsaDeadline *deadline,
                                                   EsaCaseContext    *context,
                                                   GDate             *out_due,
                                                   GError           **error);

/**
 * esa_procedure_period_end:
 *
 * The last day of @period counted from @start, for the context's body
 * (parameters looked up on @start).
 */
gboolean           esa_procedure_period_end       (EsaProcedure      *self,
                                                   const EsaPeriod   *period,
                                                   const GDate       *start,
                                                   EsaCaseContext    *context,
                                                   GDate             *out_end,
                                                   GError           **error);

/* A label or sentence of a procedure or calendar file in the user's language. */
const char        *esa_procedure_gettext          (const char      *msgid);

/* Returns: (transfer full): a date as reasons show it: "14 March 2027". */
char              *esa_procedure_format_date      (const GDate     *date);

G_END_DECLS
