/* ms-settings-page.c: the wizard page that picks the servers to use
 *
 * For a provider with several profiles (Charter's Mobile and Desktop) it
 * asks how the computer is used, in the provider's own terms; for every
 * provider it sums up the servers and where the settings come from, with
 * a way to edit them by hand.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ms-settings-page.h"
#include "ms-wizard-page.h"
#include "ms-untrusted-text.h"

/* A provider's words are shown only cleaned (ms-untrusted-text.h), on
 * plain-text labels and rows: the copies live as long as @pool. */
#define SHOWN(pool, text) ms_untrusted_text_pool_sanitize ((pool), (text), MS_UNTRUSTED_TEXT_MAX_PARAGRAPH_BYTES)

struct _MsSettingsPage
{
  AdwBin                parent_instance;

  GtkLabel             *title_label;
  GtkLabel             *description_label;
  AdwPreferencesGroup  *profiles_group;
  AdwPreferencesGroup  *summary_group;
  GtkButton            *continue_button;

  MsProvider           *provider;
  MsProfile            *profile;
  char                 *source;          /* where a lookup found them */
  char                 *concerns;        /* why to look twice, or NULL */
  GPtrArray            *profile_rows;    /* GtkWidget */
  GPtrArray            *summary_rows;    /* GtkWidget */
  GPtrArray            *checks;          /* GtkCheckButton, one per profile */
};

static void ms_settings_page_wizard_page_init (MsWizardPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MsSettingsPage, ms_settings_page, ADW_TYPE_BIN,
                               G_IMPLEMENT_INTERFACE (MS_TYPE_WIZARD_PAGE, ms_settings_page_wizard_page_init))

/**
 * ms_server_describe:
 *
 * Returns: "mobile.charter.net, port 993", for people
 */
char *
ms_server_describe (const MsServer *server)
{
  /* Translators: a mail server: host name and port number */
  return g_strdup_printf (_("%s, port %u"), server->hostname, server->port);
}

static const char *
security_label (MsSecurity security)
{
  switch (security)
    {
    case MS_SECURITY_TLS:
      return _("encrypted (SSL/TLS)");
    case MS_SECURITY_STARTTLS:
      return _("encrypted (STARTTLS)");
    case MS_SECURITY_NONE:
    default:
      return _("not encrypted");
    }
}

static const char *
direction_label (const MsServer *server)
{
  switch (server->protocol)
    {
    case MS_PROTOCOL_IMAP:
      return _("Receiving mail (IMAP)");
    case MS_PROTOCOL_POP3:
      return _("Receiving mail (POP3)");
    case MS_PROTOCOL_SMTP:
    default:
      return _("Sending mail");
    }
}

