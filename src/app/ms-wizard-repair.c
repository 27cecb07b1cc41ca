/* ms-wizard-repair.c: the wizard's repair path: find the accounts, check them, repair one
 *
 * The work behind the repair pages (ms-repair-*-page.c): the finder
 * (ms-account-finder.h), one MsAccountDoctor at a time over the accounts
 * (one at a time so that no server sees two logins of ours at once), the
 * plan of the account shown and its application (ms-account-repair.h).
 * Each runs under the current step's cancellable, as the wizard's other
 * work does, and hands back to the state machine in ms-wizard.c
 * (ms_wizard_repair_event) only to move between pages. Only
 * ms-wizard-private.h reaches into the wizard.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ms-account-doctor.h"
#include "ms-account-finder.h"
#include "ms-account-repair.h"
#include "ms-password-lookup.h"
#include "ms-repair-diagnosis-page.h"
#include "ms-repair-list-page.h"
#include "ms-repair-summary-page.h"
#include "ms-wizard-private.h"

struct _MsRepairState
{
  MsAccountInventory *inventory;
  GPtrArray          *reports;        /* MsDoctorReport or NULL, by inventory index */
  GCancellable       *finding;        /* the find running, or NULL */
  MsAccountDoctor    *doctor;         /* the check running, or NULL */
  GArray             *queue;          /* guint: the accounts still to check */
  guint               current;        /* the account @doctor checks */
  GCancellable       *applying;       /* the repair being written, or NULL */
  guint               shown;          /* the account on the diagnosis page */
  char               *recheck;        /* the id of the account to check once found */
  GCancellable       *looking_up;     /* the stored password being read, or NULL */
  GHashTable         *stored;         /* account id -> MsSecret the program keeps */
};

/* Which piece of work a callback belongs to: a newer one may have
 * replaced it. */
typedef struct
{
  MsWizard *self;
  gpointer  work;
} Run;

static Run *
run_new (MsWizard *self,
         gpointer  work)
{
  Run *run = g_new (Run, 1);

  run->self = g_object_ref (self);
  run->work = g_object_ref (work);

  return run;
}

static void
run_free (Run *run)
{
  g_object_unref (run->self);
  g_object_unref (run->work);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

/* The reports hold a NULL for an account not checked (yet). */
static void
report_free (gpointer report)
{
  if (report != NULL)
    g_object_unref (report);
}

MsRepairState *
ms_repair_state_new (void)
{
  MsRepairState *state = g_new0 (MsRepairState, 1);

  state->reports = g_ptr_array_new_with_free_func (report_free);
  state->queue = g_array_new (FALSE, FALSE, sizeof (guint));
  state->stored = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) ms_secret_unref);

  return state;
}

void
ms_repair_state_free (MsRepairState *state)
{
  if (state == NULL)
    return;

  g_clear_object (&state->inventory);
  g_clear_pointer (&state->reports, g_ptr_array_unref);
  g_clear_object (&state->finding);
  g_clear_object (&state->doctor);
  g_clear_pointer (&state->queue, g_array_unref);
  g_clear_object (&state->applying);
  g_clear_object (&state->looking_up);
  g_clear_pointer (&state->stored, g_hash_table_unref);
  g_free (state->recheck);
  g_free (state);
}

#define STATE(self) (ms_wizard_get_repair_state (self))
#define LIST_PAGE(self) MS_REPAIR_LIST_PAGE (ms_wizard_get_page (self, MS_WIZARD_STEP_REPAIR_LIST))
#define DIAGNOSIS_PAGE(self) MS_REPAIR_DIAGNOSIS_PAGE (ms_wizard_get_page (self, MS_WIZARD_STEP_REPAIR_DIAGNOSIS))
#define SUMMARY_PAGE(self) MS_REPAIR_SUMMARY_PAGE (ms_wizard_get_page (self, MS_WIZARD_STEP_REPAIR_SUMMARY))

/* Each asks the state of a wizard that may be disposed already. */
gboolean
ms_wizard_repair_get_checking (MsWizard *self)
{
  return STATE (self) != NULL && (STATE (self)->doctor != NULL || STATE (self)->looking_up != NULL);
}

