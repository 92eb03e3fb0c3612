/* The Sync section in-process with real widgets: the page shows the number
 * of operations waiting in the outbox, and an open conflict is listed with
 * both sides until keeping the server's version resolves it.
 *
 * With ESATTORE_TEST_SHOTS set to a folder, the page is also saved there as
 * a PNG file, for people to look at. */

#include "esa-config.h"

#include <adwaita.h>
#include <sqlite3.h>

#include "esa-dossier-offline.h"
#include "esa-gui-test.h"
#include "esa-store-private.h"
#include "esa-store-sync.h"
#include "esa-sync-page.h"

static EsaStore *store;

static char *
first_id (const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *id = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_esa_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  g_assert_nonnull (id);
  return id;
}

/* The header's words name the count that matters, with its icon. */
static void
assert_status (EsaSyncPage *page,
               const char  *icon,
               gint64       count)
{
  const char *shown_icon = NULL;
  const char *status = esa_sync_page_get_status (page, &shown_icon);
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, count);

  g_assert_nonnull (status);
  g_assert_cmpstr (shown_icon, ==, icon);
  g_assert_true (g_str_has_prefix (status, number));
}

static void
test_pending_and_conflict (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autofree char *debtor_id = NULL;
  g_autofree char *assignment = NULL;
  g_autofree char *sql = NULL;
  EsaSyncPage *page;
  GtkWidget *window;
  gint64 pending_before;
  gint64 pending;

  users = esa_store_list_users (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < users->len; i++)
    {
      const EsaUser *user = g_ptr_array_index (users, i);

      if (user->role == ESA_ROLE_OFFICER)
        {
          esa_store_set_acting_user (store, user->id);
          break;
        }
    }
  g_assert_nonnull (esa_store_get_acting_user (store));

  /* An operation in the outbox: taking a dossier offline for the officer. */
  g_assert_true (esa_store_sync_set_capture (store, TRUE, &error));
  g_assert_no_error (error);
  pending_before = esa_store_count_pending_ops (store, &error);
  g_assert_no_error (error);
  debtor_id = first_id ("SELECT id FROM debtors ORDER BY id LIMIT 1");
  assignment = esa_store_sync_assign (store, debtor_id, esa_store_get_acting_user (store),
                                      &error);
  g_assert_no_error (error);
  g_assert_nonnull (assignment);
  pending = esa_store_count_pending_ops (store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pending, >, pending_before);

  /* A database that syncs: the header then says how it stands. */
  g_assert_true (esa_store_sync_state_set (store, ESA_SYNC_STATE_SERVER,
                                           "https://esattore.example.org:8443", &error));
  g_assert_no_error (error);

  page = ESA_SYNC_PAGE (esa_sync_page_new ());
  window = adw_window_new ();
  adw_window_set_content (ADW_WINDOW (window), GTK_WIDGET (page));
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 800);
  gtk_window_present (GTK_WINDOW (window));
  esa_sync_page_set_store (page, store);
  esa_gui_test_settle (window, 300);

  g_assert_cmpint (esa_sync_page_get_pending (page), ==, pending);
  g_assert_cmpint (esa_sync_page_get_conflicts (page), ==, 0);
  g_assert_cmpuint (esa_sync_page_get_n_listed (page), ==, 0);
  assert_status (page, "mail-outbox-symbolic", pending);

  /* A conflict as a refused push leaves it: the store has no call that
   * makes one without a server, so the row is written as the acknowledgement
   * writes it. */
  sql = g_strdup_printf ("INSERT INTO conflicts (id, op_id, entity, entity_id, debtor_id, kind, "
                         "message, local, server) VALUES ('c-test', 'op-test', 'debtors', '%s', "
                         "'%s', 'field', 'Changed on the server since you read it', "
                         "'{\"kind\":\"field\",\"entity\":\"contact\",\"rows\":[{\"t\":"
                         "\"debtor_contacts\",\"k\":\"dc-1\",\"before\":null,\"after\":"
                         "{\"kind\":\"phone\",\"value\":\"+39 055 1234567\"}}]}', "
                         "'[{\"t\":\"debtor_contacts\",\"k\":\"dc-1\",\"after\":"
                         "{\"kind\":\"phone\",\"value\":\"+39 055 7654321\"}}]')",
                         debtor_id, debtor_id);
  g_assert_cmpint (sqlite3_exec (_esa_store_get_db (store), sql, NULL, NULL, NULL), ==,
                   SQLITE_OK);
  esa_sync_page_reload (page);
  g_assert_cmpint (esa_sync_page_get_conflicts (page), ==, 1);
  g_assert_cmpuint (esa_sync_page_get_n_listed (page), ==, 1);
  assert_status (page, "dialog-warning-symbolic", 1);
  esa_gui_test_save_shot (window, "sync-page.png");

  g_assert_true (esa_sync_page_resolve (page, 0, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (esa_sync_page_get_n_listed (page), ==, 0);
  g_assert_cmpint (esa_sync_page_get_conflicts (page), ==, 0);
  /* The resolution is an operation of its own, waiting to be sent. */
  g_assert_cmpint (esa_sync_page_get_pending (page), ==, pending + 1);

  esa_store_set_acting_user (store, NULL);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The first check button under @widget, depth first. */
static GtkWidget *
find_check (GtkWidget *widget)
{
  if (GTK_IS_CHECK_BUTTON (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_check (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A team lead takes a dossier offline for a field officer of its office
 * from the dossier's button, and gives it back: the assignment follows the
 * check box. */
static void
test_offline_for_field_officer (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *lead = first_id ("SELECT id FROM users WHERE role = 'team_lead' "
                                    "AND office_id IN (SELECT office_id FROM users "
                                    "WHERE role = 'field_officer') ORDER BY id LIMIT 1");
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM debtors WHERE office_id = "
                                          "(SELECT office_id FROM users WHERE id = '%s') "
                                          "ORDER BY id LIMIT 1", lead);
  g_autofree char *debtor_id = first_id (sql);
  g_autofree char *office_sql = g_strdup_printf ("SELECT office_id FROM users WHERE id = '%s'",
                                                 lead);
  g_autofree char *office_id = first_id (office_sql);
  EsaDossierOffline *offline;
  GtkWidget *window;
  GtkWidget *check;
  const char *user_id;
  g_auto(GStrv) assigned = NULL;

  g_assert_true (esa_store_sync_state_set (store, ESA_SYNC_STATE_SERVER,
                                           "https://esattore.example.org:8443", &error));
  g_assert_no_error (error);
  esa_store_set_acting_user (store, lead);

  offline = ESA_DOSSIER_OFFLINE (esa_dossier_offline_new ());
  window = adw_window_new ();
  adw_window_set_content (ADW_WINDOW (window), GTK_WIDGET (offline));
  gtk_window_present (GTK_WINDOW (window));
  esa_dossier_offline_set (offline, store, debtor_id, office_id);
  esa_gui_test_settle (window, 100);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (offline)));

  /* The first field officer's check box, inside the button's popover. */
  check = find_check (GTK_WIDGET (offline));
  g_assert_nonnull (check);
  user_id = g_object_get_data (G_OBJECT (check), "user-id");
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));

  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  assigned = esa_store_sync_assigned (store, user_id, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_contains ((const char * const *) assigned, debtor_id));
  g_clear_pointer (&assigned, g_strfreev);

  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), FALSE);
  assigned = esa_store_sync_assigned (store, user_id, &error);
  g_assert_no_error (error);
  g_assert_false (assigned != NULL && g_strv_contains ((const char * const *) assigned, debtor_id));

  esa_store_set_acting_user (store, NULL);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  store = esa_gui_test_demo_store (60, 5, "2026-11-20", FALSE);

  g_test_add_func ("/sync-gui/pending-and-conflict", test_pending_and_conflict);
  g_test_add_func ("/sync-gui/offline-for-field-officer", test_offline_for_field_officer);

  status = g_test_run ();
  g_clear_object (&store);
  return status;
}
