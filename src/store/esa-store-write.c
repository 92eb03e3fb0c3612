/* esa-store-write.c: every change to the store, each in one transaction
 * with its audit entry and its outbox operation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "esa-date.h"
#include "esa-identifiers.h"
#include "esa-money.h"
#include "esa-roles.h"
#include "esa-store-private.h"
#include "esa-uuid.h"

/* Outbox kinds (DESIGN.md "Sync"), as used here:
 * - "event" for every creation of a row (a new UUID cannot conflict with
 *   anything on the server) and for what happened in the world and cannot be
 *   undone by another device: payments, contact log entries, notification
 *   attempts, documents;
 * - "command" for steps of a procedure: opening a case, issuing an act. The
 *   server re-checks them against the state it knows, and may answer with a
 *   conflict;
 * - "field" for an edit of one column of an existing row, with the old value
 *   and the row's version before the edit, so that the server can settle
 *   concurrent edits per field by clock.
 * A creation's payload is the full row as stored (minus the local debtors.num);
 * a field edit's payload is {"field", "value", "old"}. */

typedef gboolean (*WriteFunc) (EsaStore       *self,
                               gconstpointer   record,
                               gconstpointer   extra,
                               char          **out_id,
                               GError        **error);

static gboolean check_writer (EsaStore  *self,
                              GError   **error);

/* Runs @func in its own write scope: everything or nothing. */
static char *
run_write (EsaStore      *self,
           WriteFunc      func,
           gconstpointer  record,
           gconstpointer  extra,
           GError       **error)
{
  g_autofree char *id = NULL;
  gboolean ok;

  if (!_esa_store_write_begin (self, error))
    return NULL;

  ok = check_writer (self, error) && func (self, record, extra, &id, error);

  if (!_esa_store_write_end (self, ok, error))
    return NULL;

  return g_steal_pointer (&id);
}

/* ---- validation ------------------------------------------------------- */

/* @message says what is missing: "A debtor needs a name". */
static gboolean
require (const char  *value,
         const char  *message,
         GError     **error)
{
  if (!_esa_store_is_blank (value))
    return TRUE;

  g_set_error_literal (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID, message);
  return FALSE;
}

/* An optional ISO date; @what names the field ("date of birth"). */
static gboolean
check_date (const char  *value,
            const char  *what,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  GDate date;

  if (value == NULL || esa_date_parse_iso (value, &date, &local_error))
    return TRUE;

  /* Translators: "date of birth: 2023-02-30 is not a date" */
  return _esa_store_fail (error, ESA_STORE_ERROR_INVALID, _("%s: %s"), what, local_error->message);
}

static gboolean
check_required_date (const char  *value,
                     const char  *what,
                     GError     **error)
{
  if (value == NULL)
    {
      /* Translators: %s names a date field, "date of issue" */
      return _esa_store_fail (error, ESA_STORE_ERROR_INVALID, _("The %s is missing"), what);
    }
  return check_date (value, what, error);
}

static gboolean
check_amount (gint64       amount,
              const char  *what,
              GError     **error)
{
  g_autofree char *decimal = NULL;

  if (amount >= 0)
    return TRUE;

  decimal = esa_money_to_decimal (amount);
  /* Translators: "The principal must not be negative (-12.50)" */
  return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                          _("The %s must not be negative (%s)"), what,
                          decimal);
}

static gboolean
is_one_of (const char         *value,
           const char * const *allowed)
{
  return value != NULL && g_strv_contains (allowed, value);
}

static gboolean
check_choice (const char         *value,
              const char * const *allowed,
              const char         *what,
              GError            **error)
{
  g_autofree char *list = NULL;

  if (is_one_of (value, allowed))
    return TRUE;

  list = g_strjoinv (", ", (char **) allowed);
  /* Translators: "“fax” is not a valid contact kind (phone, email, pec)" */
  return _esa_store_fail (error, ESA_STORE_ERROR_INVALID, _("“%s” is not a valid %s (%s)"),
                          value != NULL ? value : "", what, list);
}

/* The id of a new row: the one given (a row made elsewhere, an import), or a
 * new UUID. */
static char *
new_id (const char *given)
{
  return given != NULL ? g_strdup (given) : esa_uuid_new ();
}

/* TRUE when @sql (one row, ?1 = @id) finds a row; NOT_FOUND otherwise. */
static gboolean
exists (EsaStore    *self,
        const char  *sql,
        const char  *id,
        const char  *not_found_format,
        GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = _esa_store_prepare (self, sql, error);
  gboolean row;

  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, id);
  if (!_esa_store_step (self, stmt, &row, error))
    return FALSE;
  if (!row)
    return _esa_store_fail (error, ESA_STORE_ERROR_NOT_FOUND,
                            not_found_format, id != NULL ? id : "");
  return TRUE;
}

static gboolean
debtor_exists (EsaStore    *self,
               const char  *id,
               GError     **error)
{
  return exists (self, "SELECT 1 FROM debtors WHERE id = ?1", id, _("No debtor with id %s"),
                 error);
}

static gboolean
office_exists (EsaStore    *self,
               const char  *id,
               GError     **error)
{
  return exists (self, "SELECT 1 FROM offices WHERE id = ?1", id, _("No office with id %s"),
                 error);
}

static gboolean
user_exists (EsaStore    *self,
             const char  *id,
             GError     **error)
{
  return exists (self, "SELECT 1 FROM users WHERE id = ?1", id, _("No user with id %s"), error);
}

static gboolean
id_is_free (EsaStore    *self,
            const char  *sql,
            const char  *id,
            GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = _esa_store_prepare (self, sql, error);
  gboolean row;

  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, id);
  if (!_esa_store_step (self, stmt, &row, error))
    return FALSE;
  if (row)
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("A row with id %s already exists"), id);
  return TRUE;
}

/* The acting user must be known, and auditors only read. */
static gboolean
check_writer (EsaStore  *self,
              GError   **error)
{
  const char *user_id = esa_store_get_acting_user (self);
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row;

  if (user_id == NULL)
    return TRUE;

  stmt = _esa_store_prepare (self, "SELECT role FROM users WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, user_id);
  if (!_esa_store_step (self, stmt, &row, error))
    return FALSE;

  if (!row)
    return _esa_store_fail (error, ESA_STORE_ERROR_FORBIDDEN,
                            _("User %s is not known in this database and may not change it"),
                            user_id);
  if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "auditor") == 0)
    return _esa_store_fail (error, ESA_STORE_ERROR_FORBIDDEN,
                            _("User %s is an auditor: auditors may read everything but change "
                              "nothing"),
                            user_id);
  return TRUE;
}

/* Validates an identifier of @kind and returns its stored form. */
static gboolean
normalize_id (EsaIdKind    kind,
              const char  *value,
              char       **out,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (esa_id_validate (kind, value, out, &local_error))
    return TRUE;

  g_set_error_literal (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID, local_error->message);
  return FALSE;
}

/* ---- recording -------------------------------------------------------- */

/* The outbox operation and audit entry of a new row of @table. */
static gboolean
record_creation (EsaStore    *self,
                 const char  *kind,
                 const char  *table,
                 const char  *entity,
                 const char  *id,
                 const char  *debtor_id,
                 const char  *summary,
                 GError     **error)
{
  g_autoptr(JsonNode) payload = _esa_store_row_to_json (self, table, id, error);

  if (payload == NULL || !_esa_store_outbox_append (self, kind, entity, id, payload, 0, error))
    return FALSE;

  return summary == NULL
         || _esa_store_audit_append (self, NULL, esa_store_get_acting_user (self), "create",
                                     entity, id, debtor_id, summary, error);
}

JsonNode *
_esa_store_field_payload (const char *field,
                          const char *value,
                          const char *old)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "field");
  json_builder_add_string_value (builder, field);
  json_builder_set_member_name (builder, "value");
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "old");
  if (old != NULL)
    json_builder_add_string_value (builder, old);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

char *
_esa_store_field_payload_text (const char *field,
                               const char *value,
                               const char *old)
{
  g_autoptr(JsonNode) root = _esa_store_field_payload (field, value, old);

  return json_to_string (root, FALSE);
}

/* ---- bodies, offices, users ------------------------------------------- */

