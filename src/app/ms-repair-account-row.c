/* ms-repair-account-row.c: one account another mail program has, with the state of its check
 *
 * "jsmith@charter.net — Thunderbird · IMAP.charter.net, port 143 ·
 * SMTP.charter.net, port 25", then what the doctor is doing: the server
 * being tested while it runs, then whether the account works as it is.
 * A checked account opens its diagnosis (wizard.show-diagnosis).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ms-accessible.h"
#include "ms-repair-account-row.h"
#include "ms-settings-page.h"

struct _MsRepairAccountRow
{
  AdwActionRow             parent_instance;

  GtkStack                *state_stack;
  GtkSpinner              *spinner;
  GtkImage                *state_image;
  GtkImage                *open_image;
  MsExistingAccount       *account;
  guint                    index;
  char                    *where;
  char                    *status;
  MsRepairAccountRowState  state;
  guint                    announce_id;
};

G_DEFINE_FINAL_TYPE (MsRepairAccountRow, ms_repair_account_row, ADW_TYPE_ACTION_ROW)

static void
ms_repair_account_row_finalize (GObject *object)
{
  MsRepairAccountRow *self = MS_REPAIR_ACCOUNT_ROW (object);

  g_clear_pointer (&self->account, ms_existing_account_unref);
  g_clear_pointer (&self->where, g_free);
  g_clear_pointer (&self->status, g_free);

  G_OBJECT_CLASS (ms_repair_account_row_parent_class)->finalize (object);
}

static void
ms_repair_account_row_class_init (MsRepairAccountRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ms_repair_account_row_finalize;
}

static gboolean
open_cb (GtkWidget *widget,
         GVariant  *args,
         gpointer   user_data)
{
  if (!gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (widget)))
    return FALSE;

  return gtk_widget_activate (widget);
}

static void
ms_repair_account_row_init (MsRepairAccountRow *self)
{
  GtkEventController *controller;

  self->state_stack = GTK_STACK (gtk_stack_new ());
  self->spinner = GTK_SPINNER (gtk_spinner_new ());
  self->state_image = GTK_IMAGE (gtk_image_new ());
  self->open_image = GTK_IMAGE (gtk_image_new_from_icon_name ("go-next-symbolic"));

  gtk_stack_add_named (self->state_stack, GTK_WIDGET (self->spinner), "spinner");
  gtk_stack_add_named (self->state_stack, GTK_WIDGET (self->state_image), "image");
  gtk_widget_set_valign (GTK_WIDGET (self->state_stack), GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), GTK_WIDGET (self->state_stack));
  gtk_widget_set_visible (GTK_WIDGET (self->open_image), FALSE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), GTK_WIDGET (self->open_image));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (self), 0);
  /* Addresses and host names come from another program's files. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), FALSE);

  /* Enter would go to the window's default button (Test Accounts, which
   * checks again): on a checked row it opens the diagnosis. */
  controller = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("Return|KP_Enter"),
                                                          gtk_callback_action_new (open_cb, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

static void
append_server (GString        *text,
               const MsServer *server)
{
  g_autofree char *where = NULL;

  if (server == NULL)
    return;

  where = ms_server_describe (server);
  g_string_append_printf (text, " · %s", where);
}

/**
 * ms_repair_describe_account:
 *
 * Returns: "Thunderbird · IMAP.charter.net, port 143 · SMTP.charter.net,
 *   port 25", for people
 */
char *
ms_repair_describe_account (MsExistingAccount *account)
{
  GString *text = g_string_new (ms_mail_program_get_name (account->program));

  append_server (text, account->incoming);
  append_server (text, account->outgoing);

  return g_string_free (text, FALSE);
}

static gboolean
announce_cb (gpointer data)
{
  MsRepairAccountRow *self = data;
  /* Translators: an account's verdict for a screen reader: “alice@example.com: 1 problem found” */
  g_autofree char *news = g_strdup_printf (_("%s: %s"),
                                           adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self)),
                                           self->status);

  self->announce_id = 0;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    ms_accessible_announce (GTK_WIDGET (self), news);

  return G_SOURCE_REMOVE;
}

