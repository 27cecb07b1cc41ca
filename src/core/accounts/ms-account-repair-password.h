/* ms-account-repair-password.h: the program's keyring item follows a repair of host or username
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ms-account-settings.h"
#include "ms-existing-account.h"
#include "ms-secret.h"

G_BEGIN_DECLS

/* The item's place after a repair from @current to @target: @location
 * with every attribute that named the old host or username naming the new
 * one; %NULL when nothing in it changes (or it is no keyring item). */
MsPasswordLocation *ms_repair_password_moved  (const MsPasswordLocation *location,
                                               const MsServer           *current,
                                               const MsServer           *target);

/* Copies each server's item to its new place (the old one is kept, for
 * the undo), or stores @given (nullable) where a server gets a login it
 * had none. Adds a sentence to @warnings for what it could not do (the
 * program then asks). Never logs the password.
 *
 * Returns: (transfer full) (element-type MsPasswordLocation): the items
 *   it added, which an undo removes */
GPtrArray          *ms_repair_password_follow (MsExistingAccount        *account,
                                               MsAccountSettings        *target,
                                               MsSecret                 *given,
                                               GPtrArray                *warnings,
                                               GCancellable             *cancellable);

/* Removes the items ms_repair_password_follow() added. */
void                ms_repair_password_remove (GPtrArray                *added);

G_END_DECLS
