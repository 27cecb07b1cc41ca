/* ms-keyring.h: account passwords in the system keyring (Secret Service)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "ms-account-settings.h"
#include "ms-secret.h"

G_BEGIN_DECLS

#define MS_KEYRING_SCHEMA_NAME "io.github.mailsetup.MailSetup.Account"

#define MS_KEYRING_ERROR (ms_keyring_error_quark ())

/**
 * MsKeyringError:
 * @MS_KEYRING_ERROR_NO_SERVICE: no keyring service runs (or no session bus)
 * @MS_KEYRING_ERROR_LOCKED: the keyring is locked and could not be unlocked
 *   (its unlock prompt got no answer in time: two minutes)
 * @MS_KEYRING_ERROR_DISMISSED: the person closed the keyring's unlock
 *   prompt, or it could not be shown
 * @MS_KEYRING_ERROR_NOT_FOUND: no password is stored for the account
 * @MS_KEYRING_ERROR_FAILED: any other keyring failure
 *
 * Each error's message is a translated sentence to show as it is. None of
 * them loses anything: the caller goes on without the keyring.
 */
typedef enum
{
  MS_KEYRING_ERROR_NO_SERVICE,
  MS_KEYRING_ERROR_LOCKED,
  MS_KEYRING_ERROR_DISMISSED,
  MS_KEYRING_ERROR_NOT_FOUND,
  MS_KEYRING_ERROR_FAILED,
} MsKeyringError;

GQuark              ms_keyring_error_quark        (void);
const SecretSchema *ms_keyring_get_schema         (void);

void                ms_keyring_store_async        (MsAccountSettings   *settings,
                                                   MsSecret            *password,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean            ms_keyring_store_finish       (GAsyncResult        *result,
                                                   GError             **error);
void                ms_keyring_lookup_async       (const char          *address,
                                                   MsProtocol           protocol,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
MsSecret           *ms_keyring_lookup_finish      (GAsyncResult        *result,
                                                   GError             **error);
void                ms_keyring_forget_async       (const char          *address,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean            ms_keyring_forget_finish      (GAsyncResult        *result,
                                                   GError             **error);

/* For exporters storing under another program's schema. @attributes:
 * (element-type utf8 utf8). */
void                ms_keyring_store_other_async  (const SecretSchema  *schema,
                                                   GHashTable          *attributes,
                                                   const char          *label,
                                                   MsSecret            *password,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean            ms_keyring_store_other_finish (GAsyncResult        *result,
                                                   GError             **error);

/* Blocking forms (the same operations in a private main context), for
 * threads (the exporters) and the command line. */
gboolean            ms_keyring_store_sync         (MsAccountSettings   *settings,
                                                   MsSecret            *password,
                                                   GCancellable        *cancellable,
                                                   GError             **error);
MsSecret           *ms_keyring_lookup_sync        (const char          *address,
                                                   MsProtocol           protocol,
                                                   GCancellable        *cancellable,
                                                   GError             **error);
gboolean            ms_keyring_forget_sync        (const char          *address,
                                                   GCancellable        *cancellable,
                                                   GError             **error);

gboolean            ms_keyring_store_other_sync   (const SecretSchema  *schema,
                                                   GHashTable          *attributes,
                                                   const char          *label,
                                                   MsSecret            *password,
                                                   GCancellable        *cancellable,
                                                   GError             **error);

char               *ms_keyring_address_id         (const char          *address);

/* OAuth 2.0 tokens, one item per address and kind (ms-oauth-account.c). */
#define MS_KEYRING_KIND_OAUTH_ACCESS  "oauth-access"
#define MS_KEYRING_KIND_OAUTH_REFRESH "oauth-refresh"

gboolean            ms_keyring_store_token_sync   (const char          *address,
                                                   const char          *kind,
                                                   MsSecret            *secret,
                                                   GCancellable        *cancellable,
                                                   GError             **error);
MsSecret           *ms_keyring_lookup_token_sync  (const char          *address,
                                                   const char          *kind,
                                                   GCancellable        *cancellable,
                                                   GError             **error);

G_END_DECLS
