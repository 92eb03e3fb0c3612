/* The "Sync" section of the workbench. */

#include "esa-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "esa-acting.h"
#include "esa-application.h"
#include "esa-money.h"
#include "esa-procedure-catalog.h"
#include "esa-roles.h"
#include "esa-store-payments.h"
#include "esa-store-sync.h"
#include "esa-sync-client.h"
#include "esa-sync-http.h"
#include "esa-sync-page.h"

struct _EsaSyncPage
{
  GtkWidget parent_instance;

  GtkWidget              *scroller;
  GtkButton              *sync_button;
  AdwActionRow           *server_row;
  AdwActionRow           *user_row;
  AdwActionRow           *state_row;
  GtkProgressBar         *progress_bar;
  AdwActionRow           *pending_row;
  AdwActionRow           *last_row;
  AdwActionRow           *conflicts_row;
  GtkListBox             *conflicts_list;
  AdwPreferencesGroup    *detail_group;
  AdwActionRow           *when_row;
  AdwActionRow           *who_row;
  AdwActionRow           *why_row;
  GtkListBox             *detail_list;
  GtkWidget              *keep_server_button;
  GtkWidget              *apply_mine_button;

  EsaStore               *store;
  EsaSyncClient          *client;
  GPtrArray              *conflicts;   /* (element-type EsaSyncConflict) the listed ones */
  gint64                  pending;
  gint64                  open_conflicts;
  char                   *last_sync;   /* ISO 8601, or NULL */
  char                   *status;      /* the header's short text, NULL: local only */
  const char             *status_icon;
};

G_DEFINE_FINAL_TYPE (EsaSyncPage, esa_sync_page, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_PENDING,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static char *
format_count (gint64 n)
{
  return g_strdup_printf ("%'" G_GINT64_FORMAT, n);
}

/* "2026-11-20T10:15:00Z" -> the local date and time, or the text as it is. */
static char *
format_when (const char *iso)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (iso == NULL)
    return NULL;
  utc = g_date_time_new_from_iso8601 (iso, NULL);
  if (utc == NULL)
    return g_strdup (iso);
  local = g_date_time_to_local (utc);
  /* Translators: a date and time, see g_date_time_format() */
  return g_date_time_format (local, _("%Y-%m-%d %H:%M"));
}

static void
set_subtitle (AdwActionRow *row,
              const char   *text)
{
  adw_action_row_set_subtitle (row, text != NULL ? text : "");
}

static char *
state_get (EsaSyncPage *self,
           const char  *key)
{
  g_autoptr(GError) error = NULL;
  char *value = esa_store_sync_state_get (self->store, key, &error);

  if (error != NULL)
    g_warning ("cannot read the sync state %s: %s", key, error->message);
  return value;
}

/* The few words the window's header shows of the sync, and its icon:
 * offline, syncing with its progress, failed, conflicts, operations waiting,
 * or the time of the last sync; nothing for a local database. */
static void
set_status (EsaSyncPage *self,
            const char  *icon,
            char        *text)
{
  if (g_strcmp0 (self->status, text) == 0 && g_strcmp0 (self->status_icon, icon) == 0)
    {
      g_free (text);
      return;
    }
  g_free (self->status);
  self->status = text;
  self->status_icon = icon;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATUS]);
}

static void
update_status_at_rest (EsaSyncPage *self)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *time = NULL;

  if (self->open_conflicts > 0)
    {
      set_status (self, "dialog-warning-symbolic",
                  g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d conflict", "%d conflicts",
                                                (gulong) self->open_conflicts),
                                   (int) self->open_conflicts));
      return;
    }
  if (self->pending > 0)
    {
      /* Translators: operations waiting to be sent to the server */
      set_status (self, "mail-outbox-symbolic",
                  g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d to send", "%d to send",
                                                (gulong) self->pending),
                                   (int) self->pending));
      return;
    }
  if (self->last_sync != NULL)
    utc = g_date_time_new_from_iso8601 (self->last_sync, NULL);
  if (utc == NULL)
    {
      set_status (self, "emblem-synchronizing-symbolic", g_strdup (_("Never synced")));
      return;
    }
  local = g_date_time_to_local (utc);
  now = g_date_time_new_now_local ();
  if (g_date_time_get_year (local) == g_date_time_get_year (now)
      && g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    {
      /* Translators: the time of today's last sync in the header, see g_date_time_format() */
      time = g_date_time_format (local, _("%H:%M"));
      /* Translators: "Synced 17:14": the time of today's last sync */
      set_status (self, "emblem-ok-symbolic", g_strdup_printf (_("Synced %s"), time));
      return;
    }
  /* Translators: the day of an older last sync in the header, see g_date_time_format() */
  time = g_date_time_format (local, _("%e %b"));
  /* Translators: "Synced on 20 Nov": the day of an older last sync */
  set_status (self, "emblem-ok-symbolic", g_strdup_printf (_("Synced on %s"), g_strstrip (time)));
}

