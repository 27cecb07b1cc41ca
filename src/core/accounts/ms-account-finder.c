/* ms-account-finder.c: find the accounts the mail programs on this computer already have
 *
 * Runs every program's reader (ms-mail-program-private.h) in a worker
 * thread: they only read small files, but a home on a slow network share
 * must not freeze the wizard. Read-only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ms-account-finder.h"
#include "ms-host-paths.h"
#include "ms-mail-program-private.h"

static const MsMailProgramBackend * const backends[] = {
  &ms_program_thunderbird,
  &ms_program_evolution,
  &ms_program_geary,
  &ms_program_goa,
  &ms_program_msmtp,
  &ms_program_mbsync,
  &ms_program_neomutt,
  &ms_program_aerc,
  NULL,
};

const MsMailProgramBackend * const *
ms_mail_program_get_backends (void)
{
  return backends;
}

const MsMailProgramBackend *
ms_mail_program_get_backend (MsMailProgram program)
{
  for (guint i = 0; backends[i] != NULL; i++)
    if (backends[i]->program == program)
      return backends[i];

  g_return_val_if_reached (NULL);
}

MsAccountPlaces *
ms_account_places_new (const char *home,
                       const char *config_dir,
                       const char *data_dir)
{
  MsAccountPlaces *places = g_new0 (MsAccountPlaces, 1);

  g_return_val_if_fail (home != NULL && config_dir != NULL && data_dir != NULL, places);

  places->home = g_strdup (home);
  places->config_dir = g_strdup (config_dir);
  places->data_dir = g_strdup (data_dir);

  return places;
}

/* The places of the person running us: the host's, also inside a Flatpak,
 * whose own XDG folders no mail program reads. */
MsAccountPlaces *
ms_account_places_new_default (void)
{
  return ms_account_places_new (ms_host_paths_get_home (), ms_host_paths_get_config_dir (),
                                ms_host_paths_get_data_dir ());
}

MsAccountPlaces *
ms_account_places_copy (const MsAccountPlaces *places)
{
  return ms_account_places_new (places->home, places->config_dir, places->data_dir);
}

void
ms_account_places_free (MsAccountPlaces *places)
{
  if (places == NULL)
    return;

  g_free (places->home);
  g_free (places->config_dir);
  g_free (places->data_dir);
  g_free (places);
}

MsAccountInventory *
ms_account_finder_find_sync (GCancellable  *cancellable,
                             GError       **error)
{
  g_autoptr(MsAccountPlaces) places = ms_account_places_new_default ();
  g_autoptr(MsAccountInventory) inventory = ms_account_inventory_new ();

  for (guint i = 0; backends[i] != NULL; i++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      backends[i]->read (places, inventory, cancellable);
    }

  return g_steal_pointer (&inventory);
}

static void
find_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  MsAccountInventory *inventory = ms_account_finder_find_sync (cancellable, &error);

  if (inventory == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, inventory, g_object_unref);
}

void
ms_account_finder_find_async (GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, ms_account_finder_find_async);
  g_task_run_in_thread (task, find_thread);
}

/**
 * ms_account_finder_find_finish:
 *
 * Returns: (transfer full): the accounts and problems; %NULL only when
 *   cancelled
 */
MsAccountInventory *
ms_account_finder_find_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