static gboolean
write_body (EsaStore       *self,
            gconstpointer   record,
            gconstpointer   extra,
            char          **out_id,
            GError        **error)
{
  static const char * const countries[] = { "IT", "CH", NULL };
  const EsaBody *body = record;
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autofree char *id = NULL;
  g_autofree char *tax_code = NULL;
  g_autofree char *iban = NULL;
  g_autofree char *summary = NULL;
  const char *currency = body->currency;
  gboolean italian;

  if (!require (body->name, _("A creditor body needs a name"), error)
      || !check_choice (body->country, countries, _("country of a creditor body"), error))
    return FALSE;
  italian = g_str_equal (body->country, "IT");

  if (currency == NULL)
    currency = italian ? "EUR" : "CHF";
  if (strlen (currency) != 3 || !g_ascii_isupper (currency[0]) || !g_ascii_isupper (currency[1])
      || !g_ascii_isupper (currency[2]))
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("“%s” is not a currency code (three capital letters such as EUR)"),
                            currency);

  if (body->tax_code != NULL
      && !normalize_id (italian ? ESA_ID_PARTITA_IVA : ESA_ID_UID, body->tax_code, &tax_code,
                        error))
    return FALSE;
  if (body->iban != NULL && !normalize_id (ESA_ID_IBAN, body->iban, &iban, error))
    return FALSE;
  if (body->segregation_code != NULL
      && (!italian || strlen (body->segregation_code) != 2
          || !g_ascii_isdigit (body->segregation_code[0])
          || !g_ascii_isdigit (body->segregation_code[1])))
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("“%s” is not a pagoPA segregation code (two digits, Italian "
                              "bodies only)"),
                            body->segregation_code);

  id = new_id (body->id);
  if (!id_is_free (self, "SELECT 1 FROM bodies WHERE id = ?1", id, error))
    return FALSE;

  stmt = _esa_store_prepare (self,
                             "INSERT INTO bodies (id, name, country, currency, tax_code, iban, "
                             "segregation_code) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, id);
  _esa_stmt_bind_text (stmt, 2, body->name);
  _esa_stmt_bind_text (stmt, 3, body->country);
  _esa_stmt_bind_text (stmt, 4, currency);
  _esa_stmt_bind_text (stmt, 5, tax_code);
  _esa_stmt_bind_text (stmt, 6, iban);
  _esa_stmt_bind_text (stmt, 7, body->segregation_code);
  if (!_esa_store_step_done (self, stmt, error))
    return FALSE;

  summary = g_strdup_printf (_("Creditor body %s created (%s, %s)"), body->name, body->country,
                             currency);
  if (!record_creation (self, "event", "bodies", "body", id, NULL, summary, error))
    return FALSE;

  *out_id = g_steal_pointer (&id);
  return TRUE;
}

char *
esa_store_add_body (EsaStore       *self,
                    const EsaBody  *body,
                    GError        **error)
{
  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (body != NULL, NULL);

  return run_write (self, write_body, body, NULL, error);
}

static gboolean
write_office (EsaStore       *self,
              gconstpointer   record,
              gconstpointer   extra,
              char          **out_id,
              GError        **error)
{
  const EsaOffice *office = record;
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autofree char *id = NULL;
  g_autofree char *summary = NULL;

  if (!require (office->name, _("An office needs a name"), error)
      || !require (office->country, _("An office needs a country"), error))
    return FALSE;

  id = new_id (office->id);
  if (!id_is_free (self, "SELECT 1 FROM offices WHERE id = ?1", id, error))
    return FALSE;

  stmt = _esa_store_prepare (self,
                             "INSERT INTO offices (id, name, town, country) "
                             "VALUES (?1, ?2, ?3, ?4)",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, id);
  _esa_stmt_bind_text (stmt, 2, office->name);
  _esa_stmt_bind_text (stmt, 3, office->town);
  _esa_stmt_bind_text (stmt, 4, office->country);
  if (!_esa_store_step_done (self, stmt, error))
    return FALSE;

  summary = g_strdup_printf (_("Office %s created"), office->name);
  if (!record_creation (self, "event", "offices", "office", id, NULL, summary, error))
    return FALSE;

  *out_id = g_steal_pointer (&id);
  return TRUE;
}

char *
esa_store_add_office (EsaStore         *self,
                      const EsaOffice  *office,
                      GError          **error)
{
  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (office != NULL, NULL);

  return run_write (self, write_office, office, NULL, error);
}

static gboolean
write_user (EsaStore       *self,
            gconstpointer   record,
            gconstpointer   extra,
            char          **out_id,
            GError        **error)
{
  const EsaUser *user = record;
  g_autoptr(EsaStoreStmt) taken = NULL;
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autofree char *id = NULL;
  g_autofree char *summary = NULL;
  gboolean row;

  if (!require (user->name, _("A user needs a name"), error)
      || !require (user->login, _("A user needs a login"), error))
    return FALSE;
  if ((guint) user->role >= ESA_N_ROLES)
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("User %s has no valid role"), user->login);
  if (!require (user->office_id, _("A user needs an office"), error)
      || !office_exists (self, user->office_id, error))
    return FALSE;

  taken = _esa_store_prepare (self, "SELECT 1 FROM users WHERE login = ?1", error);
  if (taken == NULL)
    return FALSE;
  _esa_stmt_bind_text (taken, 1, user->login);
  if (!_esa_store_step (self, taken, &row, error))
    return FALSE;
  if (row)
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID, _("The login %s is already taken"),
                            user->login);

  id = new_id (user->id);
  if (!id_is_free (self, "SELECT 1 FROM users WHERE id = ?1", id, error))
    return FALSE;

  stmt = _esa_store_prepare (self,
                             "INSERT INTO users (id, name, login, role, office_id) "
                             "VALUES (?1, ?2, ?3, ?4, ?5)",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, id);
  _esa_stmt_bind_text (stmt, 2, user->name);
  _esa_stmt_bind_text (stmt, 3, user->login);
  _esa_stmt_bind_text (stmt, 4, esa_role_to_string (user->role));
  _esa_stmt_bind_text (stmt, 5, user->office_id);
  if (!_esa_store_step_done (self, stmt, error))
    return FALSE;

  summary = g_strdup_printf (_("User %s (%s) created with the role %s"), user->name, user->login,
                             esa_role_describe (user->role));
  if (!record_creation (self, "event", "users", "user", id, NULL, summary, error))
    return FALSE;

  *out_id = g_steal_pointer (&id);
  return TRUE;
}

char *
esa_store_add_user (EsaStore       *self,
                    const EsaUser  *user,
                    GError        **error)
{
  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (user != NULL, NULL);

  return run_write (self, write_user, user, NULL, error);
}

/* ---- debtors ---------------------------------------------------------- */

static gboolean
check_address (const EsaAddress  *address,
               GError           **error)
{
  return require (address->street, _("An address needs a street"), error)
         && require (address->town, _("An address needs a town"), error)
         && require (address->country, _("An address needs a country"), error)
         && check_date (address->valid_from, _("start of the address"), error)
         && check_date (address->valid_to, _("end of the address"), error);
}

static gboolean
insert_address (EsaStore          *self,
                const char        *debtor_id,
                const EsaAddress  *address,
                char             **out_id,
                GError           **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autofree char *id = new_id (address->id);

  if (!id_is_free (self, "SELECT 1 FROM addresses WHERE id = ?1", id, error))
    return FALSE;

  stmt = _esa_store_prepare (self,
                             "INSERT INTO addresses (id, debtor_id, street, postcode, town, "
                             "country, valid_from, valid_to) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, id);
  _esa_stmt_bind_text (stmt, 2, debtor_id);
  _esa_stmt_bind_text (stmt, 3, address->street);
  _esa_stmt_bind_text (stmt, 4, address->postcode);
  _esa_stmt_bind_text (stmt, 5, address->town);
  _esa_stmt_bind_text (stmt, 6, address->country);
  _esa_stmt_bind_text (stmt, 7, address->valid_from);
  _esa_stmt_bind_text (stmt, 8, address->valid_to);
  if (!_esa_store_step_done (self, stmt, error)
      || !record_creation (self, "event", "addresses", "address", id, debtor_id, NULL, error))
    return FALSE;

  if (out_id != NULL)
    *out_id = g_steal_pointer (&id);
  return TRUE;
}

static gboolean
insert_debtor_contact (EsaStore                *self,
                       const char              *debtor_id,
                       const EsaDebtorContact  *contact,
                       GError                 **error)
{
  static const char * const kinds[] = { "phone", "email", "pec", NULL };
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autofree char *id = NULL;

  if (!check_choice (contact->kind, kinds, _("contact kind"), error)
      || !require (contact->value, _("A contact needs a value"), error))
    return FALSE;
  if (!g_str_equal (contact->kind, "phone") && strchr (contact->value, '@') == NULL)
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID, _("“%s” is not an e-mail address"),
                            contact->value);

  id = new_id (contact->id);
  if (!id_is_free (self, "SELECT 1 FROM debtor_contacts WHERE id = ?1", id, error))
    return FALSE;

  stmt = _esa_store_prepare (self,
                             "INSERT INTO debtor_contacts (id, debtor_id, kind, value) "
                             "VALUES (?1, ?2, ?3, ?4)",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, id);
  _esa_stmt_bind_text (stmt, 2, debtor_id);
  _esa_stmt_bind_text (stmt, 3, contact->kind);
  _esa_stmt_bind_text (stmt, 4, contact->value);

  return _esa_store_step_done (self, stmt, error)
         && record_creation (self, "event", "debtor_contacts", "debtor_contact", id, debtor_id,
                             NULL, error);
}