static void
update_state_row (EsaSyncPage *self,
                  const char  *server)
{
  const char *text;

  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
  if (server == NULL)
    set_status (self, NULL, NULL);
  else if (self->client == NULL)
    update_status_at_rest (self);
  else
    switch (esa_sync_client_get_status (self->client))
      {
      case ESA_SYNC_STATUS_OFFLINE:
        set_status (self, "network-offline-symbolic", g_strdup (_("Offline")));
        break;
      case ESA_SYNC_STATUS_SYNCING:
        set_status (self, "emblem-synchronizing-symbolic", g_strdup (_("Syncing…")));
        break;
      case ESA_SYNC_STATUS_ERROR:
        set_status (self, "dialog-warning-symbolic", g_strdup (_("Sync failed")));
        break;
      case ESA_SYNC_STATUS_IDLE:
      default:
        update_status_at_rest (self);
        break;
      }

  if (server == NULL)
    text = _("Local only");
  else if (self->client == NULL)
    text = self->pending > 0 ? _("Changes waiting") : _("Up to date");
  else
    switch (esa_sync_client_get_status (self->client))
      {
      case ESA_SYNC_STATUS_OFFLINE:
        text = _("Offline");
        break;
      case ESA_SYNC_STATUS_SYNCING:
        text = _("Syncing…");
        gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
        break;
      case ESA_SYNC_STATUS_ERROR:
        text = esa_sync_client_get_last_error (self->client);
        if (text == NULL)
          text = _("The last sync failed");
        break;
      case ESA_SYNC_STATUS_IDLE:
      default:
        text = self->pending > 0 ? _("Changes waiting") : _("Up to date");
        break;
      }
  set_subtitle (self->state_row, text);
}

static void
update_status (EsaSyncPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *server = NULL;
  g_autofree char *user = NULL;
  g_autofree char *token = NULL;
  g_autofree char *count = NULL;
  g_autofree char *when = NULL;
  EsaSyncCounts counts = { 0, };
  const char *reason = NULL;

  server = state_get (self, ESA_SYNC_STATE_SERVER);
  user = state_get (self, ESA_SYNC_STATE_USER);
  token = state_get (self, ESA_SYNC_STATE_TOKEN);

  if (!esa_store_sync_counts (self->store, &counts, &error))
    g_warning ("cannot count the sync state: %s", error->message);
  self->pending = counts.pending_ops;
  self->open_conflicts = counts.open_conflicts;
  g_free (self->last_sync);
  self->last_sync = g_strdup (counts.last_sync);

  set_subtitle (self->server_row,
                server != NULL ? server
                               : _("No server configured: this is a local database"));
  set_subtitle (self->user_row, user != NULL ? user : _("Not signed in"));
  update_state_row (self, server);

  count = format_count (counts.pending_ops);
  set_subtitle (self->pending_row, count);
  g_clear_pointer (&count, g_free);
  when = format_when (counts.last_sync);
  set_subtitle (self->last_row, when != NULL ? when : _("Never"));
  count = format_count (counts.open_conflicts);
  set_subtitle (self->conflicts_row, count);

  if (server == NULL)
    reason = _("No server is configured for this database");
  else if (esa_store_get_path (self->store) == NULL)
    reason = _("An in-memory database cannot sync");
  else if (user == NULL && token == NULL)
    reason = _("Sign in once with “esattore-cli sync” to choose the user of this database");
  gtk_widget_set_sensitive (GTK_WIDGET (self->sync_button), reason == NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->sync_button), reason);

  esa_sync_counts_clear (&counts);
}

/* ---- conflicts ---------------------------------------------------------- */

/* What a conflict's record is, for people, by synced table or by the entity
 * name of an operation; others show their name. */
static const struct
{
  const char *table;
  const char *entity;
  const char *label;
} entity_labels[] = {
  { "debtors", "debtor", N_("Debtor") },
  { "addresses", "address", N_("Address") },
  { "debtor_contacts", "contact", N_("Contact details") },
  { "relations", "relation", N_("Relation") },
  { "positions", "position", N_("Position") },
  { "cases", "case", N_("Case") },
  { "acts", "act", N_("Act") },
  { "case_events", "case_event", N_("Case step") },
  { "notifications", "notification", N_("Notification") },
  { "payments", "payment", N_("Payment") },
  { "instalment_plans", "instalment_plan", N_("Instalment plan") },
  { "instalments", "instalment", N_("Instalment") },
  { "documents", "document", N_("Document") },
  { "contact_log", "contact_log", N_("Contact") },
  { "tickets", "ticket", N_("Ticket") },
  { "appointments", "appointment", N_("Appointment") },
  { "assignments", "assignment", N_("Dossier taken offline") },
  { "conflicts", "conflict", N_("Conflict") },
};