/* A verdict that comes by itself while the person waits on Cancel: said
 * where the focus is, as the server rows' verdicts are. Once the focus
 * has settled: the last verdict ends the check, and Cancel, which has
 * the focus as it comes, gives it to Test Accounts at once. */
static void
announce_later (MsRepairAccountRow *self)
{
  if (self->announce_id == 0)
    self->announce_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, announce_cb, g_object_ref (self),
                                         g_object_unref);
}

static void
set_state (MsRepairAccountRow      *self,
           MsRepairAccountRowState  state,
           const char              *status)
{
  g_autofree char *subtitle = g_strdup_printf ("%s\n%s", self->where, status);
  const char *icon = NULL;
  const char *css = NULL;

  self->state = state;
  g_free (self->status);
  self->status = g_strdup (status);

  gtk_spinner_set_spinning (self->spinner, state == MS_REPAIR_ACCOUNT_ROW_RUNNING);
  gtk_stack_set_visible_child_name (self->state_stack,
                                    state == MS_REPAIR_ACCOUNT_ROW_RUNNING ? "spinner" : "image");
  gtk_widget_remove_css_class (GTK_WIDGET (self->state_image), "dim-label");
  gtk_widget_remove_css_class (GTK_WIDGET (self->state_image), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->state_image), "warning");

  switch (state)
    {
    case MS_REPAIR_ACCOUNT_ROW_WAITING:
    case MS_REPAIR_ACCOUNT_ROW_RUNNING:
      icon = "content-loading-symbolic";
      css = "dim-label";
      break;
    case MS_REPAIR_ACCOUNT_ROW_HEALTHY:
      icon = "emblem-ok-symbolic";
      css = "success";
      break;
    case MS_REPAIR_ACCOUNT_ROW_PROBLEM:
    case MS_REPAIR_ACCOUNT_ROW_FAILED:
    default:
      icon = "dialog-warning-symbolic";
      css = "warning";
      break;
    }
  gtk_image_set_from_icon_name (self->state_image, icon);
  gtk_widget_add_css_class (GTK_WIDGET (self->state_image), css);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);

  /* The icon alone says nothing to a screen reader. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->state_stack),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, status,
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle,
                                  -1);

  if (state != MS_REPAIR_ACCOUNT_ROW_WAITING && state != MS_REPAIR_ACCOUNT_ROW_RUNNING &&
      gtk_widget_get_mapped (GTK_WIDGET (self)))
    announce_later (self);
}

/* Only a checked account has a diagnosis to open. */
static void
set_openable (MsRepairAccountRow *self,
              gboolean            openable)
{
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), openable);
  gtk_widget_set_visible (GTK_WIDGET (self->open_image), openable);
  if (openable)
    gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self), g_variant_new_uint32 (self->index));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self), openable ? "wizard.show-diagnosis" : NULL);
}

/**
 * ms_repair_account_row_new:
 * @index: the account's place in the inventory: the target of
 *   "wizard.show-diagnosis"
 */
GtkWidget *
ms_repair_account_row_new (MsExistingAccount *account,
                           guint              index)
{
  MsRepairAccountRow *self;

  g_return_val_if_fail (account != NULL, NULL);

  self = g_object_new (MS_TYPE_REPAIR_ACCOUNT_ROW, NULL);
  self->account = ms_existing_account_ref (account);
  self->index = index;
  self->where = ms_repair_describe_account (account);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self),
                                 account->address != NULL ? account->address : account->key);
  set_state (self, MS_REPAIR_ACCOUNT_ROW_WAITING, _("Not checked yet"));

  return GTK_WIDGET (self);
}

MsExistingAccount *
ms_repair_account_row_get_account (MsRepairAccountRow *self)
{
  g_return_val_if_fail (MS_IS_REPAIR_ACCOUNT_ROW (self), NULL);

  return self->account;
}