static gboolean
insert_relation (EsaStore           *self,
                 const char         *debtor_id,
                 const EsaRelation  *relation,
                 GError            **error)
{
  static const char * const kinds[] = { "heir", "partner", "representative", "delegate", NULL };
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autofree char *id = NULL;

  if (!check_choice (relation->kind, kinds, _("relation kind"), error)
      || !require (relation->other_id, _("A relation needs the related debtor"), error))
    return FALSE;
  if (g_str_equal (relation->other_id, debtor_id))
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("A debtor cannot be related to itself"));
  if (!debtor_exists (self, relation->other_id, error))
    return FALSE;

  id = new_id (relation->id);
  if (!id_is_free (self, "SELECT 1 FROM relations WHERE id = ?1", id, error))
    return FALSE;

  stmt = _esa_store_prepare (self,
                             "INSERT INTO relations (id, debtor_id, other_id, kind, note) "
                             "VALUES (?1, ?2, ?3, ?4, ?5)",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, id);
  _esa_stmt_bind_text (stmt, 2, debtor_id);
  _esa_stmt_bind_text (stmt, 3, relation->other_id);
  _esa_stmt_bind_text (stmt, 4, relation->kind);
  _esa_stmt_bind_text (stmt, 5, relation->note);

  return _esa_store_step_done (self, stmt, error)
         && record_creation (self, "event", "relations", "relation", id, debtor_id, NULL, error);
}

static gboolean
write_debtor (EsaStore       *self,
              gconstpointer   record,
              gconstpointer   extra,
              char          **out_id,
              GError        **error)
{
  static const char * const tax_id_kinds[] = { "cf", "piva", "ahv", "uid", NULL };
  const EsaDebtor *debtor = record;
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;
  g_autofree char *tax_id = NULL;
  g_autofree char *summary = NULL;
  guint n_addresses = debtor->addresses != NULL ? debtor->addresses->len : 0;
  guint n_contacts = debtor->contacts != NULL ? debtor->contacts->len : 0;
  guint n_relations = debtor->relations != NULL ? debtor->relations->len : 0;

  if (!require (debtor->name, _("A debtor needs a name"), error))
    return FALSE;
  name = g_strstrip (g_strdup (debtor->name));

  if (debtor->kind != ESA_DEBTOR_PERSON && debtor->kind != ESA_DEBTOR_COMPANY)
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("Debtor %s is neither a person nor a company"), name);

  if (debtor->tax_id_kind != NULL)
    {
      EsaIdKind kind;

      if (!check_choice (debtor->tax_id_kind, tax_id_kinds, _("kind of tax id"), error))
        return FALSE;
      esa_id_kind_from_string (debtor->tax_id_kind, &kind);
      if (!require (debtor->tax_id, _("A tax id kind was given without the tax id"), error)
          || !normalize_id (kind, debtor->tax_id, &tax_id, error))
        return FALSE;
    }
  else if (!_esa_store_is_blank (debtor->tax_id))
    {
      tax_id = g_strstrip (g_utf8_strup (debtor->tax_id, -1));
    }

  if (!check_date (debtor->birth_date, _("date of birth"), error)
      || !check_date (debtor->deceased_on, _("date of death"), error)
      || !check_date (debtor->ceased_on, _("date of cessation"), error)
      || !check_date (debtor->insolvent_since, _("start of insolvency"), error))
    return FALSE;

  if (!require (debtor->office_id, _("A debtor needs an office"), error)
      || !office_exists (self, debtor->office_id, error))
    return FALSE;

  for (guint i = 0; i < n_addresses; i++)
    {
      if (!check_address (g_ptr_array_index (debtor->addresses, i), error))
        return FALSE;
    }

  id = new_id (debtor->id);
  if (!id_is_free (self, "SELECT 1 FROM debtors WHERE id = ?1", id, error))
    return FALSE;

  stmt = _esa_store_prepare (self,
                             "INSERT INTO debtors (id, kind, name, tax_id, tax_id_kind, "
                             "birth_date, deceased_on, ceased_on, insolvent_since, office_id) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, id);
  _esa_stmt_bind_text (stmt, 2, debtor->kind == ESA_DEBTOR_COMPANY ? "company" : "person");
  _esa_stmt_bind_text (stmt, 3, name);
  _esa_stmt_bind_text (stmt, 4, tax_id);
  _esa_stmt_bind_text (stmt, 5, debtor->tax_id_kind);
  _esa_stmt_bind_text (stmt, 6, debtor->birth_date);
  _esa_stmt_bind_text (stmt, 7, debtor->deceased_on);
  _esa_stmt_bind_text (stmt, 8, debtor->ceased_on);
  _esa_stmt_bind_text (stmt, 9, debtor->insolvent_since);
  _esa_stmt_bind_text (stmt, 10, debtor->office_id);
  if (!_esa_store_step_done (self, stmt, error))
    return FALSE;

  if (tax_id != NULL)
    summary = g_strdup_printf (_("Debtor %s (%s) created"), name, tax_id);
  else
    summary = g_strdup_printf (_("Debtor %s created"), name);
  if (!record_creation (self, "event", "debtors", "debtor", id, id, summary, error))
    return FALSE;

  for (guint i = 0; i < n_addresses; i++)
    {
      if (!insert_address (self, id, g_ptr_array_index (debtor->addresses, i), NULL, error))
        return FALSE;
    }
  for (guint i = 0; i < n_contacts; i++)
    {
      if (!insert_debtor_contact (self, id, g_ptr_array_index (debtor->contacts, i), error))
        return FALSE;
    }
  for (guint i = 0; i < n_relations; i++)
    {
      if (!insert_relation (self, id, g_ptr_array_index (debtor->relations, i), error))
        return FALSE;
    }

  if (!_esa_store_search_index_debtor (self, id, error))
    return FALSE;

  *out_id = g_steal_pointer (&id);
  return TRUE;
}

char *
esa_store_add_debtor (EsaStore         *self,
                      const EsaDebtor  *debtor,
                      GError          **error)
{
  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (debtor != NULL, NULL);

  return run_write (self, write_debtor, debtor, NULL, error);
}

/* ---- positions -------------------------------------------------------- */

static const char * const position_states[] = {
  "open", "paid", "suspended", "cancelled", "written_off", NULL
};