static const char *
entity_label (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (entity_labels); i++)
    if (g_strcmp0 (entity_labels[i].table, name) == 0
        || g_strcmp0 (entity_labels[i].entity, name) == 0)
      return _(entity_labels[i].label);
  return name;
}

/* The columns of the synced tables, for people. */
static const struct
{
  const char *column;
  const char *label;
} field_labels[] = {
  { "name", N_("Name") },
  { "tax_id", N_("Tax code") },
  { "birth_date", N_("Date of birth") },
  { "deceased_on", N_("Deceased on") },
  { "insolvent_since", N_("Insolvent since") },
  { "street", N_("Street") },
  { "postcode", N_("Postcode") },
  { "town", N_("Town") },
  { "country", N_("Country") },
  { "valid_from", N_("Valid from") },
  { "valid_to", N_("Valid until") },
  { "kind", N_("Kind") },
  { "value", N_("Value") },
  { "state", N_("State") },
  { "status", N_("Status") },
  { "action", N_("Step") },
  { "seq", N_("Step number") },
  { "from_state", N_("State before") },
  { "to_state", N_("State after") },
  { "occurred_on", N_("Date") },
  { "occurred_at", N_("Date and time") },
  { "opened_on", N_("Opened on") },
  { "closed_on", N_("Closed on") },
  { "next_deadline", N_("Next deadline") },
  { "next_deadline_label", N_("Next deadline for") },
  { "type", N_("Type") },
  { "number", N_("Number") },
  { "issued_on", N_("Issued on") },
  { "sent_on", N_("Sent on") },
  { "delivered_on", N_("Delivered on") },
  { "failed_on", N_("Failed on") },
  { "failure_reason", N_("Reason of failure") },
  { "method", N_("Method") },
  { "attempt", N_("Attempt") },
  { "amount", N_("Amount") },
  { "currency", N_("Currency") },
  { "principal", N_("Principal") },
  { "interest", N_("Interest") },
  { "sanctions", N_("Sanctions") },
  { "costs", N_("Costs") },
  { "paid", N_("Paid") },
  { "total", N_("Total") },
  { "paid_on", N_("Paid on") },
  { "channel", N_("Channel") },
  { "reference", N_("Reference") },
  { "payment_reference", N_("Payment reference") },
  { "remittance", N_("Remittance information") },
  { "unapplied", N_("Not applied") },
  { "due_on", N_("Due on") },
  { "due_date", N_("Due date") },
  { "first_due", N_("First instalment due") },
  { "revenue_type", N_("Revenue") },
  { "year", N_("Year") },
  { "title", N_("Title") },
  { "subject", N_("Subject") },
  { "description", N_("Description") },
  { "note", N_("Note") },
  { "outcome", N_("Outcome") },
  { "direction", N_("Direction") },
  { "starts_at", N_("Starts at") },
  { "minutes", N_("Minutes") },
  { "urgency", N_("Urgency") },
  { "level", N_("Level") },
  { "since", N_("Since") },
  { "decided_on", N_("Decided on") },
  { "reminded_on", N_("Reminded on") },
  { "created_at", N_("Created at") },
  { "resolution", N_("Resolution") },
  { "message", N_("Message") },
};

/* A column's label; a column without one reads as words ("closed_at" ->
 * "Closed at"), untranslated. (transfer full) */
static char *
field_label (const char *column)
{
  g_autofree char *words = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (field_labels); i++)
    if (g_str_equal (field_labels[i].column, column))
      return g_strdup (_(field_labels[i].label));
  words = g_strdelimit (g_strdup (column), "_", ' ');
  words[0] = g_ascii_toupper (words[0]);
  return g_steal_pointer (&words);
}

/* Bookkeeping an officer did not choose: keys, references by id, versions,
 * device numbers and the undo records of a step. */
static gboolean
is_bookkeeping (const char *column)
{
  return g_str_equal (column, "id") || g_str_equal (column, "version")
         || g_str_equal (column, "num") || g_str_equal (column, "fields")
         || g_str_has_suffix (column, "_id") || g_str_has_suffix (column, "_by")
         || g_str_has_prefix (column, "before_");
}

/* Columns holding money in minor units of the row's currency. */
static gboolean
is_money (const char *column)
{
  static const char * const money[] = { "amount", "principal", "interest", "sanctions", "costs",
                                        "paid", "total", "unapplied", NULL };

  return g_strv_contains (money, column);
}

static GtkWidget *
conflict_row_new (EsaSyncConflict *conflict)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *when = format_when (conflict->created_at);

  /* Translators: a conflict's title: the kind of record and the debtor */
  title = g_strdup_printf (_("%s of %s"), entity_label (conflict->entity),
                           conflict->debtor_name != NULL ? conflict->debtor_name
                           : conflict->debtor_id != NULL ? conflict->debtor_id
                           : conflict->entity_id);
  if (when != NULL)
    /* Translators: a conflict's subtitle: when it arose, who made the
     * change, then why the server refused it */
    subtitle = g_strdup_printf (_("%s, %s: %s"), when,
                                conflict->user_name != NULL ? conflict->user_name
                                : conflict->user_id != NULL ? conflict->user_id : _("unknown"),
                                conflict->message != NULL ? conflict->message : "");
  else
    subtitle = g_strdup (conflict->message != NULL ? conflict->message : "");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
  return row;
}

