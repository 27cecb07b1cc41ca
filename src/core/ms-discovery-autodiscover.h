/* ms-discovery-autodiscover.h: Microsoft Autodiscover (POX), to recognise Exchange
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "ms-discovery-error.h"
#include "ms-provider.h"

G_BEGIN_DECLS

#define MS_DISCOVERY_AUTODISCOVER_MAX_REDIRECTS 3

/* What one Autodiscover response says. */
typedef struct
{
  gboolean    exchange;       /* an EXCH or EXPR protocol: an Exchange server */
  char       *exchange_server;
  char       *redirect_addr;  /* Action redirectAddr */
  char       *redirect_url;   /* Action redirectUrl */
  MsProvider *provider;       /* IMAP/POP3 and SMTP protocols, when given */
} MsAutodiscoverAnswer;

void        ms_autodiscover_answer_free      (MsAutodiscoverAnswer *answer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsAutodiscoverAnswer, ms_autodiscover_answer_free)

char       *ms_discovery_autodiscover_url     (const char          *host,
                                              guint16              https_port);
char       *ms_discovery_autodiscover_request (const char          *address);
MsAutodiscoverAnswer *ms_discovery_autodiscover_parse (GBytes       *response,
                                                       const char   *domain,
                                                       const char   *source,
                                                       GError      **error);

void        ms_discovery_autodiscover_async  (SoupSession         *session,
                                              const char          *address,
                                              const char * const  *urls,
                                              guint                timeout_ms,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
MsProvider *ms_discovery_autodiscover_finish (GAsyncResult        *result,
                                              GError             **error);

G_END_DECLS
