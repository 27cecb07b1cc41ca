/* ms-secret-service-op.h: one keyring operation, bounded: unlock, then libsecret steps
 *
 * The engine under ms-keyring.c; nothing else in the product calls it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "ms-secret.h"

G_BEGIN_DECLS

GTask *ms_secret_service_op_new        (gpointer             source_tag,
                                        guint                timeout_ms,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
void   ms_secret_service_op_add_store  (GTask               *task,
                                        const SecretSchema  *schema,
                                        GHashTable          *attributes,
                                        const char          *label,
                                        MsSecret            *password);
void   ms_secret_service_op_add_clear  (GTask               *task,
                                        const SecretSchema  *schema,
                                        GHashTable          *attributes);
void   ms_secret_service_op_add_lookup (GTask               *task,
                                        const SecretSchema  *schema,
                                        GHashTable          *attributes,
                                        const char          *address);
void   ms_secret_service_op_start      (GTask               *task);

G_END_DECLS