static void
clear_rows (AdwPreferencesGroup *group,
            GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

static void
add_summary_row (MsSettingsPage *self,
                 const char     *title,
                 const char     *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_group_add (self->summary_group, row);
  g_ptr_array_add (self->summary_rows, row);
}

static void
add_server_rows (MsSettingsPage *self,
                 GPtrArray      *servers)
{
  for (guint i = 0; i < servers->len; i++)
    {
      const MsServer *server = g_ptr_array_index (servers, i);
      g_autofree char *where = ms_server_describe (server);
      g_autofree char *subtitle = g_strdup_printf ("%s, %s", where, security_label (server->security));

      add_summary_row (self, direction_label (server), subtitle);
    }
}

static void
update_summary (MsSettingsPage *self)
{
  g_autofree char *source = NULL;

  clear_rows (self->summary_group, self->summary_rows);
  if (self->profile == NULL)
    return;

  add_server_rows (self, ms_profile_get_incoming (self->profile));
  add_server_rows (self, ms_profile_get_outgoing (self->profile));

  if (self->source != NULL)
    add_summary_row (self, _("Where these settings come from"), self->source);
  else if (self->provider != NULL)
    {
      g_autofree char *name = ms_untrusted_text_sanitize (ms_provider_get_display_name (self->provider),
                                                          MS_UNTRUSTED_TEXT_MAX_BYTES);

      /* Translators: %s is a provider's name, such as “Charter Spectrum” */
      source = g_strdup_printf (_("Mail Setup’s list of providers: %s"), name != NULL ? name : "");
      add_summary_row (self, _("Where these settings come from"), source);
    }

  if (self->concerns != NULL)
    {
      add_summary_row (self, _("Check Before You Go On"), self->concerns);
      gtk_widget_add_css_class (g_ptr_array_index (self->summary_rows, self->summary_rows->len - 1),
                                "warning");
    }
}

static void
profile_toggled_cb (GtkCheckButton *check,
                    MsSettingsPage *self)
{
  MsProfile *profile;

  if (!gtk_check_button_get_active (check))
    return;

  profile = g_object_get_data (G_OBJECT (check), "ms-profile");
  if (g_set_object (&self->profile, profile))
    update_summary (self);
}

/* Charter's profiles in the words of the people who use them: the
 * question is where the computer is, not which server it talks to. */
static void
describe_profile (MsProvider  *provider,
                  MsProfile   *profile,
                  char       **title,
                  char       **subtitle)
{
  g_autoptr(GPtrArray) pool = g_ptr_array_new_with_free_func (g_free);
  const char *id = ms_profile_get_id (profile);
  const char *network = SHOWN (pool, ms_provider_get_short_name (provider));

  if (network == NULL)
    network = SHOWN (pool, ms_provider_get_display_name (provider));

  /* Which one is recommended is the provider file's to say. */
  if (g_strcmp0 (id, "mobile") == 0)
    {
      *title = ms_profile_get_recommended (profile) ? g_strdup (_("Mobile (recommended)")) : g_strdup (_("Mobile"));
      /* Translators: %s is the internet provider's short name, such as “Spectrum” */
      *subtitle = g_strdup_printf (_("A laptop, or anywhere other than your %s internet at home. Works on any network, and the connection is always encrypted."),
                                   network);
    }
  else if (g_strcmp0 (id, "desktop") == 0)
    {
      *title = ms_profile_get_recommended (profile) ? g_strdup (_("Desktop (recommended)")) : g_strdup (_("Desktop"));
      /* Translators: %s is the internet provider's short name, such as “Spectrum” */
      *subtitle = g_strdup_printf (_("A computer that always stays on your %s internet at home. Sending mail stops working anywhere else, and the connection may not be encrypted."),
                                   network);
    }
  else
    {
      *title = ms_profile_get_recommended (profile)
        /* Translators: %s is the name of a set of server settings */
        ? g_strdup_printf (_("%s (recommended)"), SHOWN (pool, ms_profile_get_name (profile)))
        : g_strdup (SHOWN (pool, ms_profile_get_name (profile)));
      *subtitle = g_strdup (SHOWN (pool, ms_profile_get_description (profile)));
    }
}

static gboolean
choose_and_continue_cb (GtkWidget *row,
                        GVariant  *args,
                        gpointer   user_data)
{
  gtk_check_button_set_active (GTK_CHECK_BUTTON (user_data), TRUE);
  gtk_widget_activate_action (row, "wizard.next", NULL);

  return TRUE;
}

/* Enter on a choice picks it and goes on, as Enter does in a field; the
 * check button would otherwise take Enter, which only picks. Space still
 * only picks. In the capture phase: before the check button's own key
 * binding. */
static void
add_enter_shortcut (GtkWidget *row,
                    GtkWidget *check)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();
  static const guint keys[] = { GDK_KEY_Return, GDK_KEY_ISO_Enter, GDK_KEY_KP_Enter };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (keys[i], 0),
                                                            gtk_callback_action_new (choose_and_continue_cb,
                                                                                     check, NULL)));
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_widget_add_controller (row, controller);
}

static void
ms_settings_page_dispose (GObject *object)
{
  MsSettingsPage *self = MS_SETTINGS_PAGE (object);

  g_clear_object (&self->provider);
  g_clear_object (&self->profile);

  G_OBJECT_CLASS (ms_settings_page_parent_class)->dispose (object);
}

