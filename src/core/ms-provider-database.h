/* ms-provider-database.h: the provider files Mail Setup knows, by domain
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ms-provider.h"

G_BEGIN_DECLS

#define MS_TYPE_PROVIDER_DATABASE (ms_provider_database_get_type ())

G_DECLARE_FINAL_TYPE (MsProviderDatabase, ms_provider_database, MS, PROVIDER_DATABASE, GObject)

char              **ms_provider_database_get_default_directories (void);

MsProviderDatabase *ms_provider_database_new                 (void);
MsProviderDatabase *ms_provider_database_new_for_directories (const char * const *directories,
                                                              gboolean            include_bundled);

const char * const *ms_provider_database_get_directories     (MsProviderDatabase  *self);

gboolean            ms_provider_database_load                (MsProviderDatabase  *self,
                                                              GCancellable        *cancellable,
                                                              GError             **error);
void                ms_provider_database_load_async          (MsProviderDatabase  *self,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
gboolean            ms_provider_database_load_finish         (MsProviderDatabase  *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);
gboolean            ms_provider_database_is_loaded           (MsProviderDatabase  *self);

MsProvider         *ms_provider_database_lookup              (MsProviderDatabase  *self,
                                                              const char          *domain);
GPtrArray          *ms_provider_database_get_providers       (MsProviderDatabase  *self);
GPtrArray          *ms_provider_database_get_load_errors     (MsProviderDatabase  *self);

G_END_DECLS