MsRepairAccountRowState
ms_repair_account_row_get_state (MsRepairAccountRow *self)
{
  g_return_val_if_fail (MS_IS_REPAIR_ACCOUNT_ROW (self), MS_REPAIR_ACCOUNT_ROW_WAITING);

  return self->state;
}

/* Returns: the status line as shown under the servers */
const char *
ms_repair_account_row_get_status (MsRepairAccountRow *self)
{
  g_return_val_if_fail (MS_IS_REPAIR_ACCOUNT_ROW (self), NULL);

  return self->status;
}

/* Running: waiting for its first server; not running: back to unchecked
 * (a check that was cancelled says nothing about the account). */
void
ms_repair_account_row_set_running (MsRepairAccountRow *self,
                                   gboolean            running)
{
  g_return_if_fail (MS_IS_REPAIR_ACCOUNT_ROW (self));

  set_openable (self, FALSE);
  if (running)
    set_state (self, MS_REPAIR_ACCOUNT_ROW_RUNNING, _("Checking…"));
  else
    set_state (self, MS_REPAIR_ACCOUNT_ROW_WAITING, _("Not checked yet"));
}

void
ms_repair_account_row_server_started (MsRepairAccountRow *self,
                                      const MsServer     *server)
{
  g_autofree char *where = NULL;
  g_autofree char *status = NULL;

  g_return_if_fail (MS_IS_REPAIR_ACCOUNT_ROW (self));
  g_return_if_fail (server != NULL);

  where = ms_server_describe (server);
  /* Translators: %s is a mail server: "mobile.charter.net, port 993" */
  status = g_strdup_printf (_("Testing %s…"), where);
  set_state (self, MS_REPAIR_ACCOUNT_ROW_RUNNING, status);
}

void
ms_repair_account_row_server_finished (MsRepairAccountRow *self,
                                       MsProbeResult      *result)
{
  g_autofree char *where = NULL;
  g_autofree char *status = NULL;

  g_return_if_fail (MS_IS_REPAIR_ACCOUNT_ROW (self));
  g_return_if_fail (result != NULL);

  where = ms_server_describe (result->server);
  if (ms_probe_result_works (result))
    /* Translators: %s is a mail server: "mobile.charter.net, port 993" */
    status = g_strdup_printf (_("%s works"), where);
  else
    /* Translators: %s is a mail server: "mobile.charter.net, port 993" */
    status = g_strdup_printf (_("%s has a problem"), where);
  set_state (self, MS_REPAIR_ACCOUNT_ROW_RUNNING, status);
}

static guint
count_problems (GPtrArray *findings)
{
  guint problems = 0;

  for (guint i = 0; findings != NULL && i < findings->len; i++)
    if (((MsDiagnosis *) g_ptr_array_index (findings, i))->severity != MS_SEVERITY_INFO)
      problems++;

  return problems;
}

void
ms_repair_account_row_set_report (MsRepairAccountRow *self,
                                  MsDoctorReport     *report)
{
  guint problems;
  g_autofree char *status = NULL;

  g_return_if_fail (MS_IS_REPAIR_ACCOUNT_ROW (self));
  g_return_if_fail (MS_IS_DOCTOR_REPORT (report));

  problems = count_problems (ms_doctor_report_get_findings (report));
  if (ms_doctor_report_is_healthy (report))
    set_state (self, MS_REPAIR_ACCOUNT_ROW_HEALTHY, _("Works as it is"));
  else
    {
      if (problems == 0)
        status = g_strdup (_("Needs a change"));
      else
        status = g_strdup_printf (ngettext ("%u problem found", "%u problems found", problems), problems);
      set_state (self, MS_REPAIR_ACCOUNT_ROW_PROBLEM, status);
    }
  set_openable (self, TRUE);
}

/* The check itself could not run: @message says why. */
void
ms_repair_account_row_set_failed (MsRepairAccountRow *self,
                                  const char         *message)
{
  g_return_if_fail (MS_IS_REPAIR_ACCOUNT_ROW (self));

  set_openable (self, FALSE);
  set_state (self, MS_REPAIR_ACCOUNT_ROW_FAILED, message);
}
