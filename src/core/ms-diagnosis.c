/* ms-diagnosis.c: what went wrong, in plain words, and how to fix it
 *
 * The texts come from the code table (ms-diagnosis-table.c), the codes
 * from the classifiers (ms-classifier.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ms-diagnosis.h"
#include "ms-diagnosis-table.h"
#include "ms-json.h"
#include "ms-untrusted-text.h"

/* A server reply or error message is evidence for a support request, not a
 * document: a bounded, printable excerpt is all the UI or JSON needs. */
#define MAX_DETAIL_BYTES 512

G_DEFINE_BOXED_TYPE (MsDiagnosis, ms_diagnosis, ms_diagnosis_ref, ms_diagnosis_unref)

/**
 * ms_diagnosis_sanitize_detail:
 * @detail: (nullable): text from a server or an error message
 *
 * ms_untrusted_text_sanitize() at the length a diagnosis shows.
 *
 * Returns: (transfer full) (nullable): the cleaned text, or %NULL when
 *   nothing printable is left
 */
char *
ms_diagnosis_sanitize_detail (const char *detail)
{
  return ms_untrusted_text_sanitize (detail, MAX_DETAIL_BYTES);
}

/* The explanation of codes where naming the server helps the person (and
 * support) see which of the several servers is at fault. */
static char *
explain_with_server (MsDiagnosisCode  code,
                     const MsServer  *server)
{
  const char *host = server->hostname;
  guint port = server->port;

  switch (code)
    {
    case MS_DIAGNOSIS_DNS_FAILURE:
      /* Translators: %s is a server name such as mail.example.com. */
      return g_strdup_printf (_("The name of the mail server, %s, could not be looked up. Either the internet connection is not working, or the server name is misspelled."),
                              host);
    case MS_DIAGNOSIS_CONNECTION_REFUSED:
      /* Translators: %s is a server name, %u a port number such as 587. */
      return g_strdup_printf (_("The server %s can be reached, but it does not accept mail connections on port %u. The port may be wrong, or the mail service may be down."),
                              host, port);
    case MS_DIAGNOSIS_TIMEOUT:
      /* Translators: %s is a server name, %u a port number such as 587. */
      return g_strdup_printf (_("The server %s did not answer on port %u in time. A firewall or antivirus program may be blocking mail, or the server may be down."),
                              host, port);
    case MS_DIAGNOSIS_NETWORK_UNREACHABLE:
      /* Translators: %s is a server name such as mail.example.com. */
      return g_strdup_printf (_("This computer has no way to reach %s. The internet connection may be limited or not working."),
                              host);
    case MS_DIAGNOSIS_TLS_WRONG_HOST:
      /* Translators: %s is a server name such as mail.example.com. */
      return g_strdup_printf (_("The security certificate of %s is made out to a different name. The server name may be mistyped, or the connection may be going somewhere it should not."),
                              host);
    case MS_DIAGNOSIS_STARTTLS_NOT_OFFERED:
      /* Translators: %s is a server name, %u a port number such as 587. */
      return g_strdup_printf (_("The server %s does not offer to encrypt the connection on port %u, so your password could be read by others on the network. It will not be sent this way."),
                              host, port);
    case MS_DIAGNOSIS_SERVER_UNAVAILABLE:
      /* Translators: %s is a server name such as mail.example.com. */
      return g_strdup_printf (_("The server %s is busy or down for maintenance. Try again later."),
                              host);
    case MS_DIAGNOSIS_RELAY_DENIED:
      /* Translators: %s is a server name, %u a port number such as 25. */
      return g_strdup_printf (_("Your provider only accepts mail through %s, port %u, when this computer is connected to the provider’s own internet service. Use the settings for mobile devices and laptops, which work on any network."),
                              host, port);
    case MS_DIAGNOSIS_PROFILE_NETWORK_RESTRICTED:
      /* Translators: %s is a server name, %u a port number such as 25. */
      return g_strdup_printf (_("The server %s, port %u, only works while this computer is connected to the provider’s own internet service. On a laptop, or on any other network, use the settings for mobile devices."),
                              host, port);
    default:
      return NULL;
    }
}