gboolean
ms_wizard_repair_get_applying (MsWizard *self)
{
  return STATE (self) != NULL && STATE (self)->applying != NULL;
}

/* Returns: whether finding, checking or repairing runs */
gboolean
ms_wizard_repair_get_busy (MsWizard *self)
{
  MsRepairState *state = STATE (self);

  return state != NULL && (state->finding != NULL || state->doctor != NULL ||
                           state->looking_up != NULL || state->applying != NULL);
}

/* ---- finding ------------------------------------------------------- */

static void
recheck (MsWizard *self)
{
  MsRepairState *state = STATE (self);
  GPtrArray *accounts = ms_account_inventory_get_accounts (state->inventory);
  MsExistingAccount *account;
  guint index;

  if (state->recheck == NULL)
    return;

  account = ms_account_inventory_lookup_id (state->inventory, state->recheck);
  if (account != NULL && g_ptr_array_find (accounts, account, &index))
    ms_wizard_repair_check (self, index);
}

/* Found again after a repair: the other accounts keep what their check
 * found (their files did not change), the one repaired is checked again. */
static void
keep_reports (MsWizard           *self,
              MsAccountInventory *before,
              GPtrArray          *reports)
{
  MsRepairState *state = STATE (self);
  GPtrArray *accounts = ms_account_inventory_get_accounts (state->inventory);

  for (guint i = 0; before != NULL && i < accounts->len; i++)
    {
      g_autofree char *id = ms_existing_account_get_id (g_ptr_array_index (accounts, i));
      MsExistingAccount *old = ms_account_inventory_lookup_id (before, id);
      guint old_index;
      MsDoctorReport *report;

      if (g_str_equal (id, state->recheck) || old == NULL ||
          !g_ptr_array_find (ms_account_inventory_get_accounts (before), old, &old_index) ||
          (report = g_ptr_array_index (reports, old_index)) == NULL)
        continue;

      g_ptr_array_index (state->reports, i) = g_object_ref (report);
      ms_repair_account_row_set_report (ms_repair_list_page_get_row (LIST_PAGE (self), i), report);
    }
}

static void
found_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(Run) run = user_data;
  MsWizard *self = run->self;
  MsRepairState *state = STATE (self);
  g_autoptr(MsAccountInventory) inventory = ms_account_finder_find_finish (result, NULL);

  /* The window closed (the wizard is disposed), or a newer find runs. */
  if (state == NULL || run->work != state->finding)
    return;
  g_clear_object (&state->finding);

  /* The finder may have finished just before the step was left. */
  if (inventory != NULL && !g_cancellable_is_cancelled (run->work))
    {
      g_autoptr(MsAccountInventory) before = g_steal_pointer (&state->inventory);
      g_autoptr(GPtrArray) reports = g_steal_pointer (&state->reports);

      state->inventory = g_object_ref (inventory);
      state->reports = g_ptr_array_new_with_free_func (report_free);
      for (guint i = 0; i < ms_account_inventory_get_accounts (inventory)->len; i++)
        g_ptr_array_add (state->reports, NULL);
      ms_repair_list_page_set_inventory (LIST_PAGE (self), inventory);
      if (state->recheck != NULL)
        keep_reports (self, before, reports);
      recheck (self);
    }

  g_clear_pointer (&state->recheck, g_free);
  ms_wizard_repair_changed (self);
}

/* Lists the accounts anew: another program may have changed them. */
void
ms_wizard_repair_find (MsWizard *self)
{
  MsRepairState *state = STATE (self);

  g_set_object (&state->finding, ms_wizard_get_cancellable (self));
  ms_repair_list_page_set_searching (LIST_PAGE (self));
  ms_account_finder_find_async (state->finding, found_cb, run_new (self, state->finding));
  ms_wizard_repair_changed (self);
}

/* ---- checking ------------------------------------------------------ */

/* Connected to the check running only (clear_doctor disconnects them);
 * the signals' other arguments, if any, are not needed. */
