/* ms-repair-list-page.c: the wizard page that lists the accounts found and checks them
 *
 * One row per account the mail programs have (MsRepairAccountRow), whose
 * status fills in as the doctor tests it; under an account whose program
 * keeps the password where we may not read it (Thunderbird's own store),
 * an optional password entry: without it the check stops short of the
 * sign-in. Then the files that could not be read, in plain words.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ms-repair-list-page.h"
#include "ms-wizard-page.h"

struct _MsRepairListPage
{
  AdwBin               parent_instance;

  GtkWidget           *searching_box;
  GtkSpinner          *searching_spinner;
  GtkWidget           *empty_label;
  AdwPreferencesGroup *accounts_group;
  AdwPreferencesGroup *problems_group;
  GtkButton           *check_button;
  GtkButton           *cancel_button;

  GPtrArray           *rows;            /* MsRepairAccountRow, by inventory index */
  GPtrArray           *password_rows;   /* AdwPasswordEntryRow or NULL, the same */
  GPtrArray           *problem_rows;
  gboolean             searching;
  gboolean             running;
};

static void ms_repair_list_page_wizard_page_init (MsWizardPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MsRepairListPage, ms_repair_list_page, ADW_TYPE_BIN,
                               G_IMPLEMENT_INTERFACE (MS_TYPE_WIZARD_PAGE, ms_repair_list_page_wizard_page_init))

enum {
  PROP_0,
  PROP_VALID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ms_repair_list_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  MsRepairListPage *self = MS_REPAIR_LIST_PAGE (object);

  switch (prop_id)
    {
    case PROP_VALID:
      g_value_set_boolean (value, ms_repair_list_page_get_valid (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_repair_list_page_finalize (GObject *object)
{
  MsRepairListPage *self = MS_REPAIR_LIST_PAGE (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->password_rows, g_ptr_array_unref);
  g_clear_pointer (&self->problem_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (ms_repair_list_page_parent_class)->finalize (object);
}

static void
ms_repair_list_page_class_init (MsRepairListPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = ms_repair_list_page_get_property;
  object_class->finalize = ms_repair_list_page_finalize;

  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ms-repair-list-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MsRepairListPage, searching_box);
  gtk_widget_class_bind_template_child (widget_class, MsRepairListPage, searching_spinner);
  gtk_widget_class_bind_template_child (widget_class, MsRepairListPage, empty_label);
  gtk_widget_class_bind_template_child (widget_class, MsRepairListPage, accounts_group);
  gtk_widget_class_bind_template_child (widget_class, MsRepairListPage, problems_group);
  gtk_widget_class_bind_template_child (widget_class, MsRepairListPage, check_button);
  gtk_widget_class_bind_template_child (widget_class, MsRepairListPage, cancel_button);
}

static void
ms_repair_list_page_init (MsRepairListPage *self)
{
  self->rows = g_ptr_array_new ();
  self->password_rows = g_ptr_array_new ();
  self->problem_rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}

static void
clear_group (AdwPreferencesGroup *group,
             GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    if (g_ptr_array_index (rows, i) != NULL)
      adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

static void
update (MsRepairListPage *self)
{
  gboolean found = self->rows->len > 0;

  gtk_widget_set_visible (self->searching_box, self->searching);
  gtk_spinner_set_spinning (self->searching_spinner, self->searching);
  gtk_widget_set_visible (self->empty_label, !self->searching && !found);
  gtk_widget_set_visible (GTK_WIDGET (self->accounts_group), !self->searching && found);
  gtk_widget_set_visible (GTK_WIDGET (self->problems_group),
                          !self->searching && self->problem_rows->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->check_button), found && !self->running);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), self->running);

  for (guint i = 0; i < self->password_rows->len; i++)
    if (g_ptr_array_index (self->password_rows, i) != NULL)
      gtk_widget_set_sensitive (g_ptr_array_index (self->password_rows, i), !self->running);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
}

/* Looking for the accounts: the ones listed before are hidden until
 * ms_repair_list_page_set_inventory() replaces them. */
void
ms_repair_list_page_set_searching (MsRepairListPage *self)
{
  g_return_if_fail (MS_IS_REPAIR_LIST_PAGE (self));

  self->searching = TRUE;
  self->running = FALSE;
  update (self);
}

/* Whether we can test the sign-in without asking: the program keeps the
 * password in the keyring or in GNOME Online Accounts. A command is
 * never run, a password in the file never read. */
static gboolean
password_readable (const MsServer           *server,
                   const MsPasswordLocation *location)
{
  if (server == NULL)
    return TRUE;

  return location != NULL &&
         (location->source == MS_PASSWORD_SOURCE_KEYRING || location->source == MS_PASSWORD_SOURCE_GOA);
}

static GtkWidget *
password_row_new (MsExistingAccount *account)
{
  GtkWidget *row = adw_password_entry_row_new ();
  g_autofree char *title = NULL;

  /* Translators: %s is an email address or an account's name */
  title = g_strdup_printf (_("Password for %s (optional)"),
                           account->address != NULL ? account->address : account->key);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);

  return row;
}

static gboolean
has_password_rows (MsRepairListPage *self)
{
  for (guint i = 0; i < self->password_rows->len; i++)
    if (g_ptr_array_index (self->password_rows, i) != NULL)
      return TRUE;

  return FALSE;
}

static void
add_problem (MsRepairListPage       *self,
             const MsAccountProblem *problem)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *where = NULL;

