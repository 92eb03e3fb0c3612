/* test-search.c: the full-text search over debtors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "esa-identifiers.h"
#include "esa-store-private.h"

typedef struct
{
  EsaStore *store;
  char     *body_it;
  char     *body_ch;
  char     *office;
  char     *rossi_mario;
  char     *zanetti;
  char     *bianchi;
  char     *notari;
  char     *rossini;
} Fixture;

static EsaAddress *
address_new (const char *street,
             const char *postcode,
             const char *town,
             const char *country)
{
  EsaAddress *address = g_new0 (EsaAddress, 1);

  address->street = g_strdup (street);
  address->postcode = g_strdup (postcode);
  address->town = g_strdup (town);
  address->country = g_strdup (country);
  return address;
}

static char *
add_debtor (Fixture       *fixture,
            EsaDebtorKind  kind,
            const char    *name,
            const char    *tax_id,
            const char    *tax_id_kind,
            const char    *street,
            const char    *postcode,
            const char    *town)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaDebtor) debtor = g_new0 (EsaDebtor, 1);
  char *id;

  debtor->kind = kind;
  debtor->name = g_strdup (name);
  debtor->tax_id = g_strdup (tax_id);
  debtor->tax_id_kind = g_strdup (tax_id_kind);
  debtor->office_id = g_strdup (fixture->office);
  debtor->addresses = g_ptr_array_new_with_free_func ((GDestroyNotify) esa_address_free);
  if (street != NULL)
    g_ptr_array_add (debtor->addresses, address_new (street, postcode, town, "IT"));

  id = esa_store_add_debtor (fixture->store, debtor, &error);
  g_assert_no_error (error);
  return id;
}

static void
add_act (Fixture    *fixture,
         const char *debtor_id,
         const char *number)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *case_id = NULL;
  g_autofree char *act_id = NULL;
  EsaCase case_record = { 0, };
  EsaAct act = { 0, };

  case_record.debtor_id = (char *) debtor_id;
  case_record.body_id = fixture->body_it;
  case_record.procedure_id = (char *) "it-coercive";
  case_record.state = (char *) "injunction_issued";
  case_record.opened_on = (char *) "2026-01-10";
  case_id = esa_store_add_case (fixture->store, &case_record, NULL, &error);
  g_assert_no_error (error);

  act.case_id = case_id;
  act.type = (char *) "injunction";
  act.number = (char *) number;
  act.issued_on = (char *) "2026-01-12";
  act_id = esa_store_add_act (fixture->store, &act, &error);
  g_assert_no_error (error);
}

static void
add_position (Fixture    *fixture,
              const char *debtor_id,
              const char *body_id,
              const char *reference,
              const char *payment_reference)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  EsaPosition position = { 0, };

  position.debtor_id = (char *) debtor_id;
  position.body_id = (char *) body_id;
  position.revenue_type = (char *) "TARI";
  position.year = 2024;
  position.reference = (char *) reference;
  position.payment_reference = (char *) payment_reference;
  position.due_date = (char *) "2024-06-30";
  position.principal = 12345;
  id = esa_store_add_position (fixture->store, &position, &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  EsaBody body_it = { NULL, (char *) "Comune di Esempio", (char *) "IT", (char *) "EUR", NULL,
                      NULL, (char *) "07" };
  EsaBody body_ch = { NULL, (char *) "Creditore Svizzero", (char *) "CH", (char *) "CHF", NULL,
                      NULL, NULL };
  EsaOffice office = { NULL, (char *) "Sede", NULL, (char *) "IT" };
  g_autofree char *rossi_anna = NULL;
  g_autofree char *ross_emma = NULL;
  g_autofree char *bassi = NULL;
  g_autofree char *damico = NULL;

  fixture->store = esa_store_open_memory (&error);
  g_assert_no_error (error);
  fixture->body_it = esa_store_add_body (fixture->store, &body_it, &error);
  g_assert_no_error (error);
  fixture->body_ch = esa_store_add_body (fixture->store, &body_ch, &error);
  g_assert_no_error (error);
  fixture->office = esa_store_add_office (fixture->store, &office, &error);
  g_assert_no_error (error);

  fixture->rossi_mario = add_debtor (fixture, ESA_DEBTOR_PERSON, "Rossi Mario",
                                     "RSSMRA85T10A562S", "cf", "Via Roma 12", "20121", "Milano");
  rossi_anna = add_debtor (fixture, ESA_DEBTOR_PERSON, "Rossi Anna", NULL, NULL, "Via Verdi 1",
                           "20100", "Milano");
  ross_emma = add_debtor (fixture, ESA_DEBTOR_PERSON, "Ross Emma", NULL, NULL, "Seestrasse 4",
                          "8002", "Zürich");
  fixture->rossini = add_debtor (fixture, ESA_DEBTOR_PERSON, "Rossini Paola", NULL, NULL,
                                 "Via Garibaldi 3", "6900", "Lugano");
  bassi = add_debtor (fixture, ESA_DEBTOR_PERSON, "Bassi Rossella", NULL, NULL, "Corso Italia 2",
                      "00100", "Roma");
  fixture->bianchi = add_debtor (fixture, ESA_DEBTOR_COMPANY, "Bianchi SA", "CHE-116.281.710",
                                 "uid", "Bahnhofstrasse 5", "8001", "Zürich");
  damico = add_debtor (fixture, ESA_DEBTOR_PERSON, "D'Amico Lucia", NULL, NULL, NULL, NULL, NULL);
  fixture->notari = add_debtor (fixture, ESA_DEBTOR_PERSON, "Notari Andrea", "756.9217.0769.85",
                                "ahv", NULL, NULL, NULL);
  fixture->zanetti = add_debtor (fixture, ESA_DEBTOR_PERSON, "Zanetti Ugo", NULL, NULL, NULL,
                                 NULL, NULL);

  add_act (fixture, fixture->zanetti, "ING-2026-000123");
  add_act (fixture, fixture->rossi_mario, "ING-2026-0001234");
  add_position (fixture, fixture->rossi_mario, fixture->body_it, "TARI-2024-0042",
                "300715700000000032");
  add_position (fixture, fixture->bianchi, fixture->body_ch, "BET-2025-17",
                "210000000003139471430009017");

  g_assert_true (esa_store_update_debtor_field (fixture->store, fixture->rossini, "deceased_on",
                                                "2025-01-01", &error));
  g_assert_true (esa_store_update_debtor_field (fixture->store, fixture->bianchi,
                                                "insolvent_since", "2025-02-01", &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  g_free (fixture->body_it);
  g_free (fixture->body_ch);
  g_free (fixture->office);
  g_free (fixture->rossi_mario);
  g_free (fixture->zanetti);
  g_free (fixture->bianchi);
  g_free (fixture->notari);
  g_free (fixture->rossini);
}

static GPtrArray *
search (Fixture    *fixture,
        const char *text)
{
  g_autoptr(GError) error = NULL;
  gboolean more = TRUE;
  GPtrArray *hits = esa_store_search (fixture->store, text, 50, 0, &more, &error);

  g_assert_no_error (error);
  g_assert_nonnull (hits);
  g_assert_false (more);
  return hits;
}

/* The names of the hits of @text, joined by "|". */
static char *
search_names (Fixture    *fixture,
              const char *text)
{
  g_autoptr(GPtrArray) hits = search (fixture, text);
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < hits->len; i++)
    {
      if (i > 0)
        g_string_append_c (names, '|');
      g_string_append (names, ((EsaSearchHit *) hits->pdata[i])->name);
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static void
assert_finds (Fixture    *fixture,
              const char *text,
              const char *expected)
{
  g_autofree char *names = search_names (fixture, text);

  if (g_strcmp0 (names, expected) != 0)
    g_error ("search “%s”: expected “%s”, got “%s”", text, expected, names);
}

/* Words match as prefixes; names that start with the first word come
 * first, then the others, each group in name order. */
static void
test_prefix_and_order (Fixture       *fixture,
                       gconstpointer  data)
{
  assert_finds (fixture, "ross", "Ross Emma|Rossi Anna|Rossi Mario|Rossini Paola|Bassi Rossella");
  assert_finds (fixture, "Rossi", "Rossi Anna|Rossi Mario|Rossini Paola");
  assert_finds (fixture, "r", "Ross Emma|Rossi Anna|Rossi Mario|Rossini Paola|Bassi Rossella");
  assert_finds (fixture, "xyz", "");
}

/* Every word must match, in any order and any column. */
static void
test_all_words (Fixture       *fixture,
                gconstpointer  data)
{
  assert_finds (fixture, "rossi mario", "Rossi Mario");
  assert_finds (fixture, "mario rossi", "Rossi Mario");
  assert_finds (fixture, "ross mil", "Rossi Anna|Rossi Mario");
  assert_finds (fixture, "ROSSI   anna ", "Rossi Anna");
  assert_finds (fixture, "rossi lugano", "Rossini Paola");
}

static void
test_tax_ids (Fixture       *fixture,
              gconstpointer  data)
{
  assert_finds (fixture, "RSSMRA85T10A562S", "Rossi Mario");
  assert_finds (fixture, "rssmra85", "Rossi Mario");
  /* Printed forms with separators find the compact stored form. */
  assert_finds (fixture, "756.9217.0769.85", "Notari Andrea");
  assert_finds (fixture, "7569217076985", "Notari Andrea");
  assert_finds (fixture, "CHE-116.281.710", "Bianchi SA");
  assert_finds (fixture, "che116", "Bianchi SA");
}

/* Act numbers and references; an exact one ranks first. */
static void
test_references (Fixture       *fixture,
                 gconstpointer  data)
{
  assert_finds (fixture, "ING-2026-000123", "Zanetti Ugo");
  assert_finds (fixture, "ING 2026 0001234", "Rossi Mario");
  assert_finds (fixture, "000123", "Zanetti Ugo");
  assert_finds (fixture, "TARI-2024-0042", "Rossi Mario");
  assert_finds (fixture, "BET-2025-17", "Bianchi SA");
}

/* Payment references, also as printed in groups on a notice or a slip. */
static void
test_payment_references (Fixture       *fixture,
                         gconstpointer  data)
{
  assert_finds (fixture, "300715700000000032", "Rossi Mario");
  assert_finds (fixture, "3007 1570 0000 0000 32", "Rossi Mario");
  assert_finds (fixture, "21 00000 00003 13947 14300 09017", "Bianchi SA");
  assert_finds (fixture, "210000000003139471430009017", "Bianchi SA");
  assert_finds (fixture, "3007 1570", "Rossi Mario");
  /* Typed in part: a prefix of the identifier. */
  assert_finds (fixture, "30071570000", "Rossi Mario");
  assert_finds (fixture, "3007 1570 0000", "Rossi Mario");
  assert_finds (fixture, "21 00000 00003 139", "Bianchi SA");
  assert_finds (fixture, "7569217", "Notari Andrea");
  assert_finds (fixture, "756.9217", "Notari Andrea");
  /* Numbers of four digits and more match whole tokens inside a longer
   * query, and a prefix of an identifier only when typed alone. */
  assert_finds (fixture, "rossi 3007", "");
}

static void
test_addresses (Fixture       *fixture,
                gconstpointer  data)
{
  assert_finds (fixture, "garibaldi", "Rossini Paola");
  assert_finds (fixture, "lugano 6900", "Rossini Paola");
  /* Diacritics are folded both ways. */
  assert_finds (fixture, "zurich", "Bianchi SA|Ross Emma");
  assert_finds (fixture, "Zür", "Bianchi SA|Ross Emma");
  /* A house number followed by a postcode is still two words. */
  assert_finds (fixture, "Via Roma 12 20121", "Rossi Mario");
  assert_finds (fixture, "d'amico", "D'Amico Lucia");
  assert_finds (fixture, "amico", "D'Amico Lucia");
}

/* Characters and words with a meaning in FTS5 are taken literally and
 * never make the query fail. */
static void
test_syntax_characters (Fixture       *fixture,
                        gconstpointer  data)
{
  static const char * const inputs[] = {
    "\"", "\"\"", "\"rossi", "rossi\"", "*", "rossi*", "*rossi", "(rossi", "rossi)", "()",
    "NOT", "AND", "OR", "NEAR", "rossi AND mario", "rossi OR", "OR rossi", "NOT rossi",
    "NEAR(rossi mario)", "NEAR/2", "name:rossi", ":", "name:", "^rossi", "-rossi", "+rossi",
    "rossi -mario", "'", "\\", "{name}: rossi", "[x]", ";", "--", "/* */",
    "ros'; DROP TABLE debtors; --", "%", "_", "rossi\tmario", "\u00a0rossi", "…", "€ 100",
    "ü", "\xe2\x80\x8b", "a\"b\"c", "\"\"\"\"",
  };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GPtrArray) hits = esa_store_search (fixture->store, inputs[i], 20, 0, NULL,
                                                    &error);

      if (error != NULL)
        g_error ("search “%s” failed: %s", inputs[i], error->message);
      g_assert_nonnull (hits);
    }

  assert_finds (fixture, "\"rossi", "Rossi Anna|Rossi Mario|Rossini Paola");
  assert_finds (fixture, "rossi*", "Rossi Anna|Rossi Mario|Rossini Paola");
  assert_finds (fixture, "(mario)", "Rossi Mario");
  assert_finds (fixture, "NOT", "Notari Andrea");
  assert_finds (fixture, "name:rossi", "");
  g_assert_cmpint (esa_store_count_debtors (fixture->store, &error), ==, 9);
}