static void
server_started_cb (MsWizard       *self,
                   const MsServer *server)
{
  if (STATE (self) != NULL && STATE (self)->doctor != NULL)
    ms_repair_account_row_server_started (ms_repair_list_page_get_row (LIST_PAGE (self), STATE (self)->current),
                                          server);
}

static void
server_finished_cb (MsWizard      *self,
                    MsProbeResult *result)
{
  if (STATE (self) != NULL && STATE (self)->doctor != NULL)
    ms_repair_account_row_server_finished (ms_repair_list_page_get_row (LIST_PAGE (self), STATE (self)->current),
                                           result);
}

static void check_next (MsWizard *self);

static void
clear_doctor (MsWizard *self)
{
  MsRepairState *state = STATE (self);

  if (state->doctor != NULL)
    g_signal_handlers_disconnect_by_data (state->doctor, self);
  g_clear_object (&state->doctor);
}

/* A cancelled check says nothing about the accounts it did not finish. */
static void
check_cancelled (MsWizard *self)
{
  MsRepairState *state = STATE (self);
  MsRepairListPage *page = LIST_PAGE (self);

  ms_repair_account_row_set_running (ms_repair_list_page_get_row (page, state->current), FALSE);
  g_array_set_size (state->queue, 0);
  ms_repair_list_page_set_running (page, FALSE);
  ms_wizard_repair_changed (self);
}

static void
checked_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Run) run = user_data;
  MsWizard *self = run->self;
  MsRepairState *state = STATE (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(MsDoctorReport) report = NULL;
  MsRepairAccountRow *row;

  report = ms_account_doctor_run_finish (MS_ACCOUNT_DOCTOR (object), result, &error);
  if (state == NULL || run->work != state->doctor)
    return;
  clear_doctor (self);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      check_cancelled (self);
      return;
    }

  row = ms_repair_list_page_get_row (LIST_PAGE (self), state->current);
  if (report == NULL)
    ms_repair_account_row_set_failed (row, error->message);
  else
    {
      ms_repair_account_row_set_report (row, report);
      g_ptr_array_index (state->reports, state->current) = g_steal_pointer (&report);
    }

  check_next (self);
}

/* The password the person typed for the account, else the one its program
 * keeps in the keyring (read before the check): the doctor logs in with
 * it, and the repair copies the program's keyring entry with it when the
 * host or the username changes. */
static MsSecret *
account_password (MsWizard          *self,
                  MsExistingAccount *account,
                  guint              index)
{
  g_autofree char *id = ms_existing_account_get_id (account);
  MsSecret *typed = ms_repair_list_page_dup_password (LIST_PAGE (self), index);
  MsSecret *stored = g_hash_table_lookup (STATE (self)->stored, id);

  if (typed != NULL)
    return typed;

  return stored != NULL ? ms_secret_ref (stored) : NULL;
}

static MsPasswordLocation *
stored_password_location (MsExistingAccount *account)
{
  MsPasswordLocation *location = account->incoming_password != NULL ? account->incoming_password
                                                                     : account->outgoing_password;

  if (location == NULL ||
      (location->source != MS_PASSWORD_SOURCE_KEYRING && location->source != MS_PASSWORD_SOURCE_GOA))
    return NULL;

  return location;
}