/* A value as an officer reads it: money with its currency, times in local
 * time, "—" for nothing. (transfer full) */
static char *
member_text (JsonObject *object,
             const char *name)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return g_strdup ("—");
  node = json_object_get_member (object, name);
  if (JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("—");
  if (is_money (name) && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_INT64)
    return esa_money_format (json_node_get_int (node),
                             json_object_get_string_member_with_default (object, "currency",
                                                                         "EUR"));
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);

      /* "2026-11-23T16:39:36Z", not a plain date. */
      if (strlen (text) > 10 && text[10] == 'T')
        return format_when (text);
      /* Why an import left a payment unapplied, in this officer's words. */
      if (g_str_equal (name, "note"))
        return esa_payment_note_describe (text);
      return g_strdup (text);
    }
  return json_to_string (node, FALSE);
}

static GtkWidget *
cell_new (const char *text,
          gboolean    selectable)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), selectable);
  return label;
}

/* One line of three columns: a field's label, this side's value and the
 * server's; values that differ are highlighted. */
static GtkWidget *
field_row_new (const char *name,
               const char *mine,
               const char *theirs,
               gboolean    heading)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *cells[3];
  gboolean differs = !heading && g_strcmp0 (mine, theirs) != 0;

  gtk_grid_set_column_homogeneous (GTK_GRID (grid), TRUE);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_widget_set_margin_start (grid, 12);
  gtk_widget_set_margin_end (grid, 12);
  gtk_widget_set_margin_top (grid, 8);
  gtk_widget_set_margin_bottom (grid, 8);
  cells[0] = cell_new (name, FALSE);
  cells[1] = cell_new (mine, !heading);
  cells[2] = cell_new (theirs, !heading);
  for (guint i = 0; i < G_N_ELEMENTS (cells); i++)
    {
      if (heading)
        gtk_widget_add_css_class (cells[i], "heading");
      else if (i == 0)
        gtk_widget_add_css_class (cells[i], "dim-label");
      else if (differs)
        gtk_widget_add_css_class (cells[i], i == 1 ? "accent" : "warning");
      gtk_grid_attach (GTK_GRID (grid), cells[i], (int) i, 0, 1, 1);
    }
  if (differs)
    {
      gtk_widget_add_css_class (cells[1], "heading");
      gtk_widget_add_css_class (cells[2], "heading");
      /* Translators: read by screen readers on a highlighted line */
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      _("The values differ"), -1);
    }
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), grid);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

static void
clear_list (GtkListBox *list)
{
  GtkListBoxRow *row;

  /* The rows only: the placeholder stays. */
  while ((row = gtk_list_box_get_row_at_index (list, 0)) != NULL)
    gtk_list_box_remove (list, GTK_WIDGET (row));
}

static JsonNode *
parse_json (const char *text)
{
  return text != NULL ? json_from_string (text, NULL) : NULL;
}

