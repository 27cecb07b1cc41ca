/* ms-exporter-private.h: what each ms-export-NAME.c provides and may use
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ms-atomic-file.h"
#include "ms-exporter.h"

G_BEGIN_DECLS

typedef struct
{
  MsAccountSettings *settings;
  MsSecret          *password;
  MsExportFlags      flags;
  const char        *output_path;
  GCancellable      *cancellable;
  MsExportResult    *result;
} MsExportContext;

struct _MsExporter
{
  const char *id;
  const char *name;          /* N_() */
  gboolean    writes_file;   /* honours an output path */
  gboolean  (*run)           (MsExportContext *context,
                              GError         **error);
  /* A file the person keeps (the ending of ADDRESS.ENDING), which the
   * window saves where they choose (in a Flatpak, through the file
   * chooser portal); %NULL for a file another program reads in place. */
  const char *document_extension;
};

/* Writes @contents to @path atomically with a backup, and records it. */
gboolean ms_export_write_file  (MsExportContext  *context,
                                const char       *path,
                                const char       *contents,
                                gsize             length,
                                gboolean          private_file,
                                GError          **error);
/* Puts @block between "@comment BEGIN/END Mail Setup ADDRESS" lines into
 * the file at @path, replacing an earlier block for the same address and
 * leaving everything else as it was. */
gboolean ms_export_read_existing (const char      *path,
                                  char           **contents,
                                  GError         **error);
gboolean ms_export_write_block (MsExportContext  *context,
                                const char       *path,
                                const char       *comment,
                                const char       *block,
                                gboolean          private_file,
                                GError          **error);
char    *ms_export_replace_block (const char     *original,
                                  const char     *comment,
                                  const char     *address,
                                  const char     *block);
void     ms_export_add_warning (MsExportContext  *context,
                                const char       *warning);
gboolean ms_export_include_password (MsExportContext *context);
/* Where an exporter's file or folder goes without an output path. */
typedef enum
{
  MS_EXPORT_TARGET_CONFIG,    /* parts under $XDG_CONFIG_HOME */
  MS_EXPORT_TARGET_HOME,      /* parts under the home folder */
  MS_EXPORT_TARGET_DOCUMENT,  /* ADDRESS.EXTENSION in Documents; the one part is the extension */
} MsExportTarget;

/* The one target-path rule: the caller's output path if there is one, else
 * the program's default place built from @first_part and what follows. */
char    *ms_export_target_path (MsExportContext *context,
                                MsExportTarget   target,
                                const char      *first_part,
                                ...) G_GNUC_NULL_TERMINATED;
char    *ms_export_target_pathv (MsExportContext  *context,
                                 MsExportTarget    target,
                                 const char *const *parts);
/* What the terminal programs' exporters share: @block (taken; %NULL when
 * its renderer failed and set @error) goes into the program's own file,
 * readable only by its owner, between "#" lines (ms_export_write_block()). */
gboolean ms_export_write_config_block (MsExportContext   *context,
                                       MsExportTarget     target,
                                       const char *const *parts,
                                       char              *block,
                                       GError           **error);
gboolean ms_export_check_settings (MsAccountSettings  *settings,
                                   const char         *format,
                                   GError            **error);

/* The exporters, one per ms-export-NAME.c. */
extern const MsExporter ms_export_thunderbird;
extern const MsExporter ms_export_evolution;
extern const MsExporter ms_export_goa;
extern const MsExporter ms_export_geary;
extern const MsExporter ms_export_mobileconfig;
extern const MsExporter ms_export_qr;
extern const MsExporter ms_export_autodiscover;
extern const MsExporter ms_export_pdf;
extern const MsExporter ms_export_msmtp;
extern const MsExporter ms_export_mbsync;
extern const MsExporter ms_export_neomutt;
extern const MsExporter ms_export_aerc;

/* Renderers the unit tests call directly. */
char    *ms_export_msmtp_render        (MsAccountSettings *settings,
                                        GError           **error);
char    *ms_export_mbsync_render       (MsAccountSettings *settings,
                                        GError           **error);
char    *ms_export_neomutt_render      (MsAccountSettings *settings,
                                        GError           **error);
char    *ms_export_aerc_render         (MsAccountSettings *settings,
                                        GError           **error);
char    *ms_export_mobileconfig_render (MsAccountSettings *settings,
                                        MsSecret          *password,
                                        GError           **error);
char    *ms_export_autodiscover_render (MsAccountSettings *settings,
                                        GError           **error);
char    *ms_export_thunderbird_render  (MsAccountSettings *settings,
                                        const char        *prefs,
                                        GError           **error);
GKeyFile *ms_export_geary_render       (MsAccountSettings *settings,
                                        int                ordinal,
                                        GError           **error);
GVariant *ms_export_goa_render         (MsAccountSettings *settings,
                                        MsSecret          *password,
                                        GError           **error);
gboolean ms_export_evolution_render   (MsAccountSettings *settings,
                                        GKeyFile         **sources,
                                        GError           **error);
char    *ms_export_geary_find_account  (const char        *root,
                                        const char        *address,
                                        int               *ordinal);
char    *ms_export_geary_mailbox_address (const char      *mailbox);

G_END_DECLS
