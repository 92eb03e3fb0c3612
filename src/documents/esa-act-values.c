/* esa-act-values.c: the values of an act's placeholders
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <string.h>

#include "esa-core.h"
#include "esa-documents-private.h"

/* Every name a template may use in braces ({debtor.name}); "field.<id>"
 * (a field of the case step that produced the act, "field.<id>|amount" for
 * an amount in minor units) is known too. help/C/templates.page lists them
 * with their meaning. */
static const char * const known_names[] = {
  "act.number", "act.date", "act.title", "act.amount",
  "case.reference", "case.opened_on",
  "debtor.name", "debtor.tax_id", "debtor.street", "debtor.postcode", "debtor.town",
  "debtor.country", "debtor.address", "debtor.birth_date",
  "body.name", "body.tax_code", "body.iban", "body.street", "body.postcode", "body.town",
  "body.address", "body.phone", "body.email", "body.pec", "body.website", "body.hours",
  "body.department",
  "office.name", "office.town",
  "officer.name", "responsible.name", "issuer.name",
  "amount.principal", "amount.sanctions", "amount.interest", "amount.costs", "amount.paid",
  "amount.claim", "amount.total",
  "currency",
  "deadline.days", "deadline.date",
  "due.date", "due.dates",
  "credit.nature", "credit.years", "credit.titles", "credit.references",
  "appeal.authority", "appeal.days",
  "plan.instalments", "plan.total", "plan.first_due", "plan.last_due", "plan.instalment",
  "instalment.seq", "instalment.count", "instalment.due", "instalment.amount",
  "slip.title",
  "page", "pages",
};

gboolean
_esa_placeholder_is_known (const char *name)
{
  if (g_str_has_prefix (name, "field.") && name[6] != '\0')
    {
      const char *bar = strchr (name, '|');

      return bar == NULL || g_strcmp0 (bar, "|amount") == 0;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (known_names); i++)
    if (strcmp (name, known_names[i]) == 0)
      return TRUE;
  return FALSE;
}

char *
_esa_format_short_date (EsaActTemplate *tmpl,
                        const char     *iso)
{
  g_autoptr(GHashTable) parts = NULL;
  const char *format = _esa_json_get_string (tmpl->common, "short_date");
  char day[4], month[4], year[8];
  GDate date;

  if (iso == NULL || !esa_date_parse_iso (iso, &date, NULL))
    return g_strdup (iso != NULL ? iso : "");
  if (format == NULL)
    return g_strdup (iso);

  g_snprintf (day, sizeof day, "%02u", g_date_get_day (&date));
  g_snprintf (month, sizeof month, "%02u", g_date_get_month (&date));
  g_snprintf (year, sizeof year, "%04u", g_date_get_year (&date));
  parts = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (parts, (gpointer) "dd", day);
  g_hash_table_insert (parts, (gpointer) "mm", month);
  g_hash_table_insert (parts, (gpointer) "yyyy", year);
  return _esa_expand (format, parts, FALSE);
}

char *
_esa_format_date (EsaActTemplate *tmpl,
                  const char     *iso)
{
  g_autoptr(GHashTable) parts = NULL;
  const char *format = _esa_json_get_string (tmpl->common, "date_format");
  JsonNode *months = json_object_get_member (tmpl->common, "months");
  g_autofree char *day = NULL;
  g_autofree char *year = NULL;
  const char *month = NULL;
  GDate date;

  if (iso == NULL || !esa_date_parse_iso (iso, &date, NULL))
    return g_strdup (iso != NULL ? iso : "");

  if (months != NULL && JSON_NODE_HOLDS_ARRAY (months)
      && json_array_get_length (json_node_get_array (months)) == 12)
    month = _esa_json_array_string (json_node_get_array (months),
                                           g_date_get_month (&date) - 1);
  if (format == NULL || month == NULL)
    return g_strdup (iso);

  day = g_strdup_printf ("%u", g_date_get_day (&date));
  year = g_strdup_printf ("%u", g_date_get_year (&date));
  parts = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (parts, (gpointer) "day", day);
  g_hash_table_insert (parts, (gpointer) "month", (gpointer) month);
  g_hash_table_insert (parts, (gpointer) "year", year);
  return _esa_expand (format, parts, FALSE);
}

/* An amount for a sentence: the currency and the figure never part at
 * the end of a line. */