static void
test_empty_input (Fixture       *fixture,
                  gconstpointer  data)
{
  static const char * const inputs[] = { "", " ", "\t\n", "*", "\"\"", "()", "- + ^", NULL };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      gboolean more = TRUE;
      g_autoptr(GPtrArray) hits = esa_store_search (fixture->store, inputs[i], 20, 0, &more,
                                                    &error);

      g_assert_no_error (error);
      g_assert_cmpuint (hits->len, ==, 0);
      g_assert_false (more);
    }
}

/* A hit carries what the result list shows. */
static void
test_hit_fields (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) rossini = search (fixture, "paola");
  g_autoptr(GPtrArray) bianchi = search (fixture, "bianchi");
  EsaSearchHit *hit;

  g_assert_cmpuint (rossini->len, ==, 1);
  hit = rossini->pdata[0];
  g_assert_cmpstr (hit->debtor_id, ==, fixture->rossini);
  g_assert_cmpstr (hit->town, ==, "Lugano");
  g_assert_cmpint (hit->kind, ==, ESA_DEBTOR_PERSON);
  g_assert_true (hit->deceased);
  g_assert_false (hit->insolvent);
  g_assert_null (hit->tax_id);

  g_assert_cmpuint (bianchi->len, ==, 1);
  hit = bianchi->pdata[0];
  g_assert_cmpstr (hit->debtor_id, ==, fixture->bianchi);
  g_assert_cmpint (hit->kind, ==, ESA_DEBTOR_COMPANY);
  g_assert_cmpstr (hit->tax_id, ==, "CHE116281710");
  g_assert_true (hit->insolvent);
  g_assert_false (hit->deceased);
}

