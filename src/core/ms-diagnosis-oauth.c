/* ms-diagnosis-oauth.c: a failed browser sign-in, as a diagnosis
 *
 * What ms_oauth_sign_in_run_finish() and ms_oauth_refresh_finish() fail
 * with, in the words the wizard and `mail-setup sign-in --json` show.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ms-diagnosis-oauth.h"
#include "ms-oauth-refresh.h"
#include "ms-untrusted-text.h"
#include "ms-validate.h"

static MsDiagnosisCode
code_for_oauth_error (const GError *error)
{
  /* The network's own diagnoses speak of the mail server: of them only
   * "offline" fits a provider's sign-in pages; the rest is a failed
   * sign-in, the error's message its detail. */
  if (error->domain != MS_OAUTH_ERROR)
    return ms_diagnosis_code_for_error (error, MS_DIAGNOSIS_OAUTH_SIGN_IN_FAILED) == MS_DIAGNOSIS_OFFLINE
             ? MS_DIAGNOSIS_OFFLINE : MS_DIAGNOSIS_OAUTH_SIGN_IN_FAILED;

  switch ((MsOAuthError) error->code)
    {
    case MS_OAUTH_ERROR_INVALID_GRANT:
      return MS_DIAGNOSIS_OAUTH_TOKEN_INVALID;
    case MS_OAUTH_ERROR_SCOPE_MISSING:
      return MS_DIAGNOSIS_OAUTH_SCOPE_MISSING;
    case MS_OAUTH_ERROR_CONSENT_REFUSED:
      return MS_DIAGNOSIS_OAUTH_CONSENT_REFUSED;
    case MS_OAUTH_ERROR_UNFINISHED:
      return MS_DIAGNOSIS_OAUTH_SIGN_IN_UNFINISHED;
    case MS_OAUTH_ERROR_NO_BROWSER:
      return MS_DIAGNOSIS_OAUTH_NO_BROWSER;
    /* A client the provider does not take is, for the person, no client:
     * the app-password route either way. */
    case MS_OAUTH_ERROR_NO_CLIENT:
    case MS_OAUTH_ERROR_INVALID_CLIENT:
      return MS_DIAGNOSIS_OAUTH_NO_CLIENT;
    case MS_OAUTH_ERROR_BAD_RESPONSE:
    case MS_OAUTH_ERROR_FAILED:
    default:
      return MS_DIAGNOSIS_OAUTH_SIGN_IN_FAILED;
    }
}

/**
 * ms_diagnosis_new_for_oauth_error:
 * @error: why the sign-in or a refresh failed (not a cancellation: the
 *   person meant it, nothing to diagnose)
 * @provider: (nullable): the account's provider; its app-password page
 *   goes into the explanation of `oauth-no-client`
 *
 * Returns: (transfer full): the diagnosis, @error's message as its detail
 */
MsDiagnosis *
ms_diagnosis_new_for_oauth_error (const GError *error,
                                  MsProvider   *provider)
{
  MsDiagnosisCode code;
  MsDiagnosis *diagnosis;
  const char *url;

  g_return_val_if_fail (error != NULL, NULL);
  g_return_val_if_fail (provider == NULL || MS_IS_PROVIDER (provider), NULL);

  code = code_for_oauth_error (error);
  diagnosis = ms_diagnosis_new (code, NULL, error->message);

  url = provider != NULL ? ms_provider_get_app_password_url (provider) : NULL;
  if (code == MS_DIAGNOSIS_OAUTH_NO_CLIENT && url != NULL &&
      ms_validate_url (url, "app-password", NULL))
    {
      g_autofree char *shown = ms_untrusted_text_sanitize (url, MS_VALIDATE_URL_MAX_LENGTH);

      g_free (diagnosis->explanation);
      /* Translators: %s is the provider's web address for app passwords. */
      diagnosis->explanation = g_strdup_printf (_("Mail Setup cannot sign in with this provider in the browser. Create an app password at %s, and use it instead of your usual password."),
                                                shown);
    }

  return diagnosis;
}