static void
ms_settings_page_finalize (GObject *object)
{
  MsSettingsPage *self = MS_SETTINGS_PAGE (object);

  g_clear_pointer (&self->profile_rows, g_ptr_array_unref);
  g_clear_pointer (&self->summary_rows, g_ptr_array_unref);
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  g_clear_pointer (&self->source, g_free);
  g_clear_pointer (&self->concerns, g_free);

  G_OBJECT_CLASS (ms_settings_page_parent_class)->finalize (object);
}

static void
ms_settings_page_class_init (MsSettingsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ms_settings_page_dispose;
  object_class->finalize = ms_settings_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ms-settings-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MsSettingsPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, MsSettingsPage, description_label);
  gtk_widget_class_bind_template_child (widget_class, MsSettingsPage, profiles_group);
  gtk_widget_class_bind_template_child (widget_class, MsSettingsPage, summary_group);
  gtk_widget_class_bind_template_child (widget_class, MsSettingsPage, continue_button);
}

static void
ms_settings_page_init (MsSettingsPage *self)
{
  self->profile_rows = g_ptr_array_new ();
  self->summary_rows = g_ptr_array_new ();
  self->checks = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}

/* One choice: a row with a check button, in a group with the others. */
static void
add_profile_row (MsSettingsPage *self,
                 MsProvider     *provider,
                 MsProfile      *profile)
{
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();
  /* One of a group: a screen reader says "radio button", not "check box". */
  GtkWidget *check = g_object_new (GTK_TYPE_CHECK_BUTTON, "accessible-role", GTK_ACCESSIBLE_ROLE_RADIO, NULL);

  describe_profile (provider, profile, &title, &subtitle);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  /* Its name is the row's title (the row labels it); a label of its own
   * would be said as well. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle,
                                  -1);

  if (self->checks->len > 0)
    gtk_check_button_set_group (GTK_CHECK_BUTTON (check), g_ptr_array_index (self->checks, 0));

  g_object_set_data_full (G_OBJECT (check), "ms-profile", g_object_ref (profile), g_object_unref);
  g_object_set_data_full (G_OBJECT (row), "ms-profile-id", g_strdup (ms_profile_get_id (profile)), g_free);
  g_signal_connect_object (check, "toggled", G_CALLBACK (profile_toggled_cb), self, 0);
  add_enter_shortcut (row, check);
  adw_preferences_group_add (self->profiles_group, row);
  g_ptr_array_add (self->profile_rows, row);
  g_ptr_array_add (self->checks, check);
}

/**
 * ms_settings_page_set_provider:
 * @profile_id: (nullable): the profile to preselect, if the provider has it;
 *   otherwise the recommended one
 */
void
ms_settings_page_set_provider (MsSettingsPage *self,
                               MsProvider     *provider,
                               const char     *profile_id)
{
  g_autoptr(GPtrArray) pool = NULL;
  GPtrArray *profiles;
  MsProfile *selected = NULL;

  g_return_if_fail (MS_IS_SETTINGS_PAGE (self));
  g_return_if_fail (MS_IS_PROVIDER (provider));

  g_set_object (&self->provider, provider);
  g_clear_pointer (&self->source, g_free);
  g_clear_pointer (&self->concerns, g_free);
  clear_rows (self->profiles_group, self->profile_rows);
  g_ptr_array_set_size (self->checks, 0);

  profiles = ms_provider_get_profiles (provider);
  pool = g_ptr_array_new_with_free_func (g_free);
  if (profile_id != NULL && profile_id[0] != '\0')
    selected = ms_provider_get_profile (provider, profile_id);
  if (selected == NULL)
    selected = ms_provider_get_recommended_profile (provider);

  if (profiles->len > 1)
    {
      gtk_label_set_label (self->title_label, _("How Will You Use This Computer?"));
      /* Translators: %s is a provider's name, such as “Charter Spectrum” */
      g_autofree char *description = g_strdup_printf (_("%s has two kinds of settings. Pick the one that fits where this computer is used."),
                                                      SHOWN (pool, ms_provider_get_display_name (provider)));
      gtk_label_set_label (self->description_label, description);
    }
  else
    {
      gtk_label_set_label (self->title_label, _("Your Provider’s Settings"));
      /* Translators: %s is a provider's name */
      g_autofree char *description = g_strdup_printf (_("These are the settings for %s. The next step checks that they really work."),
                                                      SHOWN (pool, ms_provider_get_display_name (provider)));
      gtk_label_set_label (self->description_label, description);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->profiles_group), profiles->len > 1);

  for (guint i = 0; profiles->len > 1 && i < profiles->len; i++)
    add_profile_row (self, provider, g_ptr_array_index (profiles, i));

  g_set_object (&self->profile, selected);
  for (guint i = 0; i < self->checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->checks, i);

      if (g_object_get_data (G_OBJECT (check), "ms-profile") == (gpointer) selected)
        gtk_check_button_set_active (check, TRUE);
    }
  update_summary (self);
}