/* Paging through a small set. */
static void
test_small_set_paging (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) last = NULL;
  g_autoptr(GPtrArray) beyond = NULL;
  gboolean more = FALSE;

  first = esa_store_search (fixture->store, "ross", 2, 0, &more, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first->len, ==, 2);
  g_assert_true (more);
  g_assert_cmpstr (((EsaSearchHit *) first->pdata[1])->name, ==, "Rossi Anna");

  last = esa_store_search (fixture->store, "ross", 2, 4, &more, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (last->len, ==, 1);
  g_assert_false (more);
  g_assert_cmpstr (((EsaSearchHit *) last->pdata[0])->name, ==, "Bassi Rossella");

  beyond = esa_store_search (fixture->store, "ross", 2, 10, &more, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (beyond->len, ==, 0);
  g_assert_false (more);
}

/* Collects every hit of @text page by page. */
static GPtrArray *
collect_pages (EsaStore   *store,
               const char *text,
               guint       page_size,
               guint      *out_pages)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  guint pages = 0;
  gboolean more = TRUE;

  while (more)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) hits = esa_store_search (store, text, page_size, ids->len, &more,
                                                    &error);

      g_assert_no_error (error);
      g_assert_cmpuint (hits->len, <=, page_size);
      if (more)
        g_assert_cmpuint (hits->len, ==, page_size);
      for (guint i = 0; i < hits->len; i++)
        g_ptr_array_add (ids, g_strdup (((EsaSearchHit *) hits->pdata[i])->debtor_id));
      pages++;
      g_assert_cmpuint (pages, <, 1000);
    }

  *out_pages = pages;
  return ids;
}

