/* test-error.c: the RF_ERROR domain
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <gio/gio.h>

#include "rf-error.h"

typedef struct {
  int errno_value;
  int code; /* RfError; int for g_assert_error */
} ErrnoCase;

static const ErrnoCase errno_cases[] = {
  { EACCES, RF_ERROR_PERMISSION_DENIED },
  { EPERM, RF_ERROR_NEEDS_PRIVILEGES },
  { ENOENT, RF_ERROR_NOT_FOUND },
  { ENODEV, RF_ERROR_DEVICE_GONE },
  { ENXIO, RF_ERROR_DEVICE_GONE },
  { EBUSY, RF_ERROR_BUSY },
  { ETIMEDOUT, RF_ERROR_TIMED_OUT },
  { ENOSPC, RF_ERROR_NO_SPACE },
  { EROFS, RF_ERROR_WRITE },
  { EIO, RF_ERROR_READ },
  { EISDIR, RF_ERROR_INVALID_FILE },
  { ECANCELED, RF_ERROR_CANCELLED },
  { ELOOP, RF_ERROR_INTERNAL },
};

static void
test_errno (gconstpointer data)
{
  const ErrnoCase *c = data;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (rf_error_from_errno (c->errno_value), ==, c->code);
  rf_error_set_from_errno (&error, c->errno_value, "opening /dev/sg1");
  g_assert_error (error, RF_ERROR, c->code);
  /* The context and the system's words both reach the log. */
  g_assert_true (g_str_has_prefix (error->message, "opening /dev/sg1: "));
  g_assert_nonnull (strstr (error->message, g_strerror (c->errno_value)));
}

static void
test_every_code_has_words (void)
{
  g_autoptr(GHashTable) nicks = g_hash_table_new (g_str_hash, g_str_equal);

  for (RfError code = 0; code < RF_ERROR_LAST; code++)
    {
      const char *nick = rf_error_code_to_nick (code);
      const char *sentence = rf_error_code_to_sentence (code);

      g_assert_nonnull (nick);
      g_assert_false (g_hash_table_contains (nicks, nick));
      g_hash_table_add (nicks, (gpointer) nick);
      /* A sentence for people: capitalised, ends with a full stop. */
      g_assert_true (g_unichar_isupper (g_utf8_get_char (sentence)));
      g_assert_true (g_str_has_suffix (sentence, "."));
    }
  g_assert_cmpstr (rf_error_code_to_nick (RF_ERROR_CANCEL_REFUSED), ==, "cancel-refused");
  g_assert_cmpstr (rf_error_code_to_nick (RF_ERROR_DEVICE_GONE), ==, "device-gone");
  g_assert_cmpstr (rf_error_code_to_nick (RF_ERROR_INHIBIT_REFUSED), ==, "inhibit-refused");
}

static void
test_convert_io_error (void)
{
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NO_SPACE, "disk full");

  g_assert_true (rf_error_convert (&error));
  g_assert_error (error, RF_ERROR, RF_ERROR_NO_SPACE);
  g_assert_cmpstr (error->message, ==, "disk full");
}

static void
test_convert_file_error (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  g_assert_false (g_file_get_contents ("/nonexistent/reflash/image.bin", &contents, NULL, &error));
  g_assert_true (rf_error_convert (&error));
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_FOUND);
}

static void
test_convert_cancelled (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_true (g_cancellable_set_error_if_cancelled (cancellable, &error));
  rf_error_convert (&error);
  g_assert_error (error, RF_ERROR, RF_ERROR_CANCELLED);
}

static void
test_convert_keeps_rf_error (void)
{
  g_autoptr(GError) error = g_error_new_literal (RF_ERROR, RF_ERROR_VERIFY_FAILED, "x");

  g_assert_true (rf_error_convert (&error));
  g_assert_error (error, RF_ERROR, RF_ERROR_VERIFY_FAILED);
  g_assert_false (rf_error_convert (NULL));
}

/* The code of any error: Reflash's own, or "internal" for another domain. */
static void
test_get_code (void)
{
  g_autoptr(GError) own = g_error_new_literal (RF_ERROR, RF_ERROR_BUSY, "busy");
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "failed");

  g_assert_cmpint (rf_error_get_code (own), ==, RF_ERROR_BUSY);
  g_assert_cmpint (rf_error_get_code (other), ==, RF_ERROR_INTERNAL);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (errno_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/reflash/error/errno/%d", errno_cases[i].errno_value);
      g_test_add_data_func (path, &errno_cases[i], test_errno);
    }
  g_test_add_func ("/reflash/error/every-code-has-words", test_every_code_has_words);
  g_test_add_func ("/reflash/error/convert/io", test_convert_io_error);
  g_test_add_func ("/reflash/error/convert/file", test_convert_file_error);
  g_test_add_func ("/reflash/error/convert/cancelled", test_convert_cancelled);
  g_test_add_func ("/reflash/error/convert/keeps-rf-error", test_convert_keeps_rf_error);
  g_test_add_func ("/reflash/error/get-code", test_get_code);
  return g_test_run ();
}