static char *
money (gint64      amount,
       const char *currency)
{
  g_autofree char *text = esa_money_format (amount, currency);
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == ' ')
        g_string_append (out, "\u00a0");
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static void
set (GHashTable *values,
     const char *name,
     char       *value)
{
  g_hash_table_insert (values, g_strdup (name), value != NULL ? value : g_strdup (""));
}

static void
set_const (GHashTable *values,
           const char *name,
           const char *value)
{
  set (values, name, g_strdup (value != NULL ? value : ""));
}

/* Adds @text to @list unless it is already there. */
static void
add_unique (GPtrArray  *list,
            const char *text)
{
  if (text == NULL || *text == '\0')
    return;
  for (guint i = 0; i < list->len; i++)
    if (strcmp (g_ptr_array_index (list, i), text) == 0)
      return;
  g_ptr_array_add (list, g_strdup (text));
}

static char *
join (GPtrArray  *list,
      const char *separator)
{
  g_ptr_array_add (list, NULL);
  return g_strjoinv (separator, (char **) list->pdata);
}

/* A member of a nested object of the template's common texts. */
static const char *
common_lookup (EsaActTemplate *tmpl,
               const char     *object,
               const char     *member)
{
  JsonNode *node = json_object_get_member (tmpl->common, object);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return _esa_json_get_string (json_node_get_object (node), member);
}

static JsonObject *
object_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static gint64
int_member (JsonObject *object,
            const char *member,
            gint64      fallback)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return fallback;
  return json_node_get_int (node);
}

/* The country's name as an address line prints it. */
static const char *
country_name (EsaActTemplate *tmpl,
              const char     *code)
{
  const char *name = common_lookup (tmpl, "countries", code);

  return name != NULL ? name : code;
}

static gboolean
is_tax_revenue (EsaActTemplate *tmpl,
                const char     *revenue)
{
  JsonNode *list = json_object_get_member (tmpl->profile, "tax_revenues");
  static const char * const defaults[] = { "IMU", "TARI", "tax" };

  if (list != NULL && JSON_NODE_HOLDS_ARRAY (list))
    {
      JsonArray *array = json_node_get_array (list);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (g_strcmp0 (_esa_json_array_string (array, i), revenue) == 0)
          return TRUE;
      return FALSE;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (defaults); i++)
    if (g_strcmp0 (defaults[i], revenue) == 0)
      return TRUE;
  return FALSE;
}

static void
add_field_values (GHashTable       *values,
                  EsaActTemplate   *tmpl,
                  const EsaActData *data)
{
  JsonObject *fields;
  JsonObject *choices = object_member (tmpl->act, "choices");
  g_autoptr(GList) members = NULL;

  if (data->fields == NULL)
    return;

  fields = json_node_get_object (data->fields);
  members = json_object_get_members (fields);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *id = l->data;
      JsonNode *node = json_object_get_member (fields, id);
      g_autofree char *name = g_strdup_printf ("field.%s", id);
      GType type;

      if (!JSON_NODE_HOLDS_VALUE (node))
        continue;
      type = json_node_get_value_type (node);
      if (type == G_TYPE_INT64)
        {
          g_autofree char *amount_name = g_strdup_printf ("%s|amount", name);

          set (values, name, g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node)));
          set (values, amount_name,
               money (json_node_get_int (node), data->body->currency));
        }
      else if (type == G_TYPE_BOOLEAN)
        set_const (values, name,
                   common_lookup (tmpl, "labels", json_node_get_boolean (node) ? "yes" : "no"));
      else if (type == G_TYPE_STRING)
        {
          const char *text = json_node_get_string (node);
          JsonObject *mapping = object_member (choices, id);
          const char *mapped = mapping != NULL ? _esa_json_get_string (mapping, text) : NULL;
          GDate date;

          if (mapped != NULL)
            set_const (values, name, mapped);
          else if (strlen (text) == 10 && esa_date_parse_iso (text, &date, NULL))
            set (values, name, _esa_format_date (tmpl, text));
          else
            set_const (values, name, text);
        }
    }
}

