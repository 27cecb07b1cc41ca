/* ms-doctor-rules.c: what is wrong with an existing account's settings, against the provider file
 *
 * Each rule looks at one server as the program has it, with what the
 * provider file says (profiles, alternates, retired servers) and what the
 * test saw on the wire, and adds at most one finding per code and server.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ms-doctor-rules.h"

static gboolean
same_endpoint (const MsServer *a,
               const MsServer *b)
{
  return a->protocol == b->protocol && a->port == b->port &&
         g_ascii_strcasecmp (a->hostname, b->hostname) == 0;
}

static gboolean
list_has_endpoint (GPtrArray      *servers,
                   const MsServer *server)
{
  for (guint i = 0; servers != NULL && i < servers->len; i++)
    {
      if (same_endpoint (g_ptr_array_index (servers, i), server))
        return TRUE;
    }

  return FALSE;
}

static gboolean
has_finding (GPtrArray       *findings,
             MsDiagnosisCode  code,
             const MsServer  *server)
{
  for (guint i = 0; i < findings->len; i++)
    {
      MsDiagnosis *diagnosis = g_ptr_array_index (findings, i);

      if (diagnosis->code == code &&
          (server == NULL || (diagnosis->server != NULL && same_endpoint (diagnosis->server, server))))
        return TRUE;
    }

  return FALSE;
}

static void
add_use_profile_fix (MsDiagnosis *diagnosis,
                     MsProfile   *intended)
{
  g_autofree char *label = NULL;

  if (intended == NULL)
    return;

  /* Translators: %s is a profile name such as "Mobile". */
  label = g_strdup_printf (_("Use %s settings"), ms_profile_get_name (intended));
  ms_diagnosis_add_fix (diagnosis, ms_fix_new_use_profile (ms_profile_get_id (intended), label));
}

/* The server as a probe of the current settings saw it, or NULL. */
static MsProbeResult *
find_result (MsAccountReport *current,
             const MsServer  *server)
{
  GPtrArray *results;

  if (current == NULL)
    return NULL;

  results = ms_account_report_get_results (current);
  for (guint i = 0; i < results->len; i++)
    {
      MsProbeResult *result = g_ptr_array_index (results, i);

      if (same_endpoint (result->server, server))
        return result;
    }

  return NULL;
}

/* What the provider file says this host and port speak, when it lists
 * them (in any profile, as an alternate or as the plain servers). */
static gboolean
provider_security (MsProvider     *provider,
                   const MsServer *server,
                   MsSecurity     *security)
{
  GPtrArray *profiles;

  if (provider == NULL)
    return FALSE;

  profiles = ms_provider_get_profiles (provider);
  for (guint i = 0; i < profiles->len; i++)
    {
      MsProfile *profile = g_ptr_array_index (profiles, i);
      GPtrArray *lists[] = { ms_profile_get_incoming (profile), ms_profile_get_outgoing (profile),
                             ms_profile_get_alternates (profile) };

      for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
        for (guint j = 0; j < lists[l]->len; j++)
          {
            MsServer *known = g_ptr_array_index (lists[l], j);

            if (same_endpoint (known, server))
              {
                *security = known->security;
                return TRUE;
              }
          }
    }

  return FALSE;
}

/* Port 465 is implicit TLS and 587 STARTTLS by convention (RFC 8314,
 * 6409): a program set to the other port's way has them mixed up. Charter's
 * 587 speaks implicit TLS, so STARTTLS on it is a mismatch, not a mix-up. */
static gboolean
ports_mixed_up (const MsServer *server,
                MsSecurity      speaks)
{
  if (server->protocol != MS_PROTOCOL_SMTP)
    return FALSE;

  return (server->port == 465 && server->security == MS_SECURITY_STARTTLS && speaks == MS_SECURITY_TLS) ||
         (server->port == 587 && server->security == MS_SECURITY_TLS && speaks == MS_SECURITY_STARTTLS);
}

