#pragma once

#include <json-glib/json-glib.h>

#include "esa-records.h"
#include "esa-store.h"

G_BEGIN_DECLS

/* What the documents layer reads to print an act (issue 4): the act with
 * everything its text, amounts table and payment slips need, read in one
 * snapshot, and the lookups of a print batch. */

/* One instalment of a plan, with the payment reference of its slip. */
typedef struct
{
  gint   seq;
  char  *due_on;
  gint64 amount;
  gint64 paid;
  char  *payment_reference; /* pagoPA notice number or QR reference; may be NULL */
} EsaActInstalment;

/* One case of the debtor, as an extract from the enforcement register
 * lists it. */
typedef struct
{
  char  *case_id;
  char  *body_name;
  char  *state;
  char  *opened_on;
  char  *closed_on;         /* NULL while open */
  char  *currency;
  gint64 claim;             /* principal + sanctions + interest + costs of its positions */
  gint64 balance;           /* what is still owed */
} EsaActRegisterEntry;

typedef struct
{
  EsaAct            *act;
  EsaCase           *case_;
  EsaDebtor         *debtor;       /* with its addresses, current first */
  EsaBody           *body;
  EsaOffice         *office;       /* the case's office */
  EsaUser           *issuer;       /* who issued the act; NULL when unknown */
  EsaUser           *responsible;  /* who signs: the issuer when responsible, else the
                                    * first responsible officer of the office by name;
                                    * NULL when the office has none */
  GPtrArray         *positions;    /* EsaPosition of the case, cancelled and written-off
                                    * ones left out, by due date */
  EsaInstalmentPlan *plan;         /* the case's most recent plan; NULL without one */
  GPtrArray         *instalments;  /* EsaActInstalment of @plan by seq; empty without a plan */
  GPtrArray         *register_entries; /* EsaActRegisterEntry: the debtor's cases; only
                                        * loaded for a "register_extract" act, else empty */
  JsonNode          *fields;       /* the fields of the case step that produced the act
                                    * (an object); NULL when no step did */
} EsaActData;

void esa_act_instalment_free      (EsaActInstalment *self);
void esa_act_register_entry_free  (EsaActRegisterEntry *self);
void esa_act_data_free        (EsaActData *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaActInstalment, esa_act_instalment_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaActRegisterEntry, esa_act_register_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaActData, esa_act_data_free)

/**
 * esa_store_load_act_data:
 *
 * Reads the act @act_id and everything printed with it, in one snapshot.
 *
 * Returns: (transfer full): the data, or NULL with ESA_STORE_ERROR_NOT_FOUND
 *   ("No act with id …")
 */
EsaActData *esa_store_load_act_data      (EsaStore    *self,
                                          const char  *act_id,
                                          GError     **error);

/**
 * esa_store_find_case_act:
 * @type: (nullable): the act type wanted; NULL for any
 *
 * Returns: (transfer full) (nullable): the id of the case's most recent act
 *   (of @type), or NULL: with ESA_STORE_ERROR_NOT_FOUND when the case does not
 *   exist, without an error when it has no such act
 */
char       *esa_store_find_case_act      (EsaStore    *self,
                                          const char  *case_id,
                                          const char  *type,
                                          GError     **error);

/**
 * esa_store_list_load_list_cases:
 *
 * The cases opened for the positions of an approved load list, by debtor
 * name. A list that is not approved is refused (ESA_STORE_ERROR_INVALID
 * naming its state): nothing is printed before the approval.
 *
 * Returns: (transfer full) (element-type utf8): case ids, or NULL with
 *   @error set (ESA_STORE_ERROR_NOT_FOUND for an unknown list)
 */
GPtrArray  *esa_store_list_load_list_cases (EsaStore    *self,
                                            const char  *load_list_id,
                                            GError     **error);

/**
 * esa_store_find_act_document:
 * @debtor_id: the act's debtor
 *
 * Returns: (transfer full) (nullable): the id of a document of the act with
 *   this content (a printed act archived before), NULL when there is none
 *   (and on error, with @error set)
 */
char       *esa_store_find_act_document  (EsaStore    *self,
                                          const char  *debtor_id,
                                          const char  *act_id,
                                          const char  *sha256,
                                          GError     **error);

/**
 * esa_store_add_documents:
 * @documents: (element-type EsaDocument): the documents to record
 *
 * Records several documents (esa_store_add_document()) in one transaction,
 * all or none: a print batch archives its acts in groups.
 *
 * Returns: (transfer full) (element-type utf8): the new ids in order, or
 *   NULL with @error set
 */
GPtrArray  *esa_store_add_documents      (EsaStore    *self,
                                          GPtrArray   *documents,
                                          GError     **error);

G_END_DECLS
