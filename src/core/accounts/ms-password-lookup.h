/* ms-password-lookup.h: read an existing account's password from where its program keeps it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "ms-existing-account.h"
#include "ms-secret.h"

G_BEGIN_DECLS

/* How long one lookup may take before it fails with G_IO_ERROR_TIMED_OUT
 * (an unlock prompt nobody answers, a goa-daemon that hangs). */
#define MS_PASSWORD_LOOKUP_DEFAULT_TIMEOUT_MS 30000

/* Only the Secret Service (KEYRING: the program's own item, by its schema
 * and attributes) and goa-daemon (GOA: PasswordBased.GetPassword) are
 * asked. A COMMAND is never run and an IN_FILE password never read:
 * both fail with G_IO_ERROR_NOT_SUPPORTED, as NONE does. A missing item
 * is MS_KEYRING_ERROR_NOT_FOUND. */
void      ms_password_lookup_async  (MsPasswordLocation  *location,
                                     guint                timeout_ms,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
MsSecret *ms_password_lookup_finish (GAsyncResult        *result,
                                     GError             **error);

/* libsecret 0.20's own g_autoptr(SecretSchema) unrefs it as a GObject,
 * which it is not: this name frees it with secret_schema_unref(). */
typedef SecretSchema MsSecretSchemaRef;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsSecretSchemaRef, secret_schema_unref)

/* The schema that finds a KEYRING location's item (also to store or clear one). */
SecretSchema *ms_password_lookup_schema (const MsPasswordLocation *location);

G_END_DECLS