/* The creditor body's country and currency. */
static gboolean
read_body_terms (EsaStore    *self,
                 const char  *body_id,
                 char       **out_country,
                 char       **out_currency,
                 GError     **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row;

  stmt = _esa_store_prepare (self, "SELECT country, currency FROM bodies WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, body_id);
  if (!_esa_store_step (self, stmt, &row, error))
    return FALSE;
  if (!row)
    return _esa_store_fail (error, ESA_STORE_ERROR_NOT_FOUND, _("No creditor body with id %s"),
                            body_id != NULL ? body_id : "");

  *out_country = _esa_stmt_dup_text (stmt, 0);
  *out_currency = _esa_stmt_dup_text (stmt, 1);
  return TRUE;
}

static gboolean
write_position (EsaStore       *self,
                gconstpointer   record,
                gconstpointer   extra,
                char          **out_id,
                GError        **error)
{
  const EsaPosition *position = record;
  g_autoptr(EsaStoreStmt) used = NULL;
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autofree char *id = NULL;
  g_autofree char *country = NULL;
  g_autofree char *currency = NULL;
  g_autofree char *payment_reference = NULL;
  g_autofree char *total_text = NULL;
  g_autofree char *summary = NULL;
  const char *state = position->state != NULL ? position->state : "open";
  gint64 total = 0;
  gboolean row;

  if (!require (position->debtor_id, _("A position needs a debtor"), error)
      || !debtor_exists (self, position->debtor_id, error)
      || !require (position->body_id, _("A position needs a creditor body"), error)
      || !read_body_terms (self, position->body_id, &country, &currency, error))
    return FALSE;

  if (!require (position->reference, _("A position needs a reference (its title)"), error)
      || !require (position->revenue_type, _("A position needs a revenue type"), error)
      || !check_required_date (position->due_date, _("due date of the position"), error)
      || !check_choice (state, position_states, _("position state"), error))
    return FALSE;
  if (position->year < 1900 || position->year > 9999)
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("Position %s: %d is not a valid year"),
                            position->reference, position->year);

  if (position->currency != NULL && g_strcmp0 (position->currency, currency) != 0)
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("Position %s is in %s, but its creditor body collects in %s"),
                            position->reference, position->currency, currency);

  if (!check_amount (position->principal, _("principal"), error)
      || !check_amount (position->sanctions, _("sanctions amount"), error)
      || !check_amount (position->interest, _("interest amount"), error)
      || !check_amount (position->costs, _("costs amount"), error)
      || !check_amount (position->paid, _("paid amount"), error))
    return FALSE;
  if (!esa_money_add (total, position->principal, &total)
      || !esa_money_add (total, position->sanctions, &total)
      || !esa_money_add (total, position->interest, &total)
      || !esa_money_add (total, position->costs, &total))
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("Position %s: the amounts are too large"),
                            position->reference);
  if (position->paid > total)
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("Position %s: the paid amount is more than what is owed"),
                            position->reference);

  if (position->payment_reference != NULL)
    {
      EsaIdKind kind = g_str_equal (country, "IT") ? ESA_ID_PAGOPA_NOTICE : ESA_ID_QR_REFERENCE;

      if (!normalize_id (kind, position->payment_reference, &payment_reference, error))
        return FALSE;

      /* A payment is matched to its position by this reference. */
      used = _esa_store_prepare (self,
                                 "SELECT reference FROM positions WHERE payment_reference = ?1",
                                 error);
      if (used == NULL)
        return FALSE;
      _esa_stmt_bind_text (used, 1, payment_reference);
      if (!_esa_store_step (self, used, &row, error))
        return FALSE;
      if (row)
        return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                                _("Payment reference %s is already used by position %s"),
                                payment_reference, (const char *) sqlite3_column_text (used, 0));
    }

  if (position->load_list_id != NULL
      && !exists (self, "SELECT 1 FROM load_lists WHERE id = ?1", position->load_list_id,
                  _("No load list with id %s"), error))
    return FALSE;

  id = new_id (position->id);
  if (!id_is_free (self, "SELECT 1 FROM positions WHERE id = ?1", id, error))
    return FALSE;

  stmt = _esa_store_prepare (self,
                             "INSERT INTO positions (id, debtor_id, body_id, load_list_id, "
                             "revenue_type, year, reference, payment_reference, due_date, "
                             "currency, principal, sanctions, interest, costs, paid, state) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
                             "?14, ?15, ?16)",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, id);
  _esa_stmt_bind_text (stmt, 2, position->debtor_id);
  _esa_stmt_bind_text (stmt, 3, position->body_id);
  _esa_stmt_bind_text (stmt, 4, position->load_list_id);
  _esa_stmt_bind_text (stmt, 5, position->revenue_type);
  sqlite3_bind_int (stmt, 6, position->year);
  _esa_stmt_bind_text (stmt, 7, position->reference);
  _esa_stmt_bind_text (stmt, 8, payment_reference);
  _esa_stmt_bind_text (stmt, 9, position->due_date);
  _esa_stmt_bind_text (stmt, 10, currency);
  sqlite3_bind_int64 (stmt, 11, position->principal);
  sqlite3_bind_int64 (stmt, 12, position->sanctions);
  sqlite3_bind_int64 (stmt, 13, position->interest);
  sqlite3_bind_int64 (stmt, 14, position->costs);
  sqlite3_bind_int64 (stmt, 15, position->paid);
  _esa_stmt_bind_text (stmt, 16, state);
  if (!_esa_store_step_done (self, stmt, error))
    return FALSE;

  total_text = esa_money_format (total, currency);
  /* Translators: "Position TARI-2024-0042 (TARI 2024) added: € 1.455,93" */
  summary = g_strdup_printf (_("Position %s (%s %d) added: %s"), position->reference,
                             position->revenue_type, position->year, total_text);
  if (!record_creation (self, "event", "positions", "position", id, position->debtor_id, summary,
                        error)
      || !_esa_store_search_index_debtor (self, position->debtor_id, error))
    return FALSE;

  *out_id = g_steal_pointer (&id);
  return TRUE;
}

char *
esa_store_add_position (EsaStore           *self,
                        const EsaPosition  *position,
                        GError            **error)
{
  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (position != NULL, NULL);

  return run_write (self, write_position, position, NULL, error);
}

/* ---- cases and acts --------------------------------------------------- */

static gboolean
check_case_position (EsaStore       *self,
                     const EsaCase  *case_,
                     const char     *position_id,
                     GError        **error)
{
  g_autoptr(EsaStoreStmt) stmt = NULL;
  gboolean row;

  stmt = _esa_store_prepare (self, "SELECT debtor_id, body_id FROM positions WHERE id = ?1",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, position_id);
  if (!_esa_store_step (self, stmt, &row, error))
    return FALSE;
  if (!row)
    return _esa_store_fail (error, ESA_STORE_ERROR_NOT_FOUND,
                            _("No position with id %s"), position_id);
  if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), case_->debtor_id) != 0)
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("Position %s belongs to another debtor than the case"), position_id);
  if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), case_->body_id) != 0)
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("Position %s is owed to another creditor body than the case's"),
                            position_id);
  return TRUE;
}