static void
check_security (MsProvider     *provider,
                MsAccountReport *current,
                const MsServer *server,
                GPtrArray      *findings)
{
  MsProbeResult *result = find_result (current, server);
  g_autoptr(MsDiagnosis) diagnosis = NULL;
  MsSecurity speaks;

  if (result != NULL && result->security_detected)
    speaks = result->detected_security;
  else if (!provider_security (provider, server, &speaks))
    return;

  if (speaks == server->security)
    return;

  if (ports_mixed_up (server, speaks))
    diagnosis = ms_diagnosis_new (MS_DIAGNOSIS_PORTS_MIXED_UP, server, NULL);
  else
    {
      diagnosis = ms_diagnosis_new (MS_DIAGNOSIS_SECURITY_MISMATCH, server, NULL);
      /* A new setup just records what worked; a program set up the other
       * way cannot connect at all. */
      diagnosis->severity = MS_SEVERITY_ERROR;
    }
  ms_diagnosis_add_fix (diagnosis, ms_fix_new_use_port (server->port, speaks));
  g_ptr_array_add (findings, g_steal_pointer (&diagnosis));
}

static void
check_retired (MsProvider     *provider,
               MsProfile      *intended,
               const MsServer *server,
               GPtrArray      *findings)
{
  MsDiagnosis *diagnosis;

  if (provider == NULL || !list_has_endpoint (ms_provider_get_retired (provider), server))
    return;

  diagnosis = ms_diagnosis_new (MS_DIAGNOSIS_SERVER_RETIRED, server, NULL);
  add_use_profile_fix (diagnosis, intended);
  g_ptr_array_add (findings, diagnosis);
}

static void
check_insecure (MsProfile      *intended,
                const MsServer *server,
                GPtrArray      *findings)
{
  MsDiagnosis *diagnosis;

  if (server->security != MS_SECURITY_NONE)
    return;

  diagnosis = ms_diagnosis_new (MS_DIAGNOSIS_INSECURE_SETTINGS, server, NULL);
  add_use_profile_fix (diagnosis, intended);
  g_ptr_array_add (findings, diagnosis);
}

/* The provider's username template for @server: the profile server at
 * the same host and port, else the intended profile's server of the same
 * protocol (the one a repair moves to). */
static const char *
username_template (MsProvider     *provider,
                   MsProfile      *intended,
                   const MsServer *server)
{
  GPtrArray *profiles = ms_provider_get_profiles (provider);

  for (guint i = 0; i < profiles->len; i++)
    {
      MsProfile *profile = g_ptr_array_index (profiles, i);
      GPtrArray *lists[] = { ms_profile_get_incoming (profile), ms_profile_get_outgoing (profile) };

      for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
        for (guint j = 0; j < lists[l]->len; j++)
          {
            MsServer *known = g_ptr_array_index (lists[l], j);

            if (same_endpoint (known, server))
              return known->username;
          }
    }

  if (intended != NULL)
    {
      GPtrArray *list = server->protocol == MS_PROTOCOL_SMTP ? ms_profile_get_outgoing (intended)
                                                             : ms_profile_get_incoming (intended);

      for (guint j = 0; j < list->len; j++)
        {
          MsServer *known = g_ptr_array_index (list, j);

          if (known->protocol == server->protocol)
            return known->username;
        }
    }

  return NULL;
}

/* The provider wants the whole address: it says so, or its template for
 * this server is the address. */
static gboolean
wants_address (MsProvider     *provider,
               MsProfile      *intended,
               const MsServer *server)
{
  return ms_provider_get_username_is_address (provider) ||
         g_strcmp0 (username_template (provider, intended, server), "%EMAILADDRESS%") == 0;
}

static void
check_username (MsExistingAccount *account,
                MsProvider        *provider,
                MsProfile         *intended,
                const MsServer    *server,
                GPtrArray         *findings)
{
  MsDiagnosis *diagnosis;

  if (provider == NULL || server->username == NULL || !wants_address (provider, intended, server) || strchr (server->username, '@') != NULL ||
      account->address == NULL || has_finding (findings, MS_DIAGNOSIS_USERNAME_INCOMPLETE, server))
    return;

  diagnosis = ms_diagnosis_new (MS_DIAGNOSIS_USERNAME_INCOMPLETE, server, server->username);
  ms_diagnosis_add_fix (diagnosis, ms_fix_new_complete_username (account->address));
  g_ptr_array_add (findings, diagnosis);
}

gboolean
ms_doctor_rules_profile_uses (MsProfile      *profile,
                              const MsServer *server)
{
  g_return_val_if_fail (MS_IS_PROFILE (profile), FALSE);
  g_return_val_if_fail (server != NULL, FALSE);

  return list_has_endpoint (ms_profile_get_incoming (profile), server) ||
         list_has_endpoint (ms_profile_get_outgoing (profile), server);
}