/* A set larger than what is ranked at once: pages still cover every hit
 * exactly once, in the same order whatever the page size, and say when
 * more follow. */
static void
test_large_set_paging (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsaStore) store = esa_store_open_memory (&error);
  g_autoptr(GPtrArray) by_100 = NULL;
  g_autoptr(GPtrArray) by_37 = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) by_ref_100 = NULL;
  g_autoptr(GPtrArray) by_ref_37 = NULL;
  g_autofree char *office_id = NULL;
  g_autofree char *body_id = NULL;
  EsaOffice office = { NULL, (char *) "Sede", NULL, (char *) "IT" };
  EsaBody body = { NULL, (char *) "Comune", (char *) "IT", (char *) "EUR", NULL, NULL,
                   (char *) "07" };
  gboolean more = FALSE;
  guint pages;
  const guint n = 1234;

  g_assert_no_error (error);
  office_id = esa_store_add_office (store, &office, &error);
  g_assert_no_error (error);
  body_id = esa_store_add_body (store, &body, &error);
  g_assert_no_error (error);

  g_assert_true (_esa_store_begin (store, &error));
  for (guint i = 0; i < n; i++)
    {
      /* Inserted in an order unrelated to the names. */
      g_autofree char *name = g_strdup_printf ("Paging Person %04u", (i * 7919) % n);
      EsaDebtor debtor = { 0, };
      g_autofree char *id = NULL;

      g_autofree char *base = g_strdup_printf ("%013u", (i * 7919) % n);
      g_autofree char *notice = esa_pagopa_notice_compose (3, "07", base);
      g_autofree char *position_id = NULL;
      EsaPosition position = { 0, };

      debtor.name = name;
      debtor.office_id = office_id;
      id = esa_store_add_debtor (store, &debtor, &error);
      g_assert_no_error (error);

      position.debtor_id = id;
      position.body_id = body_id;
      position.revenue_type = (char *) "TARI";
      position.year = 2024;
      position.reference = name;
      position.payment_reference = notice;
      position.due_date = (char *) "2024-06-30";
      position.principal = 100;
      position_id = esa_store_add_position (store, &position, &error);
      g_assert_no_error (error);
    }
  g_assert_true (_esa_store_commit (store, &error));

  first = esa_store_search (store, "paging", 50, 0, &more, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first->len, ==, 50);
  g_assert_true (more);
  for (guint i = 1; i < first->len; i++)
    g_assert_cmpint (g_utf8_collate (((EsaSearchHit *) first->pdata[i - 1])->name,
                                     ((EsaSearchHit *) first->pdata[i])->name),
                     <, 0);

  by_100 = collect_pages (store, "paging person", 100, &pages);
  g_assert_cmpuint (pages, ==, 13);
  g_assert_cmpuint (by_100->len, ==, n);
  for (guint i = 0; i < by_100->len; i++)
    g_assert_true (g_hash_table_add (seen, by_100->pdata[i]));

  by_37 = collect_pages (store, "paging person", 37, &pages);
  g_assert_cmpuint (by_37->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (by_37->pdata[i], ==, by_100->pdata[i]);

  /* The same through the identifier indexes: every notice number starts
   * with 307 and twelve zeros at most. */
  by_ref_100 = collect_pages (store, "3070 0000", 100, &pages);
  g_assert_cmpuint (by_ref_100->len, ==, n);
  g_hash_table_remove_all (seen);
  for (guint i = 0; i < by_ref_100->len; i++)
    g_assert_true (g_hash_table_add (seen, by_ref_100->pdata[i]));
  by_ref_37 = collect_pages (store, "3070 0000", 37, &pages);
  g_assert_cmpuint (by_ref_37->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (by_ref_37->pdata[i], ==, by_ref_100->pdata[i]);
}

/* The index rebuilt from the tables finds the same as the one kept up to
 * date write by write. */
static void
test_rebuild (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (_esa_store_search_rebuild (fixture->store, &error));
  g_assert_no_error (error);
  assert_finds (fixture, "ross", "Ross Emma|Rossi Anna|Rossi Mario|Rossini Paola|Bassi Rossella");
  assert_finds (fixture, "3007 1570 0000 0000 32", "Rossi Mario");
  assert_finds (fixture, "ING-2026-000123", "Zanetti Ugo");
  assert_finds (fixture, "garibaldi", "Rossini Paola");

  /* Twice, inside the caller's transaction. */
  g_assert_true (_esa_store_begin (fixture->store, &error));
  g_assert_true (_esa_store_search_rebuild (fixture->store, &error));
  g_assert_true (_esa_store_commit (fixture->store, &error));
  g_assert_no_error (error);
  assert_finds (fixture, "zurich", "Bianchi SA|Ross Emma");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/search/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("prefix-and-order", test_prefix_and_order);
  ADD ("all-words", test_all_words);
  ADD ("tax-ids", test_tax_ids);
  ADD ("references", test_references);
  ADD ("payment-references", test_payment_references);
  ADD ("addresses", test_addresses);
  ADD ("syntax-characters", test_syntax_characters);
  ADD ("empty-input", test_empty_input);
  ADD ("hit-fields", test_hit_fields);
  ADD ("small-set-paging", test_small_set_paging);
  g_test_add_func ("/search/large-set-paging", test_large_set_paging);
  ADD ("rebuild", test_rebuild);

#undef ADD

  return g_test_run ();
}