static gboolean
write_case (EsaStore       *self,
            gconstpointer   record,
            gconstpointer   extra,
            char          **out_id,
            GError        **error)
{
  const EsaCase *case_ = record;
  const char * const *position_ids = extra;
  g_autoptr(EsaStoreStmt) office = NULL;
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autoptr(JsonNode) payload = NULL;
  g_autofree char *id = NULL;
  g_autofree char *office_id = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *body_country = NULL;
  g_autofree char *body_currency = NULL;
  JsonArray *positions;
  guint n_positions = position_ids != NULL ? g_strv_length ((char **) position_ids) : 0;
  gboolean row;

  if (!require (case_->debtor_id, _("A case needs a debtor"), error)
      || !debtor_exists (self, case_->debtor_id, error)
      || !require (case_->body_id, _("A case needs a creditor body"), error)
      || !read_body_terms (self, case_->body_id, &body_country, &body_currency, error)
      || !require (case_->procedure_id, _("A case needs a procedure"), error)
      || !require (case_->state, _("A case needs a state"), error)
      || !check_required_date (case_->opened_on, _("opening date of the case"), error)
      || !check_date (case_->closed_on, _("closing date of the case"), error)
      || !check_date (case_->next_deadline, _("next deadline of the case"), error))
    return FALSE;
  if (case_->officer_id != NULL && !user_exists (self, case_->officer_id, error))
    return FALSE;

  /* A case belongs to the debtor's office unless it says otherwise. */
  if (case_->office_id != NULL)
    {
      if (!office_exists (self, case_->office_id, error))
        return FALSE;
      office_id = g_strdup (case_->office_id);
    }
  else
    {
      office = _esa_store_prepare (self, "SELECT office_id FROM debtors WHERE id = ?1", error);
      if (office == NULL)
        return FALSE;
      _esa_stmt_bind_text (office, 1, case_->debtor_id);
      if (!_esa_store_step (self, office, &row, error))
        return FALSE;
      office_id = _esa_stmt_dup_text (office, 0);
    }

  for (guint i = 0; i < n_positions; i++)
    {
      if (!check_case_position (self, case_, position_ids[i], error))
        return FALSE;
    }

  id = new_id (case_->id);
  if (!id_is_free (self, "SELECT 1 FROM cases WHERE id = ?1", id, error))
    return FALSE;

  stmt = _esa_store_prepare (self,
                             "INSERT INTO cases (id, debtor_id, body_id, office_id, "
                             "procedure_id, state, officer_id, opened_on, closed_on, "
                             "next_deadline, next_deadline_label) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, id);
  _esa_stmt_bind_text (stmt, 2, case_->debtor_id);
  _esa_stmt_bind_text (stmt, 3, case_->body_id);
  _esa_stmt_bind_text (stmt, 4, office_id);
  _esa_stmt_bind_text (stmt, 5, case_->procedure_id);
  _esa_stmt_bind_text (stmt, 6, case_->state);
  _esa_stmt_bind_text (stmt, 7, case_->officer_id);
  _esa_stmt_bind_text (stmt, 8, case_->opened_on);
  _esa_stmt_bind_text (stmt, 9, case_->closed_on);
  _esa_stmt_bind_text (stmt, 10, case_->next_deadline);
  _esa_stmt_bind_text (stmt, 11, case_->next_deadline_label);
  if (!_esa_store_step_done (self, stmt, error))
    return FALSE;
  g_clear_pointer (&stmt, _esa_store_stmt_release);

  stmt = _esa_store_prepare (self,
                             "INSERT OR IGNORE INTO case_positions (case_id, position_id) "
                             "VALUES (?1, ?2)",
                             error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < n_positions; i++)
    {
      _esa_stmt_bind_text (stmt, 1, id);
      _esa_stmt_bind_text (stmt, 2, position_ids[i]);
      if (!_esa_store_step_done (self, stmt, error))
        return FALSE;
      sqlite3_reset (stmt);
    }

  /* Opening a case is a step of the procedure: a command, whose payload
   * names the positions it pursues. */
  payload = _esa_store_row_to_json (self, "cases", id, error);
  if (payload == NULL)
    return FALSE;
  positions = json_array_new ();
  for (guint i = 0; i < n_positions; i++)
    json_array_add_string_element (positions, position_ids[i]);
  json_object_set_array_member (json_node_get_object (payload), "position_ids", positions);

  summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "Case opened (%s, state %s) for %u position",
                                          "Case opened (%s, state %s) for %u positions",
                                          n_positions),
                             case_->procedure_id, case_->state, n_positions);
  if (!_esa_store_outbox_append (self, "command", "case", id, payload, 0, error)
      || !_esa_store_audit_append (self, NULL, esa_store_get_acting_user (self), "create", "case",
                                   id, case_->debtor_id, summary, error))
    return FALSE;

  *out_id = g_steal_pointer (&id);
  return TRUE;
}

char *
esa_store_add_case (EsaStore            *self,
                    const EsaCase       *case_,
                    const char * const  *position_ids,
                    GError             **error)
{
  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (case_ != NULL, NULL);

  return run_write (self, write_case, case_, position_ids, error);
}

static gboolean
write_act (EsaStore       *self,
           gconstpointer   record,
           gconstpointer   extra,
           char          **out_id,
           GError        **error)
{
  const EsaAct *act = record;
  g_autoptr(EsaStoreStmt) lookup = NULL;
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autofree char *id = NULL;
  g_autofree char *debtor_id = NULL;
  g_autofree char *summary = NULL;
  gboolean row;

  if (!require (act->case_id, _("An act needs a case"), error))
    return FALSE;

  lookup = _esa_store_prepare (self, "SELECT debtor_id FROM cases WHERE id = ?1", error);
  if (lookup == NULL)
    return FALSE;
  _esa_stmt_bind_text (lookup, 1, act->case_id);
  if (!_esa_store_step (self, lookup, &row, error))
    return FALSE;
  if (!row)
    return _esa_store_fail (error, ESA_STORE_ERROR_NOT_FOUND,
                            _("No case with id %s"), act->case_id);
  debtor_id = _esa_stmt_dup_text (lookup, 0);
  g_clear_pointer (&lookup, _esa_store_stmt_release);

  if (act->debtor_id != NULL && !g_str_equal (act->debtor_id, debtor_id))
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("Act %s names debtor %s, but its case is against debtor %s"),
                            act->number != NULL ? act->number : "", act->debtor_id, debtor_id);

  if (!require (act->type, _("An act needs a type"), error)
      || !require (act->number, _("An act needs a number"), error)
      || !check_required_date (act->issued_on, _("date of issue"), error)
      || !check_amount (act->amount, _("amount of the act"), error))
    return FALSE;

  lookup = _esa_store_prepare (self, "SELECT 1 FROM acts WHERE number = ?1", error);
  if (lookup == NULL)
    return FALSE;
  _esa_stmt_bind_text (lookup, 1, act->number);
  if (!_esa_store_step (self, lookup, &row, error))
    return FALSE;
  if (row)
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID, _("The act number %s is already used"),
                            act->number);

  id = new_id (act->id);
  if (!id_is_free (self, "SELECT 1 FROM acts WHERE id = ?1", id, error))
    return FALSE;

  stmt = _esa_store_prepare (self,
                             "INSERT INTO acts (id, case_id, debtor_id, type, number, issued_on, "
                             "issued_by, amount) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, id);
  _esa_stmt_bind_text (stmt, 2, act->case_id);
  _esa_stmt_bind_text (stmt, 3, debtor_id);
  _esa_stmt_bind_text (stmt, 4, act->type);
  _esa_stmt_bind_text (stmt, 5, act->number);
  _esa_stmt_bind_text (stmt, 6, act->issued_on);
  _esa_stmt_bind_text (stmt, 7, esa_store_get_acting_user (self));
  sqlite3_bind_int64 (stmt, 8, act->amount);
  if (!_esa_store_step_done (self, stmt, error))
    return FALSE;

  summary = g_strdup_printf (_("Act %s (%s) issued"), act->number, act->type);
  if (!record_creation (self, "command", "acts", "act", id, debtor_id, summary, error)
      || !_esa_store_search_index_debtor (self, debtor_id, error))
    return FALSE;

  *out_id = g_steal_pointer (&id);
  return TRUE;
}

char *
esa_store_add_act (EsaStore      *self,
                   const EsaAct  *act,
                   GError       **error)
{
  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (act != NULL, NULL);

  return run_write (self, write_act, act, NULL, error);
}

typedef struct
{
  const char *act_id;
  const char *method;
  const char *state;
  const char *on_date;
  const char *failure_reason;
} NotificationRequest;

static gboolean
write_notification (EsaStore       *self,
                    gconstpointer   record,
                    gconstpointer   extra,
                    char          **out_id,
                    GError        **error)
{
  static const char * const methods[] = { "post", "pec", "messenger", "counter", NULL };
  static const char * const states[] = { "pending", "sent", "delivered", "failed", NULL };
  const NotificationRequest *request = record;
  g_autoptr(EsaStoreStmt) lookup = NULL;
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autofree char *id = NULL;
  g_autofree char *debtor_id = NULL;
  g_autofree char *number = NULL;
  g_autofree char *summary = NULL;
  gint attempt;
  gboolean row;

  if (!require (request->act_id, _("A notification needs an act"), error))
    return FALSE;

  lookup = _esa_store_prepare (self,
                               "SELECT a.debtor_id, a.number, "
                               "  (SELECT coalesce(max(attempt), 0) + 1 FROM notifications "
                               "     WHERE act_id = a.id) "
                               "FROM acts a WHERE a.id = ?1",
                               error);
  if (lookup == NULL)
    return FALSE;
  _esa_stmt_bind_text (lookup, 1, request->act_id);
  if (!_esa_store_step (self, lookup, &row, error))
    return FALSE;
  if (!row)
    return _esa_store_fail (error, ESA_STORE_ERROR_NOT_FOUND,
                            _("No act with id %s"), request->act_id);
  debtor_id = _esa_stmt_dup_text (lookup, 0);
  number = _esa_stmt_dup_text (lookup, 1);
  attempt = sqlite3_column_int (lookup, 2);

  if (!check_choice (request->method, methods, _("notification method"), error)
      || !check_choice (request->state, states, _("notification state"), error))
    return FALSE;
  if (g_str_equal (request->state, "pending"))
    {
      if (!check_date (request->on_date, _("date of the notification"), error))
        return FALSE;
    }
  else if (!check_required_date (request->on_date, _("date of the notification"), error))
    {
      return FALSE;
    }
  if (g_str_equal (request->state, "failed")
      && !require (request->failure_reason, _("A failed notification needs its reason"), error))
    return FALSE;

  id = esa_uuid_new ();
  stmt = _esa_store_prepare (self,
                             "INSERT INTO notifications (id, act_id, attempt, method, state, "
                             "sent_on, delivered_on, failed_on, failure_reason) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, "
                             "  CASE WHEN ?5 = 'sent' THEN ?6 END, "
                             "  CASE WHEN ?5 = 'delivered' THEN ?6 END, "
                             "  CASE WHEN ?5 = 'failed' THEN ?6 END, ?7)",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, id);
  _esa_stmt_bind_text (stmt, 2, request->act_id);
  sqlite3_bind_int (stmt, 3, attempt);
  _esa_stmt_bind_text (stmt, 4, request->method);
  _esa_stmt_bind_text (stmt, 5, request->state);
  _esa_stmt_bind_text (stmt, 6, request->on_date);
  _esa_stmt_bind_text (stmt, 7, request->failure_reason);
  if (!_esa_store_step_done (self, stmt, error))
    return FALSE;

  /* Translators: "Notification of act ING-2026-000123 (attempt 2, pec): delivered" */
  summary = g_strdup_printf (_("Notification of act %s (attempt %d, %s): %s"), number, attempt,
                             request->method, request->state);
  if (!record_creation (self, "event", "notifications", "notification", id, debtor_id, summary,
                        error))
    return FALSE;

  *out_id = g_steal_pointer (&id);
  return TRUE;
}

