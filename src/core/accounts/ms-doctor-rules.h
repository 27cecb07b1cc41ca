/* ms-doctor-rules.h: what is wrong with an existing account's settings, against the provider file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ms-account-report.h"
#include "ms-existing-account.h"
#include "ms-provider.h"

G_BEGIN_DECLS

/* Checks @account against @provider (nullable: no provider file knows the
 * domain) and what the test of its settings saw (@current, nullable: not
 * tested). @intended is the profile for how this computer is used
 * (--profile, else the provider's recommended one), nullable.
 *
 * Returns: (transfer full) (element-type MsDiagnosis): the findings, the
 *   test's own diagnoses included (a security mismatch the probe reported
 *   as information is replaced by the doctor's, which is an error for an
 *   account that is set up that way), worst first */
GPtrArray *ms_doctor_rules_diagnose (MsExistingAccount *account,
                                     MsProvider        *provider,
                                     MsProfile         *intended,
                                     MsAccountReport   *current);

/* The provider profile whose servers @account uses (host names compared
 * case-insensitively, with the port), or %NULL. */
MsProfile *ms_doctor_rules_find_profile (MsExistingAccount *account,
                                         MsProvider        *provider);

/* Whether @profile's own servers (not its alternates) include @server's
 * protocol, host name (case-insensitively) and port. */
gboolean   ms_doctor_rules_profile_uses (MsProfile      *profile,
                                         const MsServer *server);

G_END_DECLS
