/* ms-account-page.c: the wizard page for name, email address and password
 *
 * The address is checked as it is typed and the reason shown at once; for
 * a provider that wants the whole address as the username (Charter), a bare
 * username is completed and the person is told. When the address's provider
 * offers a sign-in in the browser (OAuth, issue 14), no password is asked:
 * the page says so, and "Use an App Password Instead" brings the password
 * row back for those who cannot or will not sign in that way.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ms-account-page.h"
#include "ms-untrusted-text.h"
#include "ms-wizard-page.h"
#include "ms-validate.h"

struct _MsAccountPage
{
  AdwBin               parent_instance;

  AdwEntryRow         *name_row;
  AdwEntryRow         *address_row;
  AdwPasswordEntryRow *password_row;
  GtkLabel            *address_hint;
  GtkLabel            *intro_label;
  GtkLabel            *sign_in_label;
  GtkLinkButton       *app_password_link;
  GtkButton           *continue_button;
  GtkButton           *app_password_button;

  char                *default_domain;
  MsAddress           *address;
  gboolean             name_valid;
  gboolean             valid;

  char                *sign_in_provider;   /* sanitized, or NULL: no sign-in */
  char                *app_password_url;
  gboolean             use_app_password;   /* the person asked for the password row */
  char                *app_password_for;   /* the provider they asked it for */
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

enum {
  ADDRESS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

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
  gboolean has_password = password != NULL && password[0] != '\0';
  gboolean valid = self->address != NULL && self->name_valid &&
                   (has_password || ms_account_page_get_uses_sign_in (self));

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
      g_signal_emit (self, signals[ADDRESS_CHANGED], 0);
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
  /* Last: the wizard's answer (a sign-in or not) changes the page. */
  g_signal_emit (self, signals[ADDRESS_CHANGED], 0);
}

/* What the page asks for: the password, or a sign-in in the browser. */
static void
update_mode (MsAccountPage *self)
{
  gboolean sign_in = ms_account_page_get_uses_sign_in (self);
  gboolean link = self->sign_in_provider != NULL && self->use_app_password && self->app_password_url != NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->password_row), !sign_in);
  gtk_widget_set_visible (GTK_WIDGET (self->app_password_button), sign_in);
  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_label), sign_in);
  gtk_widget_set_visible (GTK_WIDGET (self->app_password_link), link);
  if (link)
    gtk_link_button_set_uri (self->app_password_link, self->app_password_url);

  if (sign_in)
    {
      g_autofree char *text = NULL;

      /* Translators: %s is a provider's name, such as Gmail */
      text = g_strdup_printf (_("You will sign in with %s in your web browser. Mail Setup does not see your password."),
                              self->sign_in_provider);
      gtk_label_set_label (self->sign_in_label, text);
      gtk_label_set_label (self->intro_label,
                           _("Enter your email address. Your name is shown to the people you write to."));
    }
  else if (self->sign_in_provider != NULL)
    gtk_label_set_label (self->intro_label,
                         _("Enter your email address and an app password your provider made for mail programs. Your name is shown to the people you write to."));
  else
    gtk_label_set_label (self->intro_label,
                         _("Enter your email address and the password you use for it. Your name is shown to the people you write to."));

  gtk_button_set_label (self->continue_button, sign_in ? _("_Sign In…") : _("_Continue"));
  update_validity (self);
}

static void
app_password_clicked_cb (MsAccountPage *self)
{
  ms_account_page_use_app_password (self);
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
  g_clear_pointer (&self->sign_in_provider, g_free);
  g_clear_pointer (&self->app_password_url, g_free);
  g_clear_pointer (&self->app_password_for, g_free);

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

  /* The address typed changed (or became one, or stopped being one). */
  signals[ADDRESS_CHANGED] =
    g_signal_new ("address-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ms-account-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MsAccountPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, MsAccountPage, address_row);
  gtk_widget_class_bind_template_child (widget_class, MsAccountPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, MsAccountPage, address_hint);
  gtk_widget_class_bind_template_child (widget_class, MsAccountPage, intro_label);
  gtk_widget_class_bind_template_child (widget_class, MsAccountPage, sign_in_label);
  gtk_widget_class_bind_template_child (widget_class, MsAccountPage, app_password_link);
  gtk_widget_class_bind_template_child (widget_class, MsAccountPage, continue_button);
  gtk_widget_class_bind_template_child (widget_class, MsAccountPage, app_password_button);
  gtk_widget_class_bind_template_callback (widget_class, fields_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, password_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, app_password_clicked_cb);
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
  else if (ms_account_page_get_uses_sign_in (self))
    gtk_widget_grab_focus (GTK_WIDGET (self->continue_button));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

/**
 * ms_account_page_set_sign_in:
 * @provider_name: (nullable): the provider the address signs in with in
 *   the browser (from a provider file: sanitized here), or %NULL when it
 *   takes a password
 * @app_password_url: (nullable): the provider's page for app passwords
 *
 * The wizard's answer for the address typed. Another provider's sign-in
 * forgets the person's choice of an app password; the same one keeps it.
 */
void
ms_account_page_set_sign_in (MsAccountPage *self,
                             const char    *provider_name,
                             const char    *app_password_url)
{
  g_autofree char *name = NULL;

  g_return_if_fail (MS_IS_ACCOUNT_PAGE (self));

  name = ms_untrusted_text_sanitize (provider_name, MS_UNTRUSTED_TEXT_MAX_BYTES);
  /* A name that is all hidden characters still names a sign-in. */
  if (provider_name != NULL && (name == NULL || name[0] == '\0'))
    {
      g_free (name);
      name = g_strdup (_("your provider"));
    }

  /* An address on the way to another one (typed a letter at a time)
   * names no provider: only another provider's sign-in forgets it. */
  if (name != NULL && g_strcmp0 (name, self->app_password_for) != 0)
    self->use_app_password = FALSE;
  g_free (self->sign_in_provider);
  self->sign_in_provider = g_steal_pointer (&name);
  g_free (self->app_password_url);
  self->app_password_url = g_strdup (app_password_url);

  update_mode (self);
}

/* Whether the main button signs in in the browser rather than taking a
 * password. */
gboolean
ms_account_page_get_uses_sign_in (MsAccountPage *self)
{
  g_return_val_if_fail (MS_IS_ACCOUNT_PAGE (self), FALSE);

  return self->sign_in_provider != NULL && !self->use_app_password;
}

/* The password row back, with the provider's app-password page when it
 * has one, and the focus in the row. */
void
ms_account_page_use_app_password (MsAccountPage *self)
{
  g_return_if_fail (MS_IS_ACCOUNT_PAGE (self));

  self->use_app_password = TRUE;
  g_free (self->app_password_for);
  self->app_password_for = g_strdup (self->sign_in_provider);
  update_mode (self);
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