GHashTable *
_esa_act_values_new (EsaActTemplate   *tmpl,
                     const EsaActData *data)
{
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *currency = data->body->currency;
  JsonObject *address = object_member (tmpl->profile, "address");
  JsonObject *contact = object_member (tmpl->profile, "contact");
  JsonObject *appeal = NULL;
  g_autoptr(GPtrArray) nature = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) years = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) references = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) due_dates = g_ptr_array_new_with_free_func (g_free);
  gint64 principal = 0, sanctions = 0, interest = 0, costs = 0, paid = 0;
  const char *earliest_due = NULL;
  gint64 deadline_days;
  GDate date;

  /* The act and its case. */
  set_const (values, "act.number", data->act->number);
  set (values, "act.date", _esa_format_date (tmpl, data->act->issued_on));
  set_const (values, "act.title", _esa_json_get_string (tmpl->act, "title"));
  set (values, "act.amount", money (data->act->amount, currency));
  /* The first block of the case's id: enough to find it, short to print. */
  set (values, "case.reference", g_strndup (data->case_->id, 8));
  set (values, "case.opened_on", _esa_format_date (tmpl, data->case_->opened_on));

  /* The debtor and the current address. */
  set_const (values, "debtor.name", data->debtor->name);
  {
    EsaIdKind kind;
    char *printed = NULL;

    if (data->debtor->tax_id != NULL && data->debtor->tax_id_kind != NULL
        && esa_id_kind_from_string (data->debtor->tax_id_kind, &kind))
      printed = esa_id_format (kind, data->debtor->tax_id);
    set (values, "debtor.tax_id", printed != NULL ? printed : g_strdup (data->debtor->tax_id));
  }
  set (values, "debtor.birth_date", _esa_format_date (tmpl, data->debtor->birth_date));
  if (data->debtor->addresses != NULL && data->debtor->addresses->len > 0)
    {
      const EsaAddress *current = g_ptr_array_index (data->debtor->addresses, 0);

      set_const (values, "debtor.street", current->street);
      set_const (values, "debtor.postcode", current->postcode);
      set_const (values, "debtor.town", current->town);
      set_const (values, "debtor.country", country_name (tmpl, current->country));
      set (values, "debtor.address",
           g_strdup_printf ("%s, %s%s%s", current->street,
                            current->postcode != NULL ? current->postcode : "",
                            current->postcode != NULL ? " " : "", current->town));
    }

  /* The creditor body, from the store and its body.json. */
  set_const (values, "body.name", data->body->name);
  {
    EsaIdKind kind = g_strcmp0 (data->body->country, "CH") == 0 ? ESA_ID_UID
                                                                 : ESA_ID_PARTITA_IVA;
    char *printed = data->body->tax_code != NULL ? esa_id_format (kind, data->body->tax_code)
                                                 : NULL;

    set (values, "body.tax_code", printed != NULL ? printed : g_strdup (data->body->tax_code));
    set (values, "body.iban",
         data->body->iban != NULL ? esa_id_format (ESA_ID_IBAN, data->body->iban) : NULL);
  }
  {
    const char *street = _esa_json_get_string (address, "street");
    const char *number = _esa_json_get_string (address, "number");
    const char *postcode = _esa_json_get_string (address, "postcode");
    const char *town = _esa_json_get_string (address, "town");
    g_autofree char *street_line = NULL;

    street_line = street != NULL && number != NULL ? g_strdup_printf ("%s %s", street, number)
                                                   : g_strdup (street);
    set_const (values, "body.street", street_line);
    set_const (values, "body.postcode", postcode);
    set_const (values, "body.town", town != NULL ? town : data->office->town);
    if (street_line != NULL && town != NULL)
      set (values, "body.address",
           g_strdup_printf ("%s, %s%s%s", street_line, postcode != NULL ? postcode : "",
                            postcode != NULL ? " " : "", town));
    else
      set_const (values, "body.address", data->office->town);
  }
  set_const (values, "body.phone", _esa_json_get_string (contact, "phone"));
  set_const (values, "body.email", _esa_json_get_string (contact, "email"));
  set_const (values, "body.pec", _esa_json_get_string (contact, "pec"));
  set_const (values, "body.website", _esa_json_get_string (contact, "website"));
  set_const (values, "body.hours", _esa_json_get_string (contact, "hours"));
  set_const (values, "body.department", _esa_json_get_string (tmpl->profile, "department"));

  set_const (values, "office.name", data->office->name);
  set_const (values, "office.town", data->office->town);
  set_const (values, "officer.name", data->case_->officer_name);
  set_const (values, "responsible.name",
             data->responsible != NULL ? data->responsible->name : NULL);
  set_const (values, "issuer.name", data->issuer != NULL ? data->issuer->name : NULL);

  /* What is owed, and what it is owed for. */
  for (guint i = 0; i < data->positions->len; i++)
    {
      const EsaPosition *position = g_ptr_array_index (data->positions, i);
      const char *kind = common_lookup (tmpl, "title_kinds", position->revenue_type);
      g_autofree char *year = g_strdup_printf ("%d", position->year);
      g_autofree char *title = NULL;

      principal += position->principal;
      sanctions += position->sanctions;
      interest += position->interest;
      costs += position->costs;
      paid += position->paid;

      add_unique (nature, common_lookup (tmpl, "revenue", position->revenue_type) != NULL
                          ? common_lookup (tmpl, "revenue", position->revenue_type)
                          : position->revenue_type);
      add_unique (years, year);
      title = g_strdup_printf ("%s %s", kind != NULL ? kind : "", position->reference);
      add_unique (titles, g_strstrip (title));
      add_unique (references, position->reference);
      if (earliest_due == NULL || g_strcmp0 (position->due_date, earliest_due) < 0)
        earliest_due = position->due_date;
    }
  for (guint i = 0; i < data->positions->len; i++)
    {
      const EsaPosition *position = g_ptr_array_index (data->positions, i);
      g_autofree char *due = _esa_format_date (tmpl, position->due_date);

      add_unique (due_dates, due);
    }

  set (values, "amount.principal", money (principal, currency));
  set (values, "amount.sanctions", money (sanctions, currency));
  set (values, "amount.interest", money (interest, currency));
  set (values, "amount.costs", money (costs, currency));
  set (values, "amount.paid", money (paid, currency));
  set (values, "amount.claim",
       money (principal + sanctions + interest + costs, currency));
  set (values, "amount.total",
       money (principal + sanctions + interest + costs - paid, currency));
  set_const (values, "currency", currency);

  set (values, "credit.nature", join (nature, "; "));
  set (values, "credit.years", join (years, ", "));
  set (values, "credit.titles", join (titles, "; "));
  set (values, "credit.references", join (references, ", "));
  set (values, "due.date", _esa_format_date (tmpl, earliest_due));
  set (values, "due.dates", join (due_dates, ", "));

  /* The payment deadline counts from the date of the act; the template
   * says how many days. */
  deadline_days = int_member (tmpl->act, "deadline_days", 0);
  set (values, "deadline.days", g_strdup_printf ("%" G_GINT64_FORMAT, deadline_days));
  if (esa_date_parse_iso (data->act->issued_on, &date, NULL))
    {
      g_autofree char *iso = NULL;

      g_date_add_days (&date, (guint) CLAMP (deadline_days, 0, 3650));
      iso = esa_date_to_iso (&date);
      set (values, "deadline.date", _esa_format_date (tmpl, iso));
    }

  /* Where to appeal: the body's court for taxes, or for other revenues. */
  if (data->positions->len > 0)
    {
      const EsaPosition *first = g_ptr_array_index (data->positions, 0);

      appeal = object_member (object_member (tmpl->profile, "appeal"),
                              is_tax_revenue (tmpl, first->revenue_type) ? "tax" : "other");
    }
  if (appeal == NULL)
    appeal = object_member (object_member (tmpl->profile, "appeal"), "other");
  set_const (values, "appeal.authority", _esa_json_get_string (appeal, "authority"));
  set (values, "appeal.days", g_strdup_printf ("%" G_GINT64_FORMAT, int_member (appeal, "days",
                                                                                0)));

  /* The instalment plan. */
  if (data->plan != NULL && data->instalments->len > 0)
    {
      const EsaActInstalment *first = g_ptr_array_index (data->instalments, 0);
      const EsaActInstalment *last = g_ptr_array_index (data->instalments,
                                                        data->instalments->len - 1);

      set (values, "plan.instalments", g_strdup_printf ("%u", data->instalments->len));
      set (values, "plan.total", money (data->plan->total, data->plan->currency));
      set (values, "plan.first_due", _esa_format_date (tmpl, first->due_on));
      set (values, "plan.last_due", _esa_format_date (tmpl, last->due_on));
      set (values, "plan.instalment", money (last->amount, data->plan->currency));
    }

  add_field_values (values, tmpl, data);

  return values;
}
