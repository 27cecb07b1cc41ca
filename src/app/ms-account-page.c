/* ms-account-page.c: the wizard page for name, email address and password
 *
 * The address is checked as it is typed and the reason shown at once; for
 * a provider that wants the whole address as the username (Charter), a bare
 * username is completed and the person is told.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ms-account-page.h"
#include "ms-wizard-page.h"
#include "ms-validate.h"

struct _MsAccountPage
{
  AdwBin               parent_instance;

  AdwEntryRow         *name_row;
  AdwEntryRow         *address_row;
  AdwPasswordEntryRow *password_row;
  GtkLabel            *address_hint;
  GtkButton           *continue_button;

  char                *default_domain;
  MsAddress           *address;
  gboolean             name_valid;
  gboolean             valid;
};

static void ms_account_page_wizard_page_init (MsWizardPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MsAccountPage, ms_account_page, ADW_TYPE_BIN,
                               G_IMPLEMENT_INTERFACE (MS_TYPE_WIZARD_PAGE, ms_account_page_wizard_page_init))

enum {
  PROP_0,
  PROP_VALID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* One hint under the rows: what is wrong with the name or the address,
 * or what the address was completed to. Plain text: it quotes what was
 * typed or pasted. */
static void
show_hint (MsAccountPage *self,
           const char    *text,
           GtkWidget     *error_row)
{
  GtkWidget *rows[] = { GTK_WIDGET (self->address_row), GTK_WIDGET (self->name_row), NULL };

  ms_wizard_page_show_problem (self->address_hint, text,
                               error_row != NULL ? MS_WIZARD_PROBLEM_ERROR : MS_WIZARD_PROBLEM_HINT,
                               error_row, rows);
}

static void
update_validity (MsAccountPage *self)
{
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  gboolean valid = self->address != NULL && self->name_valid && password != NULL && password[0] != '\0';

  ms_wizard_page_update_valid (G_OBJECT (self), &self->valid, valid);
}

/* Name and address are checked together: both go into every exported
 * configuration, through the same validators as any outside value. */
static void
fields_changed_cb (MsAccountPage *self)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->address_row));
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  g_autoptr(GError) error = NULL;
  gboolean completed = FALSE;

  g_clear_pointer (&self->address, ms_address_unref);

  self->name_valid = ms_validate_display_name (name, _("Your name"), &error);
  if (!self->name_valid)
    {
      show_hint (self, error->message, GTK_WIDGET (self->name_row));
      update_validity (self);
      return;
    }

  /* Nothing typed yet is not a mistake worth pointing out. */
  if (stripped[0] == '\0')
    {
      show_hint (self, NULL, NULL);
      update_validity (self);
      return;
    }

  if (self->default_domain != NULL)
    self->address = ms_address_complete (text, self->default_domain, &completed, &error);
  else
    self->address = ms_address_parse (text, &error);

  if (self->address != NULL &&
      !ms_validate_address (ms_address_get_ascii (self->address), _("Email address"), &error))
    g_clear_pointer (&self->address, ms_address_unref);

  if (self->address == NULL)
    show_hint (self, error->message, GTK_WIDGET (self->address_row));
  else if (completed)
    {
      g_autofree char *hint = NULL;

      /* Translators: %s is a full email address such as jsmith@charter.net */
      hint = g_strdup_printf (_("Your full address is %s. It is also your username."),
                              ms_address_get_display (self->address));
      show_hint (self, hint, NULL);
    }
  else
    show_hint (self, NULL, NULL);

  update_validity (self);
}

static void
password_changed_cb (MsAccountPage *self)
{
  update_validity (self);
}

