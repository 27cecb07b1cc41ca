/* fuzz-replay-main.c: runs a fuzz target over its corpus, without libFuzzer
 *
 * Linked with each target in every build (gcc too), so the seed corpus
 * and every crash ever found and added to it are regression tests.
 * Arguments are files or directories of inputs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static gboolean
replay_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize length;

  if (!g_file_get_contents (path, &data, &length, &error))
    {
      g_printerr ("%s\n", error->message);
      return FALSE;
    }

  g_print ("%s (%" G_GSIZE_FORMAT " bytes)\n", path, length);
  LLVMFuzzerTestOneInput ((const uint8_t *) data, length);

  return TRUE;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

int
main (int   argc,
      char *argv[])
{
  guint n_inputs = 0;

  if (argc < 2)
    {
      g_printerr ("Usage: %s FILE-OR-DIRECTORY…\n", argv[0]);
      return 2;
    }

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GDir) dir = NULL;
      g_autoptr(GPtrArray) names = NULL;
      const char *name;

      if (!g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        {
          if (!replay_file (argv[i]))
            return 1;
          n_inputs++;
          continue;
        }

      dir = g_dir_open (argv[i], 0, &error);
      if (dir == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }

      names = g_ptr_array_new_with_free_func (g_free);
      while ((name = g_dir_read_name (dir)) != NULL)
        g_ptr_array_add (names, g_build_filename (argv[i], name, NULL));
      g_ptr_array_sort (names, compare_strings);

      for (guint j = 0; j < names->len; j++)
        {
          if (!replay_file (g_ptr_array_index (names, j)))
            return 1;
          n_inputs++;
        }
    }

  /* An empty corpus would make this test pass while testing nothing. */
  if (n_inputs == 0)
    {
      g_printerr ("no inputs found: the corpus is missing or empty\n");
      return 1;
    }

  g_print ("replayed %u inputs\n", n_inputs);

  return 0;
}