static MsAccountDoctor *
doctor_new (MsWizard          *self,
            MsExistingAccount *account,
            guint              index)
{
  MsAccountDoctor *doctor = ms_account_doctor_new (account);
  g_autoptr(MsSecret) password = account_password (self, account, index);

  if (password != NULL)
    ms_account_doctor_set_password (doctor, password);
  /* Until the start-up work has read them: the system's CAs, no pins. */
  if (ms_wizard_get_tls_database (self) != NULL)
    ms_account_doctor_set_tls_database (doctor, ms_wizard_get_tls_database (self));
  if (ms_wizard_get_trust_store (self) != NULL)
    ms_account_doctor_set_trust_store (doctor, ms_wizard_get_trust_store (self));

  g_signal_connect_object (doctor, "server-started", G_CALLBACK (server_started_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (doctor, "server-finished", G_CALLBACK (server_finished_cb), self, G_CONNECT_SWAPPED);

  return doctor;
}

static void
start_doctor (MsWizard *self)
{
  MsRepairState *state = STATE (self);
  GPtrArray *accounts = ms_account_inventory_get_accounts (state->inventory);

  state->doctor = doctor_new (self, g_ptr_array_index (accounts, state->current), state->current);
  ms_account_doctor_run_async (state->doctor, ms_wizard_get_cancellable (self), checked_cb,
                               run_new (self, state->doctor));
}

/* A keyring that is locked, absent or says no only costs the login: the
 * doctor then tests everything short of it. */
static void
stored_password_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Run) run = user_data;
  MsWizard *self = run->self;
  MsRepairState *state = STATE (self);
  g_autoptr(MsSecret) password = NULL;
  g_autoptr(GError) error = NULL;
  MsExistingAccount *account;

  password = ms_password_lookup_finish (result, &error);
  if (state == NULL || run->work != state->looking_up)
    return;
  g_clear_object (&state->looking_up);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      check_cancelled (self);
      return;
    }

  account = g_ptr_array_index (ms_account_inventory_get_accounts (state->inventory), state->current);
  if (password != NULL)
    g_hash_table_replace (state->stored, ms_existing_account_get_id (account), g_steal_pointer (&password));
  start_doctor (self);
}

static void
check_next (MsWizard *self)
{
  MsRepairState *state = STATE (self);
  GPtrArray *accounts = ms_account_inventory_get_accounts (state->inventory);
  g_autoptr(MsSecret) typed = NULL;
  g_autofree char *id = NULL;
  MsExistingAccount *account;
  MsPasswordLocation *location;

  if (state->queue->len == 0)
    {
      ms_repair_list_page_set_running (LIST_PAGE (self), FALSE);
      ms_wizard_repair_changed (self);
      return;
    }

  state->current = g_array_index (state->queue, guint, 0);
  g_array_remove_index (state->queue, 0);
  account = g_ptr_array_index (accounts, state->current);
  ms_repair_account_row_set_running (ms_repair_list_page_get_row (LIST_PAGE (self), state->current), TRUE);

  id = ms_existing_account_get_id (account);
  location = stored_password_location (account);
  typed = ms_repair_list_page_dup_password (LIST_PAGE (self), state->current);
  if (location != NULL && typed == NULL && !g_hash_table_contains (state->stored, id))
    {
      g_set_object (&state->looking_up, ms_wizard_get_cancellable (self));
      ms_password_lookup_async (location, 0, state->looking_up, stored_password_cb,
                                run_new (self, state->looking_up));
      return;
    }

  start_doctor (self);
}

/**
 * ms_wizard_repair_check:
 * @index: the account to check, or -1 for all of them
 */
void
ms_wizard_repair_check (MsWizard *self,
                        int       index)
{
  MsRepairState *state = STATE (self);
  guint n;

  g_return_if_fail (state->doctor == NULL && state->looking_up == NULL);

  if (state->inventory == NULL)
    return;

  n = ms_account_inventory_get_accounts (state->inventory)->len;
  g_array_set_size (state->queue, 0);
  for (guint i = 0; i < n; i++)
    if (index < 0 || (guint) index == i)
      {
        g_clear_object (&g_ptr_array_index (state->reports, i));
        g_array_append_val (state->queue, i);
      }

  check_next (self);
  ms_wizard_repair_changed (self);
  /* Last: Cancel takes the focus, which it can only once its action is
   * enabled (the check is running); before, the focus fell to the window
   * and the rows' verdicts were said nowhere a screen reader listens. */
  if (ms_wizard_repair_get_checking (self))
    ms_repair_list_page_set_running (LIST_PAGE (self), TRUE);
}

/* ---- the diagnosis of one account ---------------------------------- */

