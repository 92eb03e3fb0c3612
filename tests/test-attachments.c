#include "esa-attachments.h"

#include <glib/gstdio.h>
#include <string.h>

typedef struct
{
  char           *dir;
  EsaAttachments *attachments;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("esa-attachments-XXXXXX", &error);

  g_assert_no_error (error);
  /* A folder that does not exist yet: the first store creates it. */
  fixture->dir = g_build_filename (tmp, "attachments", NULL);
  fixture->attachments = esa_attachments_new (fixture->dir);
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    {
      g_remove (path);
    }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autofree char *tmp = g_path_get_dirname (fixture->dir);

  g_clear_object (&fixture->attachments);
  remove_tree (tmp);
  g_assert_false (g_file_test (tmp, G_FILE_TEST_EXISTS));
  g_free (fixture->dir);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The files under @dir, relative paths sorted, as one string. */
static char *
list_files (const char *dir)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) top = g_dir_open (dir, 0, NULL);
  const char *name;

  while (top != NULL && (name = g_dir_read_name (top)) != NULL)
    {
      g_autofree char *sub_path = g_build_filename (dir, name, NULL);
      g_autoptr(GDir) sub = g_dir_open (sub_path, 0, NULL);
      const char *leaf;

      if (sub == NULL)
        {
          g_ptr_array_add (names, g_strdup (name));
          continue;
        }
      while ((leaf = g_dir_read_name (sub)) != NULL)
        g_ptr_array_add (names, g_build_filename (name, leaf, NULL));
    }
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

static void
test_store_bytes (Fixture       *fixture,
                  gconstpointer  user_data)
{
  const char *text = "Verbale di pignoramento n. 17/2027";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autofree char *expected = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *again = NULL;
  g_autofree char *path = NULL;
  g_autofree char *expected_path = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *listing_again = NULL;
  g_autoptr(GBytes) read = NULL;
  GStatBuf before, after;

  hash = esa_attachments_store_bytes (fixture->attachments, bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hash, ==, expected);

  /* DIR/ab/abcdef… */
  path = esa_attachments_get_path (fixture->attachments, hash, &error);
  g_assert_no_error (error);
  {
    char prefix[3] = { hash[0], hash[1], '\0' };

    expected_path = g_build_filename (fixture->dir, prefix, hash, NULL);
  }
  g_assert_cmpstr (path, ==, expected_path);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_true (esa_attachments_exists (fixture->attachments, hash));

  read = esa_attachments_read (fixture->attachments, hash, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (read, bytes));

  g_assert_true (esa_attachments_verify (fixture->attachments, hash, NULL, &error));
  g_assert_no_error (error);

  /* The same content again: same name, the file untouched, nothing left
   * behind. */
  listing = list_files (fixture->dir);
  g_assert_cmpint (g_stat (path, &before), ==, 0);
  again = esa_attachments_store_bytes (fixture->attachments, bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, hash);
  g_assert_cmpint (g_stat (path, &after), ==, 0);
  g_assert_cmpuint (before.st_ino, ==, after.st_ino);
  listing_again = list_files (fixture->dir);
  g_assert_cmpstr (listing_again, ==, listing);
  g_assert_cmpstr (listing, ==, expected_path + strlen (fixture->dir) + 1);
}

static void
test_store_empty (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = esa_attachments_store_bytes (fixture->attachments, empty, &error);

  g_assert_no_error (error);
  /* SHA-256 of nothing, as every implementation has it. */
  g_assert_cmpstr (hash, ==, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  g_assert_true (esa_attachments_verify (fixture->attachments, hash, NULL, &error));
}

static void
test_store_file (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *source_dir = g_path_get_dirname (fixture->dir);
  g_autofree char *source_path = g_build_filename (source_dir, "photo.bin", NULL);
  g_autoptr(GFile) source = g_file_new_for_path (source_path);
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autofree char *expected = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *again = NULL;
  g_autofree char *from_bytes = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GBytes) read = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *listing = NULL;
  guint8 chunk[4096];
  gssize n;

  /* Larger than one copy chunk, with every byte value. */
  for (guint i = 0; i < 300000; i++)
    {
      guint8 byte = (guint8) (g_test_rand_int () & 0xff);

      g_byte_array_append (data, &byte, 1);
    }
  content = g_byte_array_free_to_bytes (g_steal_pointer (&data));
  expected = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, content);
  g_assert_true (g_file_set_contents (source_path, g_bytes_get_data (content, NULL),
                                      (gssize) g_bytes_get_size (content), &error));

  hash = esa_attachments_store_file (fixture->attachments, source, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hash, ==, expected);
  g_assert_true (esa_attachments_verify (fixture->attachments, hash, NULL, &error));
  g_assert_no_error (error);

  read = esa_attachments_read (fixture->attachments, hash, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (read, content));

  stream = esa_attachments_open (fixture->attachments, hash, NULL, &error);
  g_assert_no_error (error);
  while ((n = g_input_stream_read (stream, chunk, sizeof chunk, NULL, &error)) > 0)
    g_checksum_update (checksum, chunk, n);
  g_assert_no_error (error);
  g_assert_cmpstr (g_checksum_get_string (checksum), ==, hash);

  /* The same content stored as a file or as bytes is one attachment, and no
   * temporary file stays behind. */
  again = esa_attachments_store_file (fixture->attachments, source, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, hash);
  from_bytes = esa_attachments_store_bytes (fixture->attachments, content, &error);
  g_assert_cmpstr (from_bytes, ==, hash);
  listing = list_files (fixture->dir);
  g_assert_cmpuint (strlen (listing), ==, 2 + 1 + 64);

  g_assert_cmpint (g_remove (source_path), ==, 0);
}