static void
ms_account_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  MsAccountPage *self = MS_ACCOUNT_PAGE (object);

  switch (prop_id)
    {
    case PROP_VALID:
      g_value_set_boolean (value, self->valid);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_account_page_finalize (GObject *object)
{
  MsAccountPage *self = MS_ACCOUNT_PAGE (object);

  g_clear_pointer (&self->address, ms_address_unref);
  g_clear_pointer (&self->default_domain, g_free);

  G_OBJECT_CLASS (ms_account_page_parent_class)->finalize (object);
}

static void
ms_account_page_class_init (MsAccountPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = ms_account_page_get_property;
  object_class->finalize = ms_account_page_finalize;

  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ms-account-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MsAccountPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, MsAccountPage, address_row);
  gtk_widget_class_bind_template_child (widget_class, MsAccountPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, MsAccountPage, address_hint);
  gtk_widget_class_bind_template_child (widget_class, MsAccountPage, continue_button);
  gtk_widget_class_bind_template_callback (widget_class, fields_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, password_changed_cb);
}

static void
ms_account_page_init (MsAccountPage *self)
{
  const char *real_name = g_get_real_name ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->name_valid = TRUE;

  /* GLib says "Unknown" when the system has no name for the user. */
  if (real_name != NULL && g_strcmp0 (real_name, "Unknown") != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->name_row), real_name);
}

void
ms_account_page_set_default_domain (MsAccountPage *self,
                                    const char    *domain)
{
  g_return_if_fail (MS_IS_ACCOUNT_PAGE (self));

  g_free (self->default_domain);
  self->default_domain = g_strdup (domain);
  fields_changed_cb (self);
}

gboolean
ms_account_page_get_valid (MsAccountPage *self)
{
  g_return_val_if_fail (MS_IS_ACCOUNT_PAGE (self), FALSE);

  return self->valid;
}

const char *
ms_account_page_get_name (MsAccountPage *self)
{
  g_return_val_if_fail (MS_IS_ACCOUNT_PAGE (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->name_row));
}

/**
 * ms_account_page_get_address:
 *
 * Returns: (transfer none) (nullable): the address, completed, or %NULL
 *   while what is typed is not an address
 */
MsAddress *
ms_account_page_get_address (MsAccountPage *self)
{
  g_return_val_if_fail (MS_IS_ACCOUNT_PAGE (self), NULL);

  return self->address;
}

MsSecret *
ms_account_page_dup_password (MsAccountPage *self)
{
  g_return_val_if_fail (MS_IS_ACCOUNT_PAGE (self), NULL);

  return ms_secret_new (gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
}

GtkWidget *
ms_account_page_get_default_widget (MsAccountPage *self)
{
  g_return_val_if_fail (MS_IS_ACCOUNT_PAGE (self), NULL);

  return GTK_WIDGET (self->continue_button);
}

/* The first field still empty, so a person who comes back lands where
 * they left off. */
void
ms_account_page_focus (MsAccountPage *self)
{
  g_return_if_fail (MS_IS_ACCOUNT_PAGE (self));

  if (gtk_editable_get_text (GTK_EDITABLE (self->name_row))[0] == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
  else if (self->address == NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->address_row));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

void
ms_account_page_focus_password (MsAccountPage *self)
{
  g_return_if_fail (MS_IS_ACCOUNT_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
  gtk_editable_select_region (GTK_EDITABLE (self->password_row), 0, -1);
}

/* ---- MsWizardPage -------------------------------------------------- */

static GtkWidget *
wizard_page_get_default_widget (MsWizardPage *page)
{
  return ms_account_page_get_default_widget (MS_ACCOUNT_PAGE (page));
}

static void
wizard_page_focus (MsWizardPage *page)
{
  ms_account_page_focus (MS_ACCOUNT_PAGE (page));
}

static gboolean
wizard_page_get_valid (MsWizardPage *page)
{
  return ms_account_page_get_valid (MS_ACCOUNT_PAGE (page));
}

static void
ms_account_page_wizard_page_init (MsWizardPageInterface *iface)
{
  iface->get_default_widget = wizard_page_get_default_widget;
  iface->focus = wizard_page_focus;
  iface->get_valid = wizard_page_get_valid;
}