char *
esa_store_add_notification (EsaStore    *self,
                            const char  *act_id,
                            const char  *method,
                            const char  *state,
                            const char  *on_date,
                            const char  *failure_reason,
                            GError     **error)
{
  NotificationRequest request = { act_id, method, state, on_date, failure_reason };

  g_return_val_if_fail (ESA_IS_STORE (self), NULL);

  return run_write (self, write_notification, &request, NULL, error);
}

/* ---- payments, contacts, documents ------------------------------------ */

static gboolean
apply_payment_to_position (EsaStore          *self,
                           const EsaPayment  *payment,
                           char             **inout_debtor_id,
                           char             **inout_body_id,
                           char             **inout_currency,
                           gboolean          *out_settled,
                           GError           **error)
{
  g_autoptr(EsaStoreStmt) lookup = NULL;
  g_autoptr(EsaStoreStmt) update = NULL;
  g_autofree char *balance_text = NULL;
  g_autofree char *amount_text = NULL;
  const char *reference;
  const char *state;
  const char *debtor_id;
  const char *body_id;
  const char *currency;
  gint64 balance;
  gboolean row;

  lookup = _esa_store_prepare (self,
                               "SELECT reference, state, debtor_id, body_id, currency, "
                               "  principal + sanctions + interest + costs - paid "
                               "FROM positions WHERE id = ?1",
                               error);
  if (lookup == NULL)
    return FALSE;
  _esa_stmt_bind_text (lookup, 1, payment->position_id);
  if (!_esa_store_step (self, lookup, &row, error))
    return FALSE;
  if (!row)
    return _esa_store_fail (error, ESA_STORE_ERROR_NOT_FOUND, _("No position with id %s"),
                            payment->position_id);

  reference = (const char *) sqlite3_column_text (lookup, 0);
  state = (const char *) sqlite3_column_text (lookup, 1);
  debtor_id = (const char *) sqlite3_column_text (lookup, 2);
  body_id = (const char *) sqlite3_column_text (lookup, 3);
  currency = (const char *) sqlite3_column_text (lookup, 4);
  balance = sqlite3_column_int64 (lookup, 5);

  if (*inout_debtor_id != NULL && g_strcmp0 (*inout_debtor_id, debtor_id) != 0)
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("The payment names debtor %s, but position %s is owed by debtor %s"),
                            *inout_debtor_id, reference, debtor_id);
  if (*inout_body_id != NULL && g_strcmp0 (*inout_body_id, body_id) != 0)
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("The payment names creditor body %s, but position %s is owed to %s"),
                            *inout_body_id, reference, body_id);
  if (*inout_currency != NULL && g_strcmp0 (*inout_currency, currency) != 0)
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("The payment is in %s, but position %s is in %s"),
                            *inout_currency, reference, currency);
  if (g_strcmp0 (state, "cancelled") == 0 || g_strcmp0 (state, "written_off") == 0)
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("Position %s is %s: it takes no payments"), reference,
                            g_str_equal (state, "cancelled") ? _("cancelled") : _("written off"));

  /* Overpayments need a refund or a transfer to another position, which
   * the relief workflow decides; until then they are refused here. */
  if (payment->amount > balance)
    {
      amount_text = esa_money_format (payment->amount, currency);
      balance_text = esa_money_format (balance, currency);
      return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                              _("The payment of %s is more than the balance of %s of position %s"),
                              amount_text, balance_text, reference);
    }

  if (*inout_debtor_id == NULL)
    *inout_debtor_id = g_strdup (debtor_id);
  if (*inout_body_id == NULL)
    *inout_body_id = g_strdup (body_id);
  if (*inout_currency == NULL)
    *inout_currency = g_strdup (currency);
  *out_settled = payment->amount == balance;
  g_clear_pointer (&lookup, _esa_store_stmt_release);

  /* In an UPDATE every column on the right reads the old row. */
  update = _esa_store_prepare (self,
                               "UPDATE positions SET paid = paid + ?2, "
                               "  state = CASE WHEN principal + sanctions + interest + costs "
                               "    - paid - ?2 = 0 THEN 'paid' ELSE state END, "
                               "  version = version + 1 "
                               "WHERE id = ?1",
                               error);
  if (update == NULL)
    return FALSE;
  _esa_stmt_bind_text (update, 1, payment->position_id);
  sqlite3_bind_int64 (update, 2, payment->amount);

  return _esa_store_step_done (self, update, error);
}

static gboolean
write_payment (EsaStore       *self,
               gconstpointer   record,
               gconstpointer   extra,
               char          **out_id,
               GError        **error)
{
  static const char * const channels[] = { "pagopa", "qr-bill", "bank", "cash", "manual", NULL };
  const EsaPayment *payment = record;
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autofree char *id = NULL;
  g_autofree char *debtor_id = g_strdup (payment->debtor_id);
  g_autofree char *body_id = g_strdup (payment->body_id);
  g_autofree char *currency = g_strdup (payment->currency);
  g_autofree char *amount_text = NULL;
  g_autofree char *summary = NULL;
  gboolean settled = FALSE;

  if (payment->amount <= 0)
    {
      g_autofree char *decimal = esa_money_to_decimal (payment->amount);

      return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                              _("A payment must be more than zero (%s)"), decimal);
    }
  if (!check_required_date (payment->paid_on, _("date of the payment"), error)
      || !check_choice (payment->channel, channels, _("payment channel"), error))
    return FALSE;

  if (payment->position_id != NULL)
    {
      if (!apply_payment_to_position (self, payment, &debtor_id, &body_id, &currency, &settled,
                                      error))
        return FALSE;
    }
  else
    {
      if (debtor_id != NULL && !debtor_exists (self, debtor_id, error))
        return FALSE;
      if (body_id != NULL)
        {
          g_autofree char *country = NULL;
          g_autofree char *body_currency = NULL;

          if (!read_body_terms (self, body_id, &country, &body_currency, error))
            return FALSE;
          if (currency == NULL)
            currency = g_steal_pointer (&body_currency);
        }
      if (!require (currency, _("A payment needs a currency"), error))
        return FALSE;
    }

  id = new_id (payment->id);
  if (!id_is_free (self, "SELECT 1 FROM payments WHERE id = ?1", id, error))
    return FALSE;

  stmt = _esa_store_prepare (self,
                             "INSERT INTO payments (id, debtor_id, position_id, body_id, amount, "
                             "currency, paid_on, reference, channel) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, id);
  _esa_stmt_bind_text (stmt, 2, debtor_id);
  _esa_stmt_bind_text (stmt, 3, payment->position_id);
  _esa_stmt_bind_text (stmt, 4, body_id);
  sqlite3_bind_int64 (stmt, 5, payment->amount);
  _esa_stmt_bind_text (stmt, 6, currency);
  _esa_stmt_bind_text (stmt, 7, payment->paid_on);
  _esa_stmt_bind_text (stmt, 8, payment->reference);
  _esa_stmt_bind_text (stmt, 9, payment->channel);
  if (!_esa_store_step_done (self, stmt, error))
    return FALSE;

  amount_text = esa_money_format (payment->amount, currency);
  if (settled)
    summary = g_strdup_printf (_("Payment of %s received (%s); the position is paid"),
                               amount_text, payment->channel);
  else
    summary = g_strdup_printf (_("Payment of %s received (%s)"), amount_text, payment->channel);
  if (!record_creation (self, "event", "payments", "payment", id, debtor_id, summary, error))
    return FALSE;

  *out_id = g_steal_pointer (&id);
  return TRUE;
}

