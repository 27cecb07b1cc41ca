/* ms-server-row.h: one server being tested, with its live state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ms-probe-result.h"

G_BEGIN_DECLS

typedef enum
{
  MS_SERVER_ROW_WAITING,
  MS_SERVER_ROW_RUNNING,
  MS_SERVER_ROW_OK,
  MS_SERVER_ROW_PROBLEM,
} MsServerRowState;

#define MS_TYPE_SERVER_ROW (ms_server_row_get_type ())

G_DECLARE_FINAL_TYPE (MsServerRow, ms_server_row, MS, SERVER_ROW, AdwActionRow)

GtkWidget        *ms_server_row_new          (const MsServer   *server);
GtkWidget        *ms_server_row_new_message  (const char       *address);
const MsServer   *ms_server_row_get_server   (MsServerRow      *self);
MsServerRowState  ms_server_row_get_state    (MsServerRow      *self);
void              ms_server_row_set_state    (MsServerRow      *self,
                                              MsServerRowState  state,
                                              const char       *detail);
void              ms_server_row_set_result   (MsServerRow      *self,
                                              MsProbeResult    *result);

G_END_DECLS