static void
show_diagnosis (MsWizard *self,
                guint     index)
{
  MsDoctorReport *report = g_ptr_array_index (STATE (self)->reports, index);
  MsAccountSettings *target = ms_doctor_report_get_recommended (report);
  g_autoptr(MsRepairPlan) plan = NULL;
  g_autoptr(GError) error = NULL;

  if (target != NULL)
    plan = ms_repair_plan_new (ms_doctor_report_get_account (report), target, &error);
  if (plan != NULL)
    {
      g_autoptr(MsSecret) password = account_password (self, ms_doctor_report_get_account (report), index);

      ms_repair_plan_set_password (plan, password);
    }

  STATE (self)->shown = index;
  ms_repair_diagnosis_page_set_report (DIAGNOSIS_PAGE (self), report, plan,
                                       error != NULL ? error->message : NULL);
  ms_wizard_repair_event (self, MS_REPAIR_EVENT_DIAGNOSIS);
}

static void
show_diagnosis_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  MsWizard *self = MS_WIZARD (widget);
  MsRepairState *state = STATE (self);
  guint index = g_variant_get_uint32 (parameter);

  if (ms_wizard_get_step (self) != MS_WIZARD_STEP_REPAIR_LIST ||
      state->doctor != NULL || state->looking_up != NULL ||
      index >= state->reports->len || g_ptr_array_index (state->reports, index) == NULL)
    return;

  show_diagnosis (self, index);
}

/* ---- repairing ----------------------------------------------------- */

/* The backend's sentence says why (Thunderbird is open, say) and what to
 * do, without its full stop (ms-mail-program-private.h), as the command
 * line shows it; the person must also know that nothing was half-written. */
static char *
describe_refusal (const GError *error)
{
  return g_strdup_printf (_("%s. Nothing was changed."), error->message);
}

static void
applied_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Run) run = user_data;
  MsWizard *self = run->self;
  MsRepairState *state = STATE (self);
  MsRepairPlan *plan = MS_REPAIR_PLAN (object);
  g_autoptr(GError) error = NULL;

  ms_repair_plan_apply_finish (plan, result, &error);
  if (state == NULL || run->work != state->applying)
    return;
  g_clear_object (&state->applying);
  ms_repair_diagnosis_page_set_busy (DIAGNOSIS_PAGE (self), FALSE);
  ms_wizard_repair_changed (self);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL)
    {
      g_autofree char *refusal = describe_refusal (error);

      ms_repair_diagnosis_page_show_refusal (DIAGNOSIS_PAGE (self), refusal);
      ms_wizard_repair_changed (self);
      return;
    }

  ms_repair_summary_page_set_plan (SUMMARY_PAGE (self), plan);
  ms_wizard_repair_event (self, MS_REPAIR_EVENT_APPLIED);
}

/* Writes the repair on the diagnosis page. */
void
ms_wizard_repair_apply (MsWizard *self)
{
  MsRepairState *state = STATE (self);
  MsRepairPlan *plan = ms_repair_diagnosis_page_get_plan (DIAGNOSIS_PAGE (self));

  if (plan == NULL || state->applying != NULL)
    return;

  g_set_object (&state->applying, ms_wizard_get_cancellable (self));
  ms_repair_diagnosis_page_show_refusal (DIAGNOSIS_PAGE (self), NULL);
  ms_repair_diagnosis_page_set_busy (DIAGNOSIS_PAGE (self), TRUE);
  ms_repair_plan_apply_async (plan, state->applying, applied_cb, run_new (self, state->applying));
  ms_wizard_repair_changed (self);
}

static void
retry_repair_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  MsWizard *self = MS_WIZARD (widget);

  if (ms_wizard_get_step (self) == MS_WIZARD_STEP_REPAIR_DIAGNOSIS)
    ms_wizard_repair_apply (self);
}

/* The accounts read again, and the one just repaired checked again: the
 * list shows that it works now. */
void
ms_wizard_repair_check_shown (MsWizard *self)
{
  MsRepairState *state = STATE (self);
  MsExistingAccount *account = g_ptr_array_index (ms_account_inventory_get_accounts (state->inventory),
                                                  state->shown);

  g_free (state->recheck);
  state->recheck = ms_existing_account_get_id (account);
  ms_wizard_repair_find (self);
}

void
ms_wizard_repair_install (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "wizard.show-diagnosis", "u", show_diagnosis_activated);
  gtk_widget_class_install_action (widget_class, "wizard.retry-repair", NULL, retry_repair_activated);
}