char *
esa_store_add_payment (EsaStore          *self,
                       const EsaPayment  *payment,
                       GError           **error)
{
  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (payment != NULL, NULL);

  return run_write (self, write_payment, payment, NULL, error);
}

static gboolean
write_contact_entry (EsaStore       *self,
                     gconstpointer   record,
                     gconstpointer   extra,
                     char          **out_id,
                     GError        **error)
{
  static const char * const channels[] = { "phone", "email", "counter", "letter", "visit", NULL };
  static const char * const directions[] = { "in", "out", NULL };
  const EsaContactEntry *entry = record;
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autofree char *id = NULL;
  g_autofree char *now = NULL;
  g_autofree char *summary = NULL;
  const char *user_id = entry->user_id != NULL ? entry->user_id : esa_store_get_acting_user (self);
  const char *occurred_at = entry->occurred_at;

  if (!require (entry->debtor_id, _("A contact log entry needs a debtor"), error)
      || !debtor_exists (self, entry->debtor_id, error)
      || !check_choice (entry->channel, channels, _("contact channel"), error)
      || !check_choice (entry->direction, directions, _("contact direction"), error)
      || !require (entry->subject, _("A contact log entry needs a subject"), error))
    return FALSE;
  if (user_id != NULL && !user_exists (self, user_id, error))
    return FALSE;
  if (entry->duration_s < 0)
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("The duration of a contact must not be negative (%d s)"),
                            entry->duration_s);
  if (occurred_at == NULL)
    occurred_at = now = _esa_store_now_iso ();

  id = new_id (entry->id);
  if (!id_is_free (self, "SELECT 1 FROM contact_log WHERE id = ?1", id, error))
    return FALSE;

  stmt = _esa_store_prepare (self,
                             "INSERT INTO contact_log (id, debtor_id, channel, direction, "
                             "occurred_at, user_id, subject, note, duration_s) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, id);
  _esa_stmt_bind_text (stmt, 2, entry->debtor_id);
  _esa_stmt_bind_text (stmt, 3, entry->channel);
  _esa_stmt_bind_text (stmt, 4, entry->direction);
  _esa_stmt_bind_text (stmt, 5, occurred_at);
  _esa_stmt_bind_text (stmt, 6, user_id);
  _esa_stmt_bind_text (stmt, 7, entry->subject);
  _esa_stmt_bind_text (stmt, 8, entry->note);
  if (entry->duration_s > 0)
    sqlite3_bind_int (stmt, 9, entry->duration_s);
  if (!_esa_store_step_done (self, stmt, error))
    return FALSE;

  /* Translators: "Contact logged (phone, in): Asked about the instalment plan" */
  summary = g_strdup_printf (_("Contact logged (%s, %s): %s"), entry->channel, entry->direction,
                             entry->subject);
  if (!record_creation (self, "event", "contact_log", "contact", id, entry->debtor_id, summary,
                        error))
    return FALSE;

  *out_id = g_steal_pointer (&id);
  return TRUE;
}

char *
esa_store_add_contact_entry (EsaStore               *self,
                             const EsaContactEntry  *entry,
                             GError                **error)
{
  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (entry != NULL, NULL);

  if (!_esa_store_check_action (self, ESA_ACTION_CONTACT_LOG, error))
    return NULL;
  return run_write (self, write_contact_entry, entry, NULL, error);
}

static gboolean
is_sha256_hex (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_document (EsaStore       *self,
                gconstpointer   record,
                gconstpointer   extra,
                char          **out_id,
                GError        **error)
{
  const EsaDocument *document = record;
  g_autoptr(EsaStoreStmt) stmt = NULL;
  g_autofree char *id = NULL;
  g_autofree char *now = NULL;
  g_autofree char *summary = NULL;
  const char *created_at = document->created_at;

  if (!require (document->debtor_id, _("A document needs a debtor"), error)
      || !debtor_exists (self, document->debtor_id, error)
      || !require (document->title, _("A document needs a title"), error)
      || !require (document->mime_type, _("A document needs a MIME type"), error))
    return FALSE;
  if (document->case_id != NULL
      && !exists (self, "SELECT 1 FROM cases WHERE id = ?1", document->case_id,
                  _("No case with id %s"), error))
    return FALSE;
  if (document->act_id != NULL
      && !exists (self, "SELECT 1 FROM acts WHERE id = ?1", document->act_id,
                  _("No act with id %s"), error))
    return FALSE;
  if (!is_sha256_hex (document->sha256))
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("Document “%s”: “%s” is not a SHA-256 in lower-case hex"),
                            document->title,
                            document->sha256 != NULL ? document->sha256 : "");
  if (document->size < 0)
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("Document “%s”: the size must not be negative"), document->title);
  if (created_at == NULL)
    created_at = now = _esa_store_now_iso ();

  id = new_id (document->id);
  if (!id_is_free (self, "SELECT 1 FROM documents WHERE id = ?1", id, error))
    return FALSE;

  stmt = _esa_store_prepare (self,
                             "INSERT INTO documents (id, debtor_id, case_id, act_id, title, "
                             "mime_type, sha256, size, created_at) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                             error);
  if (stmt == NULL)
    return FALSE;
  _esa_stmt_bind_text (stmt, 1, id);
  _esa_stmt_bind_text (stmt, 2, document->debtor_id);
  _esa_stmt_bind_text (stmt, 3, document->case_id);
  _esa_stmt_bind_text (stmt, 4, document->act_id);
  _esa_stmt_bind_text (stmt, 5, document->title);
  _esa_stmt_bind_text (stmt, 6, document->mime_type);
  _esa_stmt_bind_text (stmt, 7, document->sha256);
  sqlite3_bind_int64 (stmt, 8, document->size);
  _esa_stmt_bind_text (stmt, 9, created_at);
  if (!_esa_store_step_done (self, stmt, error))
    return FALSE;

  summary = g_strdup_printf (_("Document “%s” added"), document->title);
  if (!record_creation (self, "event", "documents", "document", id, document->debtor_id, summary,
                        error))
    return FALSE;

  *out_id = g_steal_pointer (&id);
  return TRUE;
}

char *
esa_store_add_document (EsaStore           *self,
                        const EsaDocument  *document,
                        GError            **error)
{
  g_return_val_if_fail (ESA_IS_STORE (self), NULL);
  g_return_val_if_fail (document != NULL, NULL);

  if (!_esa_store_check_action (self, ESA_ACTION_DOCUMENT_PRINT, error))
    return NULL;
  return run_write (self, write_document, document, NULL, error);
}

/* ---- edits of a debtor ------------------------------------------------ */

typedef struct
{
  const char *debtor_id;
  const char *field;
  const char *value;
} FieldEdit;