/* The object @name of @row, NULL when absent or null. */
static JsonObject *
image_of (JsonObject *row,
          const char *name)
{
  JsonNode *node = row != NULL ? json_object_get_member (row, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* The server's image of row @k of table @t in the conflict's "server"
 * array of {"t","k","after"}. */
static JsonObject *
server_image (JsonArray  *server,
              const char *t,
              const char *k)
{
  for (guint i = 0; server != NULL && i < json_array_get_length (server); i++)
    {
      JsonObject *row = json_array_get_object_element (server, i);

      if (row != NULL
          && g_strcmp0 (json_object_get_string_member_with_default (row, "t", NULL), t) == 0
          && g_strcmp0 (json_object_get_string_member_with_default (row, "k", NULL), k) == 0)
        return image_of (row, "after");
    }
  return NULL;
}

/* The procedures whose labels name states, steps and act types: the
 * application's, or (a page shown alone, as in the tests) loaded once. */
static GPtrArray *
known_procedures (void)
{
  static EsaProcedureCatalog *own;
  GApplication *app = g_application_get_default ();

  if (app != NULL && ESA_IS_APPLICATION (app))
    return esa_procedure_catalog_get_procedures (
      esa_application_get_catalog (ESA_APPLICATION (app)));
  if (own == NULL)
    own = esa_procedure_catalog_load ();
  return esa_procedure_catalog_get_procedures (own);
}

/* A procedure's id in a value ("lien_notice" as the state of a case, a step
 * or an act type) as its label in the officer's language; NULL when the
 * column holds no such id or no procedure knows it. (transfer none) */
static const char *
procedure_term (const char *table,
                const char *column,
                const char *value)
{
  GPtrArray *procedures = known_procedures ();
  gboolean state = (g_str_equal (table, "cases") && g_str_equal (column, "state"))
                   || (g_str_equal (table, "case_events")
                       && (g_str_equal (column, "from_state") || g_str_equal (column, "to_state")));
  gboolean action = g_str_equal (table, "case_events") && g_str_equal (column, "action");
  gboolean act_type = g_str_equal (table, "acts") && g_str_equal (column, "type");

  for (guint i = 0; value != NULL && procedures != NULL && i < procedures->len; i++)
    {
      EsaProcedure *procedure = g_ptr_array_index (procedures, i);
      const EsaState *s = state ? esa_procedure_find_state (procedure, value) : NULL;
      const EsaAction *a = action ? esa_procedure_find_action (procedure, value) : NULL;
      const EsaActType *t = act_type ? esa_procedure_find_act_type (procedure, value) : NULL;

      if (s != NULL)
        return esa_procedure_gettext (s->label);
      if (a != NULL)
        return esa_procedure_gettext (a->label);
      if (t != NULL)
        return esa_procedure_gettext (t->label);
    }
  return NULL;
}

/* member_text(), with a procedure's ids by their labels. (transfer full) */
static char *
record_text (const char *table,
             JsonObject *object,
             const char *name)
{
  const char *term = NULL;

  if (object != NULL && json_object_has_member (object, name))
    term = procedure_term (table, name,
                           json_object_get_string_member_with_default (object, name, NULL));
  return term != NULL ? g_strdup (term) : member_text (object, name);
}

/* One record of the refused change: a heading with what it is, then every
 * field an officer chose, this side's value beside the server's. */
static void
show_record (EsaSyncPage *self,
             const char  *table,
             JsonObject  *mine,
             JsonObject  *theirs)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GList) names = NULL;
  const char *mine_heading = mine != NULL ? _("This Workstation") : _("Removed Here");
  const char *their_heading = theirs != NULL ? _("Server") : _("Not on the Server");

  gtk_list_box_append (self->detail_list,
                       field_row_new (entity_label (table), mine_heading, their_heading, TRUE));
  if (mine != NULL)
    names = json_object_get_members (mine);
  if (theirs != NULL)
    names = g_list_concat (names, json_object_get_members (theirs));
  for (GList *l = names; l != NULL; l = l->next)
    {
      g_autofree char *label = NULL;
      g_autofree char *a = NULL;
      g_autofree char *b = NULL;

      if (!g_hash_table_add (seen, l->data) || is_bookkeeping (l->data))
        continue;
      a = record_text (table, mine, l->data);
      b = record_text (table, theirs, l->data);
      /* A field empty on both sides says nothing. */
      if (g_str_equal (a, "—") && g_str_equal (b, "—"))
        continue;
      label = field_label (l->data);
      gtk_list_box_append (self->detail_list, field_row_new (label, a, b, FALSE));
    }
}

static void
show_conflict (EsaSyncPage     *self,
               EsaSyncConflict *conflict)
{
  g_autoptr(JsonNode) local = NULL;
  g_autoptr(JsonNode) server = NULL;
  g_autofree char *when = NULL;
  JsonObject *op;
  JsonArray *server_rows;
  JsonNode *rows;
  guint shown = 0;

  clear_list (self->detail_list);
  gtk_widget_set_visible (GTK_WIDGET (self->detail_group), conflict != NULL);
  if (conflict == NULL)
    return;

  /* A role that may not settle conflicts (an auditor) sees why. */
  esa_acting_gate (self->keep_server_button, self->store, ESA_ACTION_SYNC_RESOLVE, NULL);
  esa_acting_gate (self->apply_mine_button, self->store, ESA_ACTION_SYNC_RESOLVE, NULL);

  when = format_when (conflict->created_at);
  set_subtitle (self->when_row, when != NULL ? when : _("Unknown"));
  set_subtitle (self->who_row, conflict->user_name != NULL ? conflict->user_name
                               : conflict->user_id != NULL ? conflict->user_id : _("Unknown"));
  set_subtitle (self->why_row, conflict->message);

  local = parse_json (conflict->local);
  server = parse_json (conflict->server);
  op = local != NULL && JSON_NODE_HOLDS_OBJECT (local) ? json_node_get_object (local) : NULL;
  server_rows = server != NULL && JSON_NODE_HOLDS_ARRAY (server) ? json_node_get_array (server)
                                                                 : NULL;
  rows = op != NULL ? json_object_get_member (op, "rows") : NULL;
  for (guint i = 0; rows != NULL && JSON_NODE_HOLDS_ARRAY (rows)
                    && i < json_array_get_length (json_node_get_array (rows)); i++)
    {
      JsonObject *row = json_array_get_object_element (json_node_get_array (rows), i);
      const char *t = row != NULL ? json_object_get_string_member_with_default (row, "t", NULL)
                                  : NULL;
      const char *k = row != NULL ? json_object_get_string_member_with_default (row, "k", NULL)
                                  : NULL;

      /* Join rows name two records by id: nothing to compare for people. */
      if (t == NULL || k == NULL || strchr (k, '|') != NULL)
        continue;
      show_record (self, t, image_of (row, "after"), server_image (server_rows, t, k));
      shown++;
    }
  if (shown == 0)
    gtk_list_box_append (self->detail_list,
                         field_row_new (_("Record"),
                                        conflict->local != NULL ? conflict->local : "—",
                                        conflict->server != NULL ? conflict->server : "—",
                                        FALSE));
}

