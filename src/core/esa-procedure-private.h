#pragma once

#include "esa-procedure.h"
#include "esa-json-private.h"

G_BEGIN_DECLS

typedef enum
{
  ESA_GUARD_AFTER,            /* today on or after a date field + period */
  ESA_GUARD_BEFORE,           /* today on or before a date field + period */
  ESA_GUARD_DEADLINE_PASSED,  /* today after a deadline's last day */
  ESA_GUARD_DEADLINE_OPEN,    /* today on or before a deadline's last day */
  ESA_GUARD_STATE,            /* the case is in one of the states */
  ESA_GUARD_NOT_STATE,        /* the case is in none of the states */
  ESA_GUARD_AMOUNT,           /* an amount within bounds */
  ESA_GUARD_FLAG,             /* a flag is set */
  ESA_GUARD_NOT_FLAG,         /* a flag is not set */
  ESA_GUARD_ROLE,             /* the actor has a role */
  ESA_GUARD_FOUR_EYES,        /* the actor is not the user recorded in a field */
  ESA_GUARD_RECORDED,         /* a field has a value */
  ESA_GUARD_NOT_RECORDED,     /* a field has no value */
  ESA_N_GUARD_KINDS
} EsaGuardKind;

/* A whole number given in the file or by a parameter table. */
typedef struct
{
  gboolean  set;
  gint64    value;
  char     *param;
} EsaBound;

typedef struct
{
  EsaGuardKind  kind;
  char        **names;    /* fields (the latest date counts), states, a flag, a role,
                           * a user field, a deadline */
  EsaPeriod     period;   /* after, before */
  EsaBound      min;      /* amount: at least */
  EsaBound      max;      /* amount: at most */
  EsaBound      above;    /* amount: more than */
  EsaBound      below;    /* amount: less than */
} EsaCondition;

struct _EsaGuard
{
  EsaCondition  condition;
  EsaCondition *applies_if;   /* NULL: always */
  char         *explain;
};

/* Every label and sentence of the shipped procedure and calendar files, for
 * xgettext (esa-procedure-strings.c), NULL-terminated. */
extern const char * const _esa_procedure_strings[];

/* The JSON member that names each kind of guard. */
extern const char * const _esa_guard_kind_names[ESA_N_GUARD_KINDS];

struct _EsaProcedure
{
  GObject     parent_instance;

  char       *file;
  char       *id;
  guint       version;
  char       *jurisdiction;
  char       *title;
  char       *calendar;
  GPtrArray  *states;       /* of EsaState */
  GPtrArray  *act_types;    /* of EsaActType */
  GPtrArray  *flags;        /* of EsaChoice */
  GPtrArray  *facts;        /* of EsaField */
  GPtrArray  *actions;      /* of EsaAction */
  GHashTable *fields;       /* id -> EsaField (facts and action fields; not owned) */
  GHashTable *deadlines;    /* id -> EsaDeadline (not owned) */
};

void         _esa_state_free     (gpointer data);
void         _esa_choice_free    (gpointer data);
void         _esa_field_free     (gpointer data);
void         _esa_deadline_free  (gpointer data);
void         _esa_action_free    (gpointer data);
void         _esa_condition_clear (EsaCondition *condition);
void         _esa_period_clear   (EsaPeriod *period);

/* Reads and validates @root into @self; problems go to @check. */
void         _esa_procedure_read (EsaProcedure  *self,
                                  EsaJsonCheck  *check,
                                  JsonNode      *root,
                                  EsaParameters *params);

/* The placeholders an explain sentence of @kind may use, NULL-terminated. */
const char * const *_esa_guard_placeholders (EsaGuardKind kind,
                                             EsaPeriodUnit unit);

G_END_DECLS
