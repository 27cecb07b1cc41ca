/* ms-keyring-command.c: the secret-tool command an exported configuration runs
 *
 * msmtp, mbsync, NeoMutt and aerc read the password from the keyring by
 * running this command; ms-keyring.c stores the items it finds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ms-keyring-command.h"
#include "ms-keyring.h"

/* Characters that mean themselves to the shell, to neomutt's backtick
 * parser and inside every exported format's quotes. */
static gboolean
is_plain (const char *word)
{
  if (*word == '\0')
    return FALSE;
  for (const char *p = word; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("@.-_:+", *p) == NULL)
      return FALSE;

  return TRUE;
}

/**
 * ms_keyring_lookup_argv:
 *
 * An address that needs quoting (one with a quote, "$", a backtick …) is
 * looked up by its address-id instead, so every word of the command is
 * plain whatever the address is.
 *
 * Returns: (transfer full): the secret-tool command line that prints the
 *   password stored for @address and @protocol
 */
char **
ms_keyring_lookup_argv (const char *address,
                        MsProtocol  protocol)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  g_autofree char *lower = g_ascii_strdown (address, -1);
  char **argv;

  g_strv_builder_add_many (builder, "secret-tool", "lookup",
                           "xdg:schema", MS_KEYRING_SCHEMA_NAME, NULL);
  if (is_plain (lower))
    g_strv_builder_add_many (builder, "address", lower, NULL);
  else
    {
      g_autofree char *id = ms_keyring_address_id (address);

      g_strv_builder_add_many (builder, "address-id", id, NULL);
    }
  g_strv_builder_add_many (builder, "protocol", ms_protocol_to_string (protocol), NULL);
  argv = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  return argv;
}

/**
 * ms_keyring_lookup_command:
 *
 * Returns: (transfer full): ms_keyring_lookup_argv() as one shell
 *   command; every word is plain, so it needs no quoting in the shell, in
 *   neomutt's backticks or in any exported format
 */
char *
ms_keyring_lookup_command (const char *address,
                           MsProtocol  protocol)
{
  g_auto(GStrv) argv = ms_keyring_lookup_argv (address, protocol);

  for (guint i = 0; argv[i] != NULL; i++)
    g_assert (is_plain (argv[i]));

  return g_strjoinv (" ", argv);
}