/**
 * ms_diagnosis_new:
 * @code: what was found
 * @server: (nullable): the server it is about (copied)
 * @detail: (nullable): the technical evidence, a server reply or an error
 *   message; it is sanitised (ms_diagnosis_sanitize_detail()), but must
 *   never contain a secret
 *
 * Creates a diagnosis with the code's severity, title, explanation (naming
 * @server where that helps) and the default fixes that need no parameters.
 * Add the others with ms_diagnosis_add_fix().
 *
 * Returns: (transfer full): a new diagnosis
 */
MsDiagnosis *
ms_diagnosis_new (MsDiagnosisCode  code,
                  const MsServer  *server,
                  const char      *detail)
{
  const MsDiagnosisCodeInfo *info;
  MsDiagnosis *self;

  g_return_val_if_fail (code < MS_DIAGNOSIS_N_CODES, NULL);

  info = ms_diagnosis_table_lookup (code);

  self = g_new0 (MsDiagnosis, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->code = code;
  self->severity = info->severity;
  self->title = g_strdup (_(info->title));
  if (server != NULL && server->hostname != NULL)
    self->explanation = explain_with_server (code, server);
  if (self->explanation == NULL)
    self->explanation = g_strdup (_(info->explanation));
  self->detail = ms_diagnosis_sanitize_detail (detail);
  self->server = server != NULL ? ms_server_copy (server) : NULL;
  self->fixes = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_fix_unref);

  for (guint i = 0; i < G_N_ELEMENTS (info->fixes) && info->fixes[i] != MS_DIAGNOSIS_FIX_END; i++)
    g_ptr_array_add (self->fixes, ms_fix_new (info->fixes[i]));

  return self;
}

MsDiagnosis *
ms_diagnosis_ref (MsDiagnosis *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
ms_diagnosis_unref (MsDiagnosis *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_free (self->title);
      g_free (self->explanation);
      g_free (self->detail);
      g_clear_pointer (&self->server, ms_server_unref);
      g_clear_pointer (&self->fixes, g_ptr_array_unref);
      g_free (self);
    }
}

/**
 * ms_diagnosis_add_fix:
 * @fix: (transfer full): the fix
 *
 * Fixes with parameters (use-profile, use-port, complete-username,
 * trust-certificate) are specific to what was found, so they go before the
 * default fixes, in the order they are added; other fixes go last. A
 * parameterless fix the diagnosis already has is dropped.
 */
void
ms_diagnosis_add_fix (MsDiagnosis *self,
                      MsFix       *fix)
{
  guint position = 0;

  g_return_if_fail (self != NULL);
  g_return_if_fail (fix != NULL);
  g_return_if_fail (fix->kind < MS_FIX_N_KINDS);

  if (!ms_fix_kind_has_parameters (fix->kind))
    {
      for (guint i = 0; i < self->fixes->len; i++)
        {
          const MsFix *existing = g_ptr_array_index (self->fixes, i);

          if (existing->kind == fix->kind)
            {
              ms_fix_unref (fix);
              return;
            }
        }

      g_ptr_array_add (self->fixes, fix);
      return;
    }

  while (position < self->fixes->len)
    {
      const MsFix *existing = g_ptr_array_index (self->fixes, position);

      if (!ms_fix_kind_has_parameters (existing->kind))
        break;
      position++;
    }

  g_ptr_array_insert (self->fixes, position, fix);
}

/**
 * ms_diagnosis_to_json:
 *
 * Returns: (transfer full): the diagnosis as a JSON object (see
 *   ms-diagnosis.h for its members)
 */
JsonNode *
ms_diagnosis_to_json (const MsDiagnosis *self)
{
  g_autoptr(JsonBuilder) builder = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, ms_diagnosis_code_to_string (self->code));
  json_builder_set_member_name (builder, "severity");
  json_builder_add_string_value (builder, ms_severity_to_string (self->severity));
  ms_json_add_string_or_null (builder, "title", self->title);
  ms_json_add_string_or_null (builder, "explanation", self->explanation);
  ms_json_add_string_or_null (builder, "detail", self->detail);

  json_builder_set_member_name (builder, "server");
  if (self->server != NULL)
    json_builder_add_value (builder, ms_server_to_json (self->server));
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "fixes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->fixes->len; i++)
    json_builder_add_value (builder, ms_fix_to_json (g_ptr_array_index (self->fixes, i)));
  json_builder_end_array (builder);

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