  if (problem->line > 0)
    /* Translators: a mail program, a file and a line in it */
    where = g_strdup_printf (_("%s: %s, line %u"), ms_mail_program_get_name (problem->program),
                             problem->path, problem->line);
  else
    /* Translators: a mail program and one of its files */
    where = g_strdup_printf (_("%s: %s"), ms_mail_program_get_name (problem->program), problem->path);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), problem->message);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), where);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  adw_preferences_group_add (self->problems_group, row);
  g_ptr_array_add (self->problem_rows, row);
}

/* The passwords typed so far, by account id: the accounts found again
 * (after a repair, say) keep theirs. */
static GHashTable *
take_passwords (MsRepairListPage *self)
{
  GHashTable *passwords = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                 (GDestroyNotify) ms_secret_unref);

  for (guint i = 0; i < self->rows->len; i++)
    {
      MsSecret *password = ms_repair_list_page_dup_password (self, i);
      MsExistingAccount *account = ms_repair_account_row_get_account (g_ptr_array_index (self->rows, i));

      if (password != NULL)
        g_hash_table_replace (passwords, ms_existing_account_get_id (account), password);
    }

  return passwords;
}

static void
restore_password (GtkWidget         *row,
                  MsExistingAccount *account,
                  GHashTable        *passwords)
{
  g_autofree char *id = ms_existing_account_get_id (account);
  MsSecret *password = g_hash_table_lookup (passwords, id);

  if (password != NULL)
    gtk_editable_set_text (GTK_EDITABLE (row), ms_secret_get_text (password));
}