static gboolean
write_debtor_field (EsaStore       *self,
                    gconstpointer   record,
                    gconstpointer   extra,
                    char          **out_id,
                    GError        **error)
{
  /* Each editable column with its own statement: a column name cannot be
   * a bound parameter, and this list is the whitelist. */
  static const struct
  {
    const char *field;
    const char *label;
    const char *update;
  } fields[] = {
    { "name", N_("Name"), "UPDATE debtors SET name = ?2, version = version + 1 WHERE id = ?1" },
    { "deceased_on", N_("Date of death"),
      "UPDATE debtors SET deceased_on = ?2, version = version + 1 WHERE id = ?1" },
    { "ceased_on", N_("Date of cessation"),
      "UPDATE debtors SET ceased_on = ?2, version = version + 1 WHERE id = ?1" },
    { "insolvent_since", N_("Start of insolvency"),
      "UPDATE debtors SET insolvent_since = ?2, version = version + 1 WHERE id = ?1" },
  };
  const FieldEdit *edit = record;
  g_autoptr(EsaStoreStmt) lookup = NULL;
  g_autoptr(EsaStoreStmt) update = NULL;
  g_autoptr(JsonNode) payload = NULL;
  g_autofree char *value = NULL;
  g_autofree char *old = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *summary = NULL;
  const char *update_sql = NULL;
  const char *label = NULL;
  gint64 version;
  gboolean row;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      if (g_strcmp0 (edit->field, fields[i].field) == 0)
        {
          update_sql = fields[i].update;
          label = g_dgettext (GETTEXT_PACKAGE, fields[i].label);
        }
    }
  if (update_sql == NULL)
    return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                            _("“%s” is not a debtor field that can be edited (name, deceased_on, "
                              "ceased_on, insolvent_since)"),
                            edit->field != NULL ? edit->field : "");

  lookup = _esa_store_prepare (self,
                               "SELECT kind, version, name, deceased_on, ceased_on, "
                               "  insolvent_since FROM debtors WHERE id = ?1",
                               error);
  if (lookup == NULL)
    return FALSE;
  _esa_stmt_bind_text (lookup, 1, edit->debtor_id);
  if (!_esa_store_step (self, lookup, &row, error))
    return FALSE;
  if (!row)
    return _esa_store_fail (error, ESA_STORE_ERROR_NOT_FOUND,
                            _("No debtor with id %s"), edit->debtor_id);

  kind = _esa_stmt_dup_text (lookup, 0);
  version = sqlite3_column_int64 (lookup, 1);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      if (g_str_equal (edit->field, fields[i].field))
        old = _esa_stmt_dup_text (lookup, 2 + (int) i);
    }
  g_clear_pointer (&lookup, _esa_store_stmt_release);

  if (g_str_equal (edit->field, "name"))
    {
      if (!require (edit->value, _("A debtor needs a name"), error))
        return FALSE;
      value = g_strstrip (g_strdup (edit->value));
    }
  else
    {
      if (!check_date (edit->value, label, error))
        return FALSE;
      value = g_strdup (edit->value);
      if (value != NULL && g_str_equal (edit->field, "deceased_on")
          && g_str_equal (kind, "company"))
        return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                                _("A company cannot be deceased: set the date it ceased instead"));
      if (value != NULL && g_str_equal (edit->field, "ceased_on") && g_str_equal (kind, "person"))
        return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                                _("A person cannot cease like a company: set the date of death "
                                  "instead"));
    }

  /* Nothing changes, so nothing is recorded. */
  if (g_strcmp0 (value, old) == 0)
    {
      *out_id = g_strdup (edit->debtor_id);
      return TRUE;
    }

  update = _esa_store_prepare (self, update_sql, error);
  if (update == NULL)
    return FALSE;
  _esa_stmt_bind_text (update, 1, edit->debtor_id);
  _esa_stmt_bind_text (update, 2, value);
  if (!_esa_store_step_done (self, update, error))
    return FALSE;

  payload = _esa_store_field_payload (edit->field, value, old);
  /* Translators: "Name changed from “Rossi Mario” to “Rossi Mario Luigi”" */
  summary = g_strdup_printf (_("%s changed from “%s” to “%s”"), label,
                             old != NULL ? old : "", value != NULL ? value : "");
  if (!_esa_store_outbox_append (self, "field", "debtor", edit->debtor_id, payload, version, error)
      || !_esa_store_audit_append (self, NULL, esa_store_get_acting_user (self), "update",
                                   "debtor", edit->debtor_id, edit->debtor_id, summary, error))
    return FALSE;

  if (g_str_equal (edit->field, "name")
      && !_esa_store_search_index_debtor (self, edit->debtor_id, error))
    return FALSE;

  *out_id = g_strdup (edit->debtor_id);
  return TRUE;
}

gboolean
esa_store_update_debtor_field (EsaStore    *self,
                               const char  *debtor_id,
                               const char  *field,
                               const char  *value,
                               GError     **error)
{
  FieldEdit edit = { debtor_id, field, value };
  g_autofree char *id = NULL;

  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);
  g_return_val_if_fail (debtor_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_esa_store_check_action (self, ESA_ACTION_DEBTOR_EDIT, error))
    return FALSE;
  id = run_write (self, write_debtor_field, &edit, NULL, error);
  return id != NULL;
}

typedef struct
{
  const char       *debtor_id;
  const EsaAddress *address;
} Move;

static gboolean
write_move (EsaStore       *self,
            gconstpointer   record,
            gconstpointer   extra,
            char          **out_id,
            GError        **error)
{
  const Move *move = record;
  EsaAddress address = *move->address;
  g_autoptr(EsaStoreStmt) current = NULL;
  g_autoptr(EsaStoreStmt) end_address = NULL;
  g_autoptr(GPtrArray) ended = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) versions = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *today = NULL;
  g_autofree char *new_address_id = NULL;
  g_autofree char *summary = NULL;
  const char *valid_from;
  gint64 version;
  gboolean row;

  if (!debtor_exists (self, move->debtor_id, error))
    return FALSE;

  if (address.valid_from == NULL)
    {
      GDate date;

      esa_date_set_today (&date);
      address.valid_from = today = esa_date_to_iso (&date);
    }
  address.valid_to = NULL;
  if (!check_address (&address, error))
    return FALSE;

  current = _esa_store_prepare (self,
                                "SELECT id, version, valid_from FROM addresses "
                                "WHERE debtor_id = ?1 AND valid_to IS NULL",
                                error);
  if (current == NULL)
    return FALSE;
  _esa_stmt_bind_text (current, 1, move->debtor_id);
  for (;;)
    {
      if (!_esa_store_step (self, current, &row, error))
        return FALSE;
      if (!row)
        break;

      valid_from = (const char *) sqlite3_column_text (current, 2);
      version = sqlite3_column_int64 (current, 1);

      if (valid_from != NULL && strcmp (valid_from, address.valid_from) > 0)
        return _esa_store_fail (error, ESA_STORE_ERROR_INVALID,
                                _("The new address starts on %s, before the current one (from %s)"),
                                address.valid_from, valid_from);
      g_ptr_array_add (ended, _esa_stmt_dup_text (current, 0));
      g_array_append_val (versions, version);
    }
  g_clear_pointer (&current, _esa_store_stmt_release);

  /* The current addresses end the day the new one starts; each end is a
   * field edit of that address. */
  end_address = _esa_store_prepare (self,
                              "UPDATE addresses SET valid_to = ?2, version = version + 1 "
                              "WHERE id = ?1",
                              error);
  if (end_address == NULL)
    return FALSE;
  for (guint i = 0; i < ended->len; i++)
    {
      g_autoptr(JsonNode) payload = _esa_store_field_payload ("valid_to", address.valid_from, NULL);
      const char *ended_id = g_ptr_array_index (ended, i);

      _esa_stmt_bind_text (end_address, 1, ended_id);
      _esa_stmt_bind_text (end_address, 2, address.valid_from);
      if (!_esa_store_step_done (self, end_address, error))
        return FALSE;
      sqlite3_reset (end_address);
      if (!_esa_store_outbox_append (self, "field", "address", ended_id, payload,
                                     g_array_index (versions, gint64, i), error))
        return FALSE;
    }

  if (!insert_address (self, move->debtor_id, &address, &new_address_id, error))
    return FALSE;

  /* Translators: "Moved to Via Roma 12, 20121 Milano (from 2026-11-23)" */
  summary = g_strdup_printf (_("Moved to %s, %s %s (from %s)"), address.street,
                             address.postcode != NULL ? address.postcode : "", address.town,
                             address.valid_from);
  if (!_esa_store_audit_append (self, NULL, esa_store_get_acting_user (self), "move", "debtor",
                                move->debtor_id, move->debtor_id, summary, error)
      || !_esa_store_search_index_debtor (self, move->debtor_id, error))
    return FALSE;

  *out_id = g_steal_pointer (&new_address_id);
  return TRUE;
}

gboolean
esa_store_move_debtor (EsaStore          *self,
                       const char        *debtor_id,
                       const EsaAddress  *address,
                       GError           **error)
{
  Move move = { debtor_id, address };
  g_autofree char *id = NULL;

  g_return_val_if_fail (ESA_IS_STORE (self), FALSE);
  g_return_val_if_fail (debtor_id != NULL, FALSE);
  g_return_val_if_fail (address != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_esa_store_check_action (self, ESA_ACTION_DEBTOR_EDIT, error))
    return FALSE;
  id = run_write (self, write_move, &move, NULL, error);
  return id != NULL;
}