/**
 * ms_settings_page_set_found:
 * @provider: what a lookup found
 * @domain: the part of the address after the @
 * @source: where it was found, in words for people
 * @concerns: (nullable): why the person should look twice before the
 *   password goes to these servers
 *
 * Shows settings that a lookup found rather than Mail Setup's own list.
 */
void
ms_settings_page_set_found (MsSettingsPage *self,
                            MsProvider     *provider,
                            const char     *domain,
                            const char     *source,
                            const char     *concerns)
{
  g_autofree char *description = NULL;

  g_return_if_fail (MS_IS_SETTINGS_PAGE (self));
  g_return_if_fail (MS_IS_PROVIDER (provider));
  g_return_if_fail (source != NULL);

  ms_settings_page_set_provider (self, provider, NULL);

  gtk_label_set_label (self->title_label, _("Settings Found"));
  /* Translators: %s is the part of an email address after the @ */
  description = g_strdup_printf (_("Mail Setup found these settings for %s. The next step checks that they really work; if you know better, edit them."),
                                 domain);
  gtk_label_set_label (self->description_label, description);

  /* Both quote what a lookup found (host names from DNS, URLs). */
  self->source = ms_untrusted_text_sanitize (source, MS_UNTRUSTED_TEXT_MAX_PARAGRAPH_BYTES);
  self->concerns = ms_untrusted_text_sanitize (concerns, MS_UNTRUSTED_TEXT_MAX_PARAGRAPH_BYTES);
  update_summary (self);
}

/**
 * ms_settings_page_get_profile:
 *
 * Returns: (transfer none) (nullable): the chosen profile
 */
MsProfile *
ms_settings_page_get_profile (MsSettingsPage *self)
{
  g_return_val_if_fail (MS_IS_SETTINGS_PAGE (self), NULL);

  return self->profile;
}

GtkWidget *
ms_settings_page_get_default_widget (MsSettingsPage *self)
{
  g_return_val_if_fail (MS_IS_SETTINGS_PAGE (self), NULL);

  return GTK_WIDGET (self->continue_button);
}

void
ms_settings_page_focus (MsSettingsPage *self)
{
  g_return_if_fail (MS_IS_SETTINGS_PAGE (self));

  for (guint i = 0; i < self->checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->checks, i);

      if (gtk_check_button_get_active (check))
        {
          gtk_widget_grab_focus (GTK_WIDGET (check));
          return;
        }
    }

  gtk_widget_grab_focus (GTK_WIDGET (self->continue_button));
}

/* ---- MsWizardPage -------------------------------------------------- */

static GtkWidget *
wizard_page_get_default_widget (MsWizardPage *page)
{
  return ms_settings_page_get_default_widget (MS_SETTINGS_PAGE (page));
}

static void
wizard_page_focus (MsWizardPage *page)
{
  ms_settings_page_focus (MS_SETTINGS_PAGE (page));
}

static void
ms_settings_page_wizard_page_init (MsWizardPageInterface *iface)
{
  iface->get_default_widget = wizard_page_get_default_widget;
  iface->focus = wizard_page_focus;
}