static void
on_conflict_selected (EsaSyncPage   *self,
                      GtkListBoxRow *row)
{
  int index = row != NULL ? gtk_list_box_row_get_index (row) : -1;

  if (self->conflicts == NULL || index < 0 || (guint) index >= self->conflicts->len)
    show_conflict (self, NULL);
  else
    show_conflict (self, g_ptr_array_index (self->conflicts, index));
}

static void
reload_conflicts (EsaSyncPage *self)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->conflicts, g_ptr_array_unref);
  clear_list (self->conflicts_list);
  show_conflict (self, NULL);
  if (self->store == NULL)
    return;

  self->conflicts = esa_store_sync_list_conflicts (self->store, TRUE, &error);
  if (self->conflicts == NULL)
    {
      g_warning ("cannot list the conflicts: %s", error->message);
      return;
    }
  for (guint i = 0; i < self->conflicts->len; i++)
    gtk_list_box_append (self->conflicts_list,
                         conflict_row_new (g_ptr_array_index (self->conflicts, i)));
  /* The newest conflict is shown at once: usually there is only one. */
  if (self->conflicts->len > 0)
    gtk_list_box_select_row (self->conflicts_list,
                             gtk_list_box_get_row_at_index (self->conflicts_list, 0));
}

void
esa_sync_page_reload (EsaSyncPage *self)
{
  g_return_if_fail (ESA_IS_SYNC_PAGE (self));

  self->pending = 0;
  self->open_conflicts = 0;
  reload_conflicts (self);
  if (self->store != NULL)
    update_status (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PENDING]);
}

gboolean
esa_sync_page_resolve (EsaSyncPage  *self,
                       guint         index,
                       gboolean      apply_mine,
                       GError      **error)
{
  EsaSyncConflict *conflict;
  gboolean ok;

  g_return_val_if_fail (ESA_IS_SYNC_PAGE (self), FALSE);
  g_return_val_if_fail (self->conflicts != NULL && index < self->conflicts->len, FALSE);

  conflict = g_ptr_array_index (self->conflicts, index);
  if (apply_mine)
    ok = esa_store_sync_apply_mine_again (self->store, conflict->id, error);
  else
    ok = esa_store_sync_resolve_conflict (self->store, conflict->id,
                                          _("Kept the server version"), error);
  if (!ok)
    return FALSE;
  esa_sync_page_reload (self);
  return TRUE;
}

