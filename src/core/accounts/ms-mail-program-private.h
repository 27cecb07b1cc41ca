/* ms-mail-program-private.h: what each mail program's module does for find, doctor and repair
 *
 * One file per program (ms-program-NAME.c) fills in one MsMailProgramBackend.
 * The shared rules live once, outside them: ms-account-finder.c runs the
 * readers; the repair (ms-account-repair.c) backs up, checks
 * is_running, writes atomically and keeps the undo record, so a backend's
 * update is a pure text transform that a unit test can feed anything.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ms-account-inventory.h"
#include "ms-account-settings.h"
#include "ms-existing-account.h"

G_BEGIN_DECLS

/**
 * MsAccountPlaces:
 * @home: the person's home folder (the host's, also inside a Flatpak)
 * @config_dir: their XDG config folder ($XDG_CONFIG_HOME, ~/.config)
 * @data_dir: their XDG data folder ($XDG_DATA_HOME, ~/.local/share)
 *
 * Where readers look; tests point it at a made-up home.
 */
typedef struct
{
  char *home;
  char *config_dir;
  char *data_dir;
} MsAccountPlaces;

MsAccountPlaces *ms_account_places_new_default (void);
MsAccountPlaces *ms_account_places_new         (const char      *home,
                                                const char      *config_dir,
                                                const char      *data_dir);
MsAccountPlaces *ms_account_places_copy        (const MsAccountPlaces *places);
void             ms_account_places_free        (MsAccountPlaces *places);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsAccountPlaces, ms_account_places_free)

typedef struct
{
  MsMailProgram program;

  /* Adds every account the program has under @places to @inventory, and a
   * problem for each file or account that could not be read (file, line, a
   * plain sentence). Never crashes, never hangs on a hostile file (read
   * through ms-safe-file.h: regular files only, capped size). Runs in a
   * worker thread: no main-context work. */
  void     (*read)       (const MsAccountPlaces *places,
                          MsAccountInventory    *inventory,
                          GCancellable          *cancellable);

  /* TRUE, with @why set to a translated sentence ("Thunderbird is open:
   * close it and try again"), when the program runs now and would overwrite
   * a change to @account's files or ignore it. NULL: never running. */
  gboolean (*is_running) (MsExistingAccount     *account,
                          char                 **why);

  /* The files (absolute) a repair of @account rewrites. */
  GStrv    (*files)      (MsExistingAccount     *account);

  /* The new contents of @path, whose current contents are @contents (of
   * @length bytes), with @account's servers, ports, security and usernames
   * replaced by @target's, and every other byte as it was (the person's
   * other accounts above all). %NULL and @error on a value the format cannot
   * hold (MS_EXPORT_ERROR_INVALID_VALUE) or a file that no longer has the
   * account (MS_EXPORT_ERROR_FAILED). */
  char    *(*update)     (MsExistingAccount     *account,
                          MsAccountSettings     *target,
                          const char            *path,
                          const char            *contents,
                          gsize                  length,
                          GError               **error);

  /* Optional: after the files are written (or restored by an undo), tell a
   * service that keeps running to read them again (goa-daemon,
   * evolution-source-registry). A failure is a warning, not an error. */
  gboolean (*reload)     (MsExistingAccount     *account,
                          GCancellable          *cancellable,
                          GError               **error);
} MsMailProgramBackend;

const MsMailProgramBackend * const *ms_mail_program_get_backends (void);
const MsMailProgramBackend         *ms_mail_program_get_backend  (MsMailProgram program);

/* Each in its own ms-program-NAME.c. */
extern const MsMailProgramBackend ms_program_thunderbird;
extern const MsMailProgramBackend ms_program_evolution;
extern const MsMailProgramBackend ms_program_geary;
extern const MsMailProgramBackend ms_program_goa;
extern const MsMailProgramBackend ms_program_msmtp;
extern const MsMailProgramBackend ms_program_mbsync;
extern const MsMailProgramBackend ms_program_neomutt;
extern const MsMailProgramBackend ms_program_aerc;

G_END_DECLS