static void
test_store_missing_file (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_path_get_dirname (fixture->dir);
  g_autofree char *missing_path = g_build_filename (tmp, "nowhere.pdf", NULL);
  g_autoptr(GFile) missing = g_file_new_for_path (missing_path);
  g_autofree char *hash = esa_attachments_store_file (fixture->attachments, missing, NULL, &error);

  g_assert_null (hash);
  g_assert_error (error, ESA_ATTACHMENTS_ERROR, ESA_ATTACHMENTS_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "nowhere.pdf"));
}

static void
test_tampered (Fixture       *fixture,
               gconstpointer  user_data)
{
  const char *text = "Relata di notifica";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = esa_attachments_store_bytes (fixture->attachments, bytes, NULL);
  g_autofree char *path = esa_attachments_get_path (fixture->attachments, hash, NULL);
  g_autofree char *repaired = NULL;

  g_assert_true (esa_attachments_verify (fixture->attachments, hash, NULL, NULL));

  /* One letter changed, same size. */
  g_assert_true (g_file_set_contents (path, "Relata di notifico", -1, &error));
  g_assert_false (esa_attachments_verify (fixture->attachments, hash, NULL, &error));
  g_assert_error (error, ESA_ATTACHMENTS_ERROR, ESA_ATTACHMENTS_ERROR_DAMAGED);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);

  /* Cut short: storing the content again repairs it. */
  g_assert_true (g_file_set_contents (path, "Relata", -1, &error));
  g_assert_false (esa_attachments_verify (fixture->attachments, hash, NULL, &error));
  g_assert_error (error, ESA_ATTACHMENTS_ERROR, ESA_ATTACHMENTS_ERROR_DAMAGED);
  g_clear_error (&error);
  repaired = esa_attachments_store_bytes (fixture->attachments, bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (repaired, ==, hash);
  g_assert_true (esa_attachments_verify (fixture->attachments, hash, NULL, &error));
  g_assert_no_error (error);
}

static void
test_missing_and_invalid (Fixture       *fixture,
                          gconstpointer  user_data)
{
  const char *absent = "0000000000000000000000000000000000000000000000000000000000000000";
  const char *not_hashes[] = {
    "", "abc", "../../etc/passwd",
    "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85",
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855a",
    "g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  };

  g_assert_false (esa_attachments_exists (fixture->attachments, absent));

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) bytes = esa_attachments_read (fixture->attachments, absent, NULL, &error);

    g_assert_null (bytes);
    g_assert_error (error, ESA_ATTACHMENTS_ERROR, ESA_ATTACHMENTS_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, absent));
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (esa_attachments_verify (fixture->attachments, absent, NULL, &error));
    g_assert_error (error, ESA_ATTACHMENTS_ERROR, ESA_ATTACHMENTS_ERROR_NOT_FOUND);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GInputStream) stream = esa_attachments_open (fixture->attachments, absent, NULL,
                                                           &error);

    g_assert_null (stream);
    g_assert_error (error, ESA_ATTACHMENTS_ERROR, ESA_ATTACHMENTS_ERROR_NOT_FOUND);
  }

  for (gsize i = 0; i < G_N_ELEMENTS (not_hashes); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = esa_attachments_get_path (fixture->attachments, not_hashes[i],
                                                        &error);
      g_autoptr(GBytes) bytes = NULL;

      g_assert_null (path);
      g_assert_error (error, ESA_ATTACHMENTS_ERROR, ESA_ATTACHMENTS_ERROR_INVALID_HASH);
      g_clear_error (&error);
      g_assert_false (esa_attachments_exists (fixture->attachments, not_hashes[i]));
      bytes = esa_attachments_read (fixture->attachments, not_hashes[i], NULL, &error);
      g_assert_null (bytes);
      g_assert_error (error, ESA_ATTACHMENTS_ERROR, ESA_ATTACHMENTS_ERROR_INVALID_HASH);
      g_clear_error (&error);
      g_assert_false (esa_attachments_verify (fixture->attachments, not_hashes[i], NULL, &error));
      g_assert_error (error, ESA_ATTACHMENTS_ERROR, ESA_ATTACHMENTS_ERROR_INVALID_HASH);
    }

  g_assert_cmpstr (esa_attachments_get_dir (fixture->attachments), ==, fixture->dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/attachments/store-bytes", test_store_bytes);
  ADD ("/attachments/store-empty", test_store_empty);
  ADD ("/attachments/store-file", test_store_file);
  ADD ("/attachments/store-missing-file", test_store_missing_file);
  ADD ("/attachments/tampered", test_tampered);
  ADD ("/attachments/missing-and-invalid", test_missing_and_invalid);

#undef ADD

  return g_test_run ();
}