void
ms_repair_list_page_set_inventory (MsRepairListPage   *self,
                                   MsAccountInventory *inventory)
{
  g_autoptr(GHashTable) passwords = NULL;
  GPtrArray *accounts;
  GPtrArray *problems;

  g_return_if_fail (MS_IS_REPAIR_LIST_PAGE (self));
  g_return_if_fail (MS_IS_ACCOUNT_INVENTORY (inventory));

  passwords = take_passwords (self);
  clear_group (self->accounts_group, self->rows);
  clear_group (self->accounts_group, self->password_rows);
  clear_group (self->problems_group, self->problem_rows);
  accounts = ms_account_inventory_get_accounts (inventory);
  for (guint i = 0; i < accounts->len; i++)
    {
      MsExistingAccount *account = g_ptr_array_index (accounts, i);
      GtkWidget *row = ms_repair_account_row_new (account, i);
      GtkWidget *password_row = NULL;

      adw_preferences_group_add (self->accounts_group, row);
      g_ptr_array_add (self->rows, row);

      if (!password_readable (account->incoming, account->incoming_password) ||
          !password_readable (account->outgoing, account->outgoing_password))
        {
          password_row = password_row_new (account);
          restore_password (password_row, account, passwords);
          adw_preferences_group_add (self->accounts_group, password_row);
        }
      g_ptr_array_add (self->password_rows, password_row);
    }

  /* Said only where there is a password to type. */
  adw_preferences_group_set_description (self->accounts_group,
                                         has_password_rows (self)
                                         ? _("Where a program keeps the password where Mail Setup cannot read it, you may type it to test the sign-in too. Without it, everything else is tested.")
                                         : NULL);

  problems = ms_account_inventory_get_problems (inventory);
  for (guint i = 0; i < problems->len; i++)
    add_problem (self, g_ptr_array_index (problems, i));

  self->searching = FALSE;
  update (self);
  /* The button was hidden while looking: the focus had nowhere to go. */
  if (gtk_widget_get_visible (GTK_WIDGET (self->check_button)))
    gtk_widget_grab_focus (GTK_WIDGET (self->check_button));
}

guint
ms_repair_list_page_get_n_rows (MsRepairListPage *self)
{
  g_return_val_if_fail (MS_IS_REPAIR_LIST_PAGE (self), 0);

  return self->rows->len;
}

MsRepairAccountRow *
ms_repair_list_page_get_row (MsRepairListPage *self,
                             guint             index)
{
  g_return_val_if_fail (MS_IS_REPAIR_LIST_PAGE (self), NULL);
  g_return_val_if_fail (index < self->rows->len, NULL);

  return g_ptr_array_index (self->rows, index);
}

/**
 * ms_repair_list_page_dup_password:
 *
 * Returns: (transfer full) (nullable): the password typed for the
 *   account, %NULL when none was (or none is asked)
 */
MsSecret *
ms_repair_list_page_dup_password (MsRepairListPage *self,
                                  guint             index)
{
  GtkEditable *row;
  const char *text;

  g_return_val_if_fail (MS_IS_REPAIR_LIST_PAGE (self), NULL);
  g_return_val_if_fail (index < self->password_rows->len, NULL);

  row = g_ptr_array_index (self->password_rows, index);
  if (row == NULL)
    return NULL;

  text = gtk_editable_get_text (row);

  return text[0] != '\0' ? ms_secret_new (text) : NULL;
}

void
ms_repair_list_page_set_running (MsRepairListPage *self,
                                 gboolean          running)
{
  g_return_if_fail (MS_IS_REPAIR_LIST_PAGE (self));

  self->running = running;
  update (self);

  if (running)
    gtk_widget_grab_focus (GTK_WIDGET (self->cancel_button));
  else if (gtk_widget_get_visible (GTK_WIDGET (self->check_button)))
    gtk_widget_grab_focus (GTK_WIDGET (self->check_button));
}

/* Something to check, and no check running. */
gboolean
ms_repair_list_page_get_valid (MsRepairListPage *self)
{
  g_return_val_if_fail (MS_IS_REPAIR_LIST_PAGE (self), FALSE);

  return !self->searching && !self->running && self->rows->len > 0;
}

/* ---- MsWizardPage -------------------------------------------------- */

static GtkWidget *
wizard_page_get_default_widget (MsWizardPage *page)
{
  MsRepairListPage *self = MS_REPAIR_LIST_PAGE (page);

  return GTK_WIDGET (self->running ? self->cancel_button : self->check_button);
}

static gboolean
wizard_page_get_valid (MsWizardPage *page)
{
  return ms_repair_list_page_get_valid (MS_REPAIR_LIST_PAGE (page));
}

static void
ms_repair_list_page_wizard_page_init (MsWizardPageInterface *iface)
{
  iface->get_default_widget = wizard_page_get_default_widget;
  iface->get_valid = wizard_page_get_valid;
}