static void
resolve_selected (EsaSyncPage *self,
                  gboolean     apply_mine)
{
  g_autoptr(GError) error = NULL;
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->conflicts_list);

  if (row == NULL)
    return;
  if (!esa_sync_page_resolve (self, gtk_list_box_row_get_index (row), apply_mine, &error))
    {
      GtkWidget *dialog = adw_message_dialog_new (
        GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
        _("The conflict could not be resolved"), error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
}

static void
on_keep_server_clicked (EsaSyncPage *self)
{
  resolve_selected (self, FALSE);
}

static void
on_apply_mine_clicked (EsaSyncPage *self)
{
  resolve_selected (self, TRUE);
}

/* ---- syncing ---------------------------------------------------------- */

static void
on_client_status_changed (EsaSyncPage *self)
{
  g_autofree char *server = NULL;

  if (self->store == NULL)
    return;
  server = state_get (self, ESA_SYNC_STATE_SERVER);
  update_state_row (self, server);
}

static void
on_client_progress (EsaSyncPage *self,
                    const char  *phase,
                    guint64      done,
                    guint64      total)
{
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
  gtk_progress_bar_set_show_text (self->progress_bar, FALSE);
  if (total > 0)
    {
      int percent = (int) MIN (100, done * 100 / total);

      gtk_progress_bar_set_fraction (self->progress_bar, MIN (1.0, (double) done / total));
      /* Translators: the header while a sync runs: "Syncing 45 %" */
      set_status (self, "emblem-synchronizing-symbolic",
                  g_strdup_printf (_("Syncing %d %%"), percent));
    }
  else
    gtk_progress_bar_pulse (self->progress_bar);
}

static void
on_client_synced (EsaSyncPage *self)
{
  esa_sync_page_reload (self);
}

static void
start_client (EsaSyncPage *self)
{
  g_autoptr(GError) error = NULL;

  if (self->client != NULL)
    {
      esa_sync_client_sync_now (self->client);
      return;
    }

  self->client = esa_sync_client_new (self->store, NULL);
  g_signal_connect_object (self->client, "status-changed",
                           G_CALLBACK (on_client_status_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "progress",
                           G_CALLBACK (on_client_progress), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "synced",
                           G_CALLBACK (on_client_synced), self, G_CONNECT_SWAPPED);
  /* The background client syncs at once, then every ten minutes while the
   * network is up, with the session stored in the database. */
  if (!esa_sync_client_start_background (self->client, 600, &error))
    {
      set_subtitle (self->state_row, error->message);
      g_clear_object (&self->client);
    }
}

typedef struct
{
  char *path;
  char *user;
  char *password;
} Login;

static void
login_free (Login *login)
{
  g_free (login->path);
  g_free (login->user);
  if (login->password != NULL)
    memset (login->password, 0, strlen (login->password));
  g_free (login->password);
  g_free (login);
}

/* In a worker thread with a connection of its own, as the background sync
 * does: logging in waits for the network. */
static void
login_thread (GTask        *task,
              gpointer      source,
              gpointer      data,
              GCancellable *cancellable)
{
  Login *login = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaStore) store = NULL;
  g_autoptr(EsaSyncHttp) http = NULL;
  g_autoptr(EsaSyncClient) client = NULL;
  g_autofree char *server = NULL;
  g_autofree char *ca = NULL;

  store = esa_store_open (login->path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  server = esa_store_sync_state_get (store, ESA_SYNC_STATE_SERVER, NULL);
  ca = esa_store_sync_state_get (store, ESA_SYNC_STATE_CA, NULL);
  if (server == NULL || ca == NULL)
    {
      g_task_return_new_error (task, ESA_SYNC_ERROR, ESA_SYNC_ERROR_NOT_CONFIGURED,
                               _("No server is configured for this database"));
      return;
    }
  http = esa_sync_http_new (server, ca, &error);
  if (http == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  client = esa_sync_client_new (store, ESA_SYNC_TRANSPORT (http));
  if (!esa_sync_client_login (client, login->user, login->password, NULL, cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
login_done (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  EsaSyncPage *self = ESA_SYNC_PAGE (source);
  g_autoptr(GError) error = NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->sync_button), TRUE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      set_subtitle (self->state_row, error->message);
      return;
    }
  start_client (self);
}

static void
on_password_response (AdwMessageDialog *dialog,
                      const char       *response,
                      EsaSyncPage      *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autoptr(GTask) task = NULL;
  Login *login;

  if (g_strcmp0 (response, "sign-in") != 0 || self->store == NULL)
    return;

  login = g_new0 (Login, 1);
  login->path = g_strdup (esa_store_get_path (self->store));
  login->user = state_get (self, ESA_SYNC_STATE_USER);
  login->password = g_strdup (gtk_editable_get_text (entry));
  gtk_editable_set_text (entry, "");

  gtk_widget_set_sensitive (GTK_WIDGET (self->sync_button), FALSE);
  set_subtitle (self->state_row, _("Signing in…"));
  task = g_task_new (self, NULL, login_done, NULL);
  g_task_set_source_tag (task, on_password_response);
  g_task_set_task_data (task, login, (GDestroyNotify) login_free);
  g_task_run_in_thread (task, login_thread);
}

/* Without a stored session (or with an expired one) the server wants the
 * password of the database's user again. */
static void
ask_password (EsaSyncPage *self)
{
  g_autofree char *user = state_get (self, ESA_SYNC_STATE_USER);
  g_autofree char *body = NULL;
  GtkWidget *dialog;
  GtkWidget *entry;

  if (user == NULL)
    {
      set_subtitle (self->state_row,
                    _("Sign in once with “esattore-cli sync” to choose the user of this "
                      "database"));
      return;
    }

  /* Translators: %s is a login name */
  body = g_strdup_printf (_("The server wants the password of %s to sync."), user);
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   _("Sign In to the Server"), body);
  entry = gtk_password_entry_new ();
  gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Password"), -1);
  g_object_set (entry, "activates-default", TRUE, NULL);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "sign-in", _("_Sign In"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "sign-in",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "sign-in");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_password_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/* The stored session is used while it lasts; else the password is asked. */
static gboolean
session_valid (EsaSyncPage *self)
{
  g_autofree char *token = state_get (self, ESA_SYNC_STATE_TOKEN);
  g_autofree char *expires = state_get (self, ESA_SYNC_STATE_EXPIRES);
  g_autoptr(GDateTime) until = NULL;
  g_autoptr(GDateTime) now = NULL;

  if (token == NULL)
    return FALSE;
  if (expires == NULL)
    return TRUE;
  until = g_date_time_new_from_iso8601 (expires, NULL);
  if (until == NULL)
    return TRUE;
  now = g_date_time_new_now_utc ();
  return g_date_time_compare (now, until) < 0;
}

static void
on_sync_clicked (EsaSyncPage *self)
{
  if (self->store == NULL)
    return;
  if (self->client == NULL && !session_valid (self))
    ask_password (self);
  else
    start_client (self);
}

/* ---- the object ------------------------------------------------------- */

void
esa_sync_page_set_store (EsaSyncPage *self,
                         EsaStore    *store)
{
  g_return_if_fail (ESA_IS_SYNC_PAGE (self));

  if (self->client != NULL)
    esa_sync_client_stop_background (self->client);
  g_clear_object (&self->client);
  g_set_object (&self->store, store);
  esa_sync_page_reload (self);
}

gint64
esa_sync_page_get_pending (EsaSyncPage *self)
{
  g_return_val_if_fail (ESA_IS_SYNC_PAGE (self), 0);
  return self->pending;
}

gint64
esa_sync_page_get_conflicts (EsaSyncPage *self)
{
  g_return_val_if_fail (ESA_IS_SYNC_PAGE (self), 0);
  return self->open_conflicts;
}

guint
esa_sync_page_get_n_listed (EsaSyncPage *self)
{
  g_return_val_if_fail (ESA_IS_SYNC_PAGE (self), 0);
  return self->conflicts != NULL ? self->conflicts->len : 0;
}

GtkWidget *
esa_sync_page_new (void)
{
  return g_object_new (ESA_TYPE_SYNC_PAGE, NULL);
}

static void
esa_sync_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  EsaSyncPage *self = ESA_SYNC_PAGE (object);

  switch (prop_id)
    {
    case PROP_PENDING:
      g_value_set_int64 (value, self->pending);
      break;
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esa_sync_page_dispose (GObject *object)
{
  EsaSyncPage *self = ESA_SYNC_PAGE (object);

  if (self->client != NULL)
    esa_sync_client_stop_background (self->client);
  g_clear_object (&self->client);
  g_clear_object (&self->store);
  g_clear_pointer (&self->conflicts, g_ptr_array_unref);
  g_clear_pointer (&self->last_sync, g_free);
  g_clear_pointer (&self->status, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), ESA_TYPE_SYNC_PAGE);

  G_OBJECT_CLASS (esa_sync_page_parent_class)->dispose (object);
}

static void
esa_sync_page_class_init (EsaSyncPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = esa_sync_page_dispose;
  object_class->get_property = esa_sync_page_get_property;

  /* Changes whenever the counts are read again (the sidebar follows it). */
  props[PROP_PENDING] = g_param_spec_int64 ("pending", NULL, NULL, 0, G_MAXINT64, 0,
                                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* The header's few words of the sync (esa_sync_page_get_status()). */
  props[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL,
                                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/esattore/Esattore/ui/esa-sync-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, EsaSyncPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, EsaSyncPage, sync_button);
  gtk_widget_class_bind_template_child (widget_class, EsaSyncPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, EsaSyncPage, user_row);
  gtk_widget_class_bind_template_child (widget_class, EsaSyncPage, state_row);
  gtk_widget_class_bind_template_child (widget_class, EsaSyncPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, EsaSyncPage, pending_row);
  gtk_widget_class_bind_template_child (widget_class, EsaSyncPage, last_row);
  gtk_widget_class_bind_template_child (widget_class, EsaSyncPage, conflicts_row);
  gtk_widget_class_bind_template_child (widget_class, EsaSyncPage, conflicts_list);
  gtk_widget_class_bind_template_child (widget_class, EsaSyncPage, detail_group);
  gtk_widget_class_bind_template_child (widget_class, EsaSyncPage, when_row);
  gtk_widget_class_bind_template_child (widget_class, EsaSyncPage, who_row);
  gtk_widget_class_bind_template_child (widget_class, EsaSyncPage, why_row);
  gtk_widget_class_bind_template_child (widget_class, EsaSyncPage, detail_list);
  gtk_widget_class_bind_template_child (widget_class, EsaSyncPage, keep_server_button);
  gtk_widget_class_bind_template_child (widget_class, EsaSyncPage, apply_mine_button);
  gtk_widget_class_bind_template_callback (widget_class, on_sync_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_conflict_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_keep_server_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_apply_mine_clicked);
}

static void
esa_sync_page_init (EsaSyncPage *self)
{
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));

  placeholder = gtk_label_new (_("No open conflicts"));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 18);
  gtk_widget_set_margin_bottom (placeholder, 18);
  gtk_list_box_set_placeholder (self->conflicts_list, placeholder);
}

const char *
esa_sync_page_get_status (EsaSyncPage  *self,
                          const char  **out_icon)
{
  g_return_val_if_fail (ESA_IS_SYNC_PAGE (self), NULL);

  if (out_icon != NULL)
    *out_icon = self->status_icon;
  return self->status;
}
