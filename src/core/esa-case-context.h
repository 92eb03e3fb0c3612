#pragma once

#include <glib.h>

#include "esa-parameters.h"

G_BEGIN_DECLS

/* What a procedure's guards are evaluated against: the case as it stands
 * (its state, the dates, amounts, users and flags recorded on it), who acts,
 * on which day, for which creditor body. The caller (the store, a wizard, the
 * server re-checking a command) fills it in; the names are those of the
 * procedure file: field ids for dates and users ("served_on", "imported_by"),
 * fact ids for amounts ("balance"), flag ids ("deceased"). */
typedef struct _EsaCaseContext EsaCaseContext;

/**
 * esa_case_context_new:
 * @params: (nullable): the parameter tables and calendars that guards and
 *   deadlines referring to parameters or calendars need
 *
 * Today is the local date until esa_case_context_set_today() says otherwise.
 *
 * Returns: (transfer full): an empty context
 */
EsaCaseContext *esa_case_context_new             (EsaParameters      *params);
void            esa_case_context_free            (EsaCaseContext     *self);

void            esa_case_context_set_state       (EsaCaseContext     *self,
                                                  const char         *state);
/* The state the case was in before the current one; actions that go back
 * ("to": "@previous", e.g. resuming after a suspension) go there. */
void            esa_case_context_set_previous_state (EsaCaseContext  *self,
                                                  const char         *state);
void            esa_case_context_set_today       (EsaCaseContext     *self,
                                                  const GDate        *today);
void            esa_case_context_set_body        (EsaCaseContext     *self,
                                                  const char         *body_id);
/* The currency of the case's amounts, for sentences ("EUR"). */
void            esa_case_context_set_currency    (EsaCaseContext     *self,
                                                  const char         *currency);

/* @date NULL forgets the field. When a field was recorded several times
 * (two notifications), give the latest. */
void            esa_case_context_set_date        (EsaCaseContext     *self,
                                                  const char         *field,
                                                  const GDate        *date);
/* Like esa_case_context_set_date() from "YYYY-MM-DD". */
gboolean        esa_case_context_set_date_iso    (EsaCaseContext     *self,
                                                  const char         *field,
                                                  const char         *iso,
                                                  GError            **error);
void            esa_case_context_set_amount      (EsaCaseContext     *self,
                                                  const char         *name,
                                                  gint64              minor);
void            esa_case_context_set_flag        (EsaCaseContext     *self,
                                                  const char         *flag,
                                                  gboolean            set);
/* A user recorded on the case ("imported_by" -> a user id). */
void            esa_case_context_set_user        (EsaCaseContext     *self,
                                                  const char         *field,
                                                  const char         *user_id);
/* Who is about to act, with their roles (NULL-terminated). */
void            esa_case_context_set_actor       (EsaCaseContext     *self,
                                                  const char         *user_id,
                                                  const char * const *roles);

EsaParameters  *esa_case_context_get_parameters  (EsaCaseContext     *self);
const char     *esa_case_context_get_state       (EsaCaseContext     *self);
const char     *esa_case_context_get_previous_state (EsaCaseContext  *self);
const GDate    *esa_case_context_get_today       (EsaCaseContext     *self);
const char     *esa_case_context_get_body        (EsaCaseContext     *self);
const char     *esa_case_context_get_currency    (EsaCaseContext     *self);
/* Returns: (nullable): the date, or NULL when not recorded. */
const GDate    *esa_case_context_get_date        (EsaCaseContext     *self,
                                                  const char         *field);
gboolean        esa_case_context_get_amount      (EsaCaseContext     *self,
                                                  const char         *name,
                                                  gint64             *out_minor);
gboolean        esa_case_context_get_flag        (EsaCaseContext     *self,
                                                  const char         *flag);
const char     *esa_case_context_get_user        (EsaCaseContext     *self,
                                                  const char         *field);
const char     *esa_case_context_get_actor       (EsaCaseContext     *self);
gboolean        esa_case_context_actor_has_role  (EsaCaseContext     *self,
                                                  const char         *role);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaCaseContext, esa_case_context_free)

G_END_DECLS