MsProfile *
ms_doctor_rules_find_profile (MsExistingAccount *account,
                              MsProvider        *provider)
{
  GPtrArray *profiles;

  g_return_val_if_fail (account != NULL, NULL);

  if (provider == NULL)
    return NULL;

  profiles = ms_provider_get_profiles (provider);
  for (guint i = 0; i < profiles->len; i++)
    {
      MsProfile *profile = g_ptr_array_index (profiles, i);

      if ((account->incoming != NULL && ms_doctor_rules_profile_uses (profile, account->incoming)) ||
          (account->outgoing != NULL && ms_doctor_rules_profile_uses (profile, account->outgoing)))
        return profile;
    }

  return NULL;
}

/* Settings that work only on the provider's own network, on a computer
 * used elsewhere (the intended profile is another), or a relay refusal
 * that proves it (571 E1110). */
static void
check_network (MsExistingAccount *account,
               MsProvider        *provider,
               MsProfile         *intended,
               GPtrArray         *findings)
{
  MsProfile *used = ms_doctor_rules_find_profile (account, provider);
  MsDiagnosis *relay = NULL;
  MsDiagnosis *diagnosis;

  for (guint i = 0; i < findings->len && relay == NULL; i++)
    {
      MsDiagnosis *finding = g_ptr_array_index (findings, i);

      if (finding->code == MS_DIAGNOSIS_RELAY_DENIED)
        relay = finding;
    }

  if (relay == NULL &&
      (used == NULL || ms_profile_get_restriction (used) == NULL || used == intended))
    return;

  diagnosis = ms_diagnosis_new (MS_DIAGNOSIS_PROFILE_WRONG_FOR_COMPUTER,
                                relay != NULL ? relay->server : account->outgoing,
                                relay != NULL ? relay->detail : NULL);
  /* Refused relaying: the intended profile's servers sign in instead,
   * even when the account's other server already is one of them; unless
   * that profile is itself one for the provider's network only. */
  if ((intended != used || relay != NULL) &&
      (intended == NULL || ms_profile_get_restriction (intended) == NULL))
    add_use_profile_fix (diagnosis, intended);
  g_ptr_array_add (findings, diagnosis);
}

static void
check_server (MsExistingAccount *account,
              MsProvider        *provider,
              MsProfile         *intended,
              MsAccountReport   *current,
              const MsServer    *server,
              GPtrArray         *findings)
{
  if (server == NULL)
    return;

  check_retired (provider, intended, server, findings);
  check_insecure (intended, server, findings);
  check_security (provider, current, server, findings);
  check_username (account, provider, intended, server, findings);
}

/* The test's own findings, but not its security mismatches: the rules
 * say those again, as errors. */
static void
take_diagnoses (GPtrArray *findings,
                GPtrArray *diagnoses)
{
  for (guint i = 0; diagnoses != NULL && i < diagnoses->len; i++)
    {
      MsDiagnosis *diagnosis = g_ptr_array_index (diagnoses, i);

      if (diagnosis->code != MS_DIAGNOSIS_SECURITY_MISMATCH &&
          !has_finding (findings, diagnosis->code, diagnosis->server))
        g_ptr_array_add (findings, ms_diagnosis_ref (diagnosis));
    }
}

static int
compare_severity (gconstpointer a,
                  gconstpointer b)
{
  const MsDiagnosis *da = *(MsDiagnosis * const *) a;
  const MsDiagnosis *db = *(MsDiagnosis * const *) b;

  return (int) db->severity - (int) da->severity;
}

GPtrArray *
ms_doctor_rules_diagnose (MsExistingAccount *account,
                          MsProvider        *provider,
                          MsProfile         *intended,
                          MsAccountReport   *current)
{
  GPtrArray *findings = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_diagnosis_unref);

  g_return_val_if_fail (account != NULL, findings);

  if (current != NULL)
    {
      GPtrArray *results = ms_account_report_get_results (current);

      for (guint i = 0; i < results->len; i++)
        take_diagnoses (findings, ((MsProbeResult *) g_ptr_array_index (results, i))->diagnoses);
      take_diagnoses (findings, ms_account_report_get_diagnoses (current));
    }

  check_server (account, provider, intended, current, account->incoming, findings);
  check_server (account, provider, intended, current, account->outgoing, findings);
  check_network (account, provider, intended, findings);

  /* Stable: equal severities keep the order they were found in. */
  g_ptr_array_sort (findings, compare_severity);

  return findings;
}
