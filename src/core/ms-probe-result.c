/* ms-probe-result.c: what testing one server found out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ms-enum-nick.h"
#include "ms-enum-types.h"
#include "ms-probe-result.h"

G_DEFINE_BOXED_TYPE (MsProbeResult, ms_probe_result, ms_probe_result_ref, ms_probe_result_unref)

MsProbeResult *
ms_probe_result_new (MsServer *server)
{
  MsProbeResult *self;

  g_return_val_if_fail (server != NULL, NULL);

  self = g_new0 (MsProbeResult, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->server = ms_server_ref (server);
  self->diagnoses = g_ptr_array_new_with_free_func ((GDestroyNotify) ms_diagnosis_unref);
  self->transcript = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < MS_PROBE_N_STAGES; i++)
    self->stage_ms[i] = -1;

  return self;
}

MsProbeResult *
ms_probe_result_ref (MsProbeResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
ms_probe_result_unref (MsProbeResult *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  ms_server_unref (self->server);
  g_free (self->tls_version);
  g_free (self->tls_cipher);
  g_clear_object (&self->certificate);
  g_strfreev (self->capabilities);
  g_strfreev (self->mechanisms);
  g_free (self->login_mechanism);
  g_free (self->username);
  g_ptr_array_unref (self->diagnoses);
  g_ptr_array_unref (self->transcript);
  g_free (self);
}

/**
 * ms_probe_result_is_secure:
 *
 * Returns: %TRUE if the connection reached TLS with a certificate that
 *   validated or that the user pinned
 */
gboolean
ms_probe_result_is_secure (const MsProbeResult *self)
{
  return self->tls_established;
}

/**
 * ms_probe_result_works:
 *
 * Returns: %TRUE if the server can be used as tested: secure, and logged in
 *   (or, for outgoing mail restricted by network, no login offered)
 */
gboolean
ms_probe_result_works (const MsProbeResult *self)
{
  for (guint i = 0; i < self->diagnoses->len; i++)
    {
      MsDiagnosis *diagnosis = g_ptr_array_index (self->diagnoses, i);

      if (diagnosis->severity == MS_SEVERITY_ERROR)
        return FALSE;
    }

  /* A server that would not take the test message does not work, even if
   * its reason is only a warning (a quota, say). */
  if (self->message_send_requested && self->message_sent_usec == 0)
    return FALSE;

  return self->tls_established &&
         (self->login == MS_LOGIN_SUCCEEDED || self->login == MS_LOGIN_NOT_ATTEMPTED);
}

void
ms_probe_result_add_diagnosis (MsProbeResult *self,
                               MsDiagnosis   *diagnosis)
{
  g_return_if_fail (diagnosis != NULL);

  if (ms_probe_result_has_diagnosis (self, diagnosis->code))
    return;

  g_ptr_array_add (self->diagnoses, ms_diagnosis_ref (diagnosis));
}

gboolean
ms_probe_result_has_diagnosis (const MsProbeResult *self,
                               MsDiagnosisCode      code)
{
  for (guint i = 0; i < self->diagnoses->len; i++)
    {
      MsDiagnosis *diagnosis = g_ptr_array_index (self->diagnoses, i);

      if (diagnosis->code == code)
        return TRUE;
    }

  return FALSE;
}

const char *
ms_login_result_to_string (MsLoginResult result)
{
  return ms_enum_nick_get (MS_TYPE_LOGIN_RESULT, result);
}

const char *
ms_probe_stage_to_string (MsProbeStage stage)
{
  return ms_enum_nick_get (MS_TYPE_PROBE_STAGE, stage);
}
