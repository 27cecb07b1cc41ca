/* ms-testing-page.c: the wizard page that shows the servers being tested
 *
 * One row per server of the chosen settings, all tested at once, each
 * with its own live state; and the option, on by default, to send a test
 * message to oneself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ms-server-row.h"
#include "ms-testing-page.h"
#include "ms-untrusted-text.h"
#include "ms-wizard-page.h"

struct _MsTestingPage
{
  AdwBin               parent_instance;

  AdwPreferencesGroup *before_login_group;
  AdwActionRow        *hint_row;
  AdwActionRow        *status_row;
  GtkImage            *status_icon;
  GtkLinkButton       *app_password_button;
  AdwPreferencesGroup *servers_group;
  AdwPreferencesGroup *message_group;
  GtkSwitch           *message_switch;
  GtkButton           *start_button;
  GtkButton           *cancel_button;

  GPtrArray           *rows;          /* MsServerRow, the servers' */
  GtkWidget           *message_row;   /* MsServerRow, or NULL */
  gboolean             running;
};

static void ms_testing_page_wizard_page_init (MsWizardPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MsTestingPage, ms_testing_page, ADW_TYPE_BIN,
                               G_IMPLEMENT_INTERFACE (MS_TYPE_WIZARD_PAGE, ms_testing_page_wizard_page_init))

static void
clear_rows (MsTestingPage *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->servers_group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);

  if (self->message_row != NULL)
    adw_preferences_group_remove (self->servers_group, g_steal_pointer (&self->message_row));
}

static void
ms_testing_page_finalize (GObject *object)
{
  MsTestingPage *self = MS_TESTING_PAGE (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (ms_testing_page_parent_class)->finalize (object);
}

static void
ms_testing_page_class_init (MsTestingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ms_testing_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ms-testing-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MsTestingPage, before_login_group);
  gtk_widget_class_bind_template_child (widget_class, MsTestingPage, hint_row);
  gtk_widget_class_bind_template_child (widget_class, MsTestingPage, status_row);
  gtk_widget_class_bind_template_child (widget_class, MsTestingPage, status_icon);
  gtk_widget_class_bind_template_child (widget_class, MsTestingPage, app_password_button);
  gtk_widget_class_bind_template_child (widget_class, MsTestingPage, servers_group);
  gtk_widget_class_bind_template_child (widget_class, MsTestingPage, message_group);
  gtk_widget_class_bind_template_child (widget_class, MsTestingPage, message_switch);
  gtk_widget_class_bind_template_child (widget_class, MsTestingPage, start_button);
  gtk_widget_class_bind_template_child (widget_class, MsTestingPage, cancel_button);
}

static void
ms_testing_page_init (MsTestingPage *self)
{
  self->rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}

static void
add_rows (MsTestingPage *self,
          GPtrArray     *servers)
{
  for (guint i = 0; i < servers->len; i++)
    {
      GtkWidget *row = ms_server_row_new (g_ptr_array_index (servers, i));

      adw_preferences_group_add (self->servers_group, row);
      g_ptr_array_add (self->rows, row);
    }
}

/* Rows for the servers about to be tested, all waiting. */
void
ms_testing_page_prepare (MsTestingPage *self,
                         MsProfile     *profile,
                         const char    *address)
{
  g_return_if_fail (MS_IS_TESTING_PAGE (self));
  g_return_if_fail (MS_IS_PROFILE (profile));

  clear_rows (self);
  add_rows (self, ms_profile_get_incoming (profile));
  add_rows (self, ms_profile_get_outgoing (profile));

  self->message_row = ms_server_row_new_message (address);
  gtk_widget_set_visible (self->message_row, gtk_switch_get_active (self->message_switch));
  adw_preferences_group_add (self->servers_group, self->message_row);

  ms_testing_page_set_running (self, FALSE);
}

void
ms_testing_page_set_running (MsTestingPage *self,
                             gboolean       running)
{
  g_return_if_fail (MS_IS_TESTING_PAGE (self));

  self->running = running;
  gtk_widget_set_visible (GTK_WIDGET (self->start_button), !running);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->message_group), !running);

  if (self->message_row != NULL)
    gtk_widget_set_visible (self->message_row, gtk_switch_get_active (self->message_switch));

  for (guint i = 0; i < self->rows->len; i++)
    ms_server_row_set_state (g_ptr_array_index (self->rows, i),
                             running ? MS_SERVER_ROW_RUNNING : MS_SERVER_ROW_WAITING, NULL);
  if (self->message_row != NULL)
    ms_server_row_set_state (MS_SERVER_ROW (self->message_row),
                             running ? MS_SERVER_ROW_RUNNING : MS_SERVER_ROW_WAITING, NULL);

  if (running)
    gtk_widget_grab_focus (GTK_WIDGET (self->cancel_button));
}

gboolean
ms_testing_page_get_running (MsTestingPage *self)
{
  g_return_val_if_fail (MS_IS_TESTING_PAGE (self), FALSE);

  return self->running;
}

gboolean
ms_testing_page_get_send_test_message (MsTestingPage *self)
{
  g_return_val_if_fail (MS_IS_TESTING_PAGE (self), FALSE);

  return gtk_switch_get_active (self->message_switch);
}

void
ms_testing_page_server_finished (MsTestingPage *self,
                                 MsProbeResult *result)
{
  g_return_if_fail (MS_IS_TESTING_PAGE (self));
  g_return_if_fail (result != NULL);

  for (guint i = 0; i < self->rows->len; i++)
    {
      MsServerRow *row = g_ptr_array_index (self->rows, i);
      const MsServer *server = ms_server_row_get_server (row);

      if (server->protocol == result->server->protocol && server->port == result->server->port &&
          g_ascii_strcasecmp (server->hostname, result->server->hostname) == 0)
        ms_server_row_set_result (row, result);
    }
}

void
ms_testing_page_show_report (MsTestingPage   *self,
                             MsAccountReport *report)
{
  g_autoptr(JsonNode) json = NULL;
  JsonObject *message;

  g_return_if_fail (MS_IS_TESTING_PAGE (self));
  g_return_if_fail (MS_IS_ACCOUNT_REPORT (report));

  ms_testing_page_set_running (self, FALSE);

  /* The report knows what became of every server, also those whose
   * result came before the rows existed. */
  for (guint i = 0; i < ms_account_report_get_results (report)->len; i++)
    ms_testing_page_server_finished (self, g_ptr_array_index (ms_account_report_get_results (report), i));

  if (self->message_row == NULL || !gtk_switch_get_active (self->message_switch))
    return;

  json = ms_account_report_to_json (report);
  message = json_object_get_object_member (json_node_get_object (json), "test_message");
  if (message != NULL && json_object_get_boolean_member_with_default (message, "arrived", FALSE))
    {
      gint64 ms = json_object_get_int_member_with_default (message, "delivery_ms", 0);
      g_autofree char *detail = NULL;

      /* Translators: %.1f is a number of seconds */
      detail = g_strdup_printf (_("Arrived after %.1f seconds and was deleted"), ms / 1000.0);
      ms_server_row_set_state (MS_SERVER_ROW (self->message_row), MS_SERVER_ROW_OK, detail);
    }
  else if (message != NULL && json_object_get_boolean_member_with_default (message, "sent", FALSE))
    ms_server_row_set_state (MS_SERVER_ROW (self->message_row), MS_SERVER_ROW_PROBLEM,
                             _("Sent, but it did not arrive in time"));
  else
    ms_server_row_set_state (MS_SERVER_ROW (self->message_row), MS_SERVER_ROW_PROBLEM,
                             _("Could not be sent"));
}

GtkWidget *
ms_testing_page_get_default_widget (MsTestingPage *self)
{
  g_return_val_if_fail (MS_IS_TESTING_PAGE (self), NULL);

  return GTK_WIDGET (self->running ? self->cancel_button : self->start_button);
}

void
ms_testing_page_focus (MsTestingPage *self)
{
  g_return_if_fail (MS_IS_TESTING_PAGE (self));

  gtk_widget_grab_focus (ms_testing_page_get_default_widget (self));
}

/* ---- MsWizardPage -------------------------------------------------- */

static GtkWidget *
wizard_page_get_default_widget (MsWizardPage *page)
{
  return ms_testing_page_get_default_widget (MS_TESTING_PAGE (page));
}

static void
wizard_page_focus (MsWizardPage *page)
{
  ms_testing_page_focus (MS_TESTING_PAGE (page));
}

/* The test is started and cancelled here; nothing to continue with. */
static gboolean
wizard_page_get_valid (MsWizardPage *page)
{
  return FALSE;
}

static void
ms_testing_page_wizard_page_init (MsWizardPageInterface *iface)
{
  iface->get_default_widget = wizard_page_get_default_widget;
  iface->focus = wizard_page_focus;
  iface->get_valid = wizard_page_get_valid;
}

/**
 * ms_testing_page_set_provider:
 * @provider: (nullable): the provider whose servers are tested
 *
 * Shows what the provider file says to know before the first login
 * (issue 14): its hint, its app-password page, and its status when it
 * asks for attention, with the day it was last checked: a warning when
 * the settings are known to be broken, a note when the provider needs
 * something done first (turning IMAP on, an app password), which is
 * worth knowing before the login that would fail without it. Plain text:
 * the file is not trusted with markup.
 */
void
ms_testing_page_set_provider (MsTestingPage *self,
                              MsProvider    *provider)
{
  const char *hint = provider != NULL ? ms_provider_get_login_hint (provider) : NULL;
  const char *url = provider != NULL ? ms_provider_get_app_password_url (provider) : NULL;
  g_autofree char *warning = NULL;
  g_autofree char *shown_hint = NULL;
  gboolean broken = FALSE;

  g_return_if_fail (MS_IS_TESTING_PAGE (self));

  if (provider != NULL)
    {
      broken = ms_provider_get_status (provider) == MS_PROVIDER_STATUS_BROKEN;
      warning = ms_provider_describe_status (provider);
    }
  shown_hint = ms_untrusted_text_sanitize (hint, MS_UNTRUSTED_TEXT_MAX_PARAGRAPH_BYTES);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->hint_row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->hint_row), shown_hint != NULL ? shown_hint : "");
  gtk_widget_set_visible (GTK_WIDGET (self->hint_row), shown_hint != NULL);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->status_row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->status_row), warning != NULL ? warning : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_row), warning != NULL);
  gtk_image_set_from_icon_name (self->status_icon, broken ? "dialog-warning-symbolic"
                                                          : "dialog-information-symbolic");
  if (broken)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_row), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_row), "warning");

  if (url != NULL)
    gtk_link_button_set_uri (self->app_password_button, url);
  gtk_widget_set_visible (GTK_WIDGET (self->app_password_button), url != NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->before_login_group),
                          shown_hint != NULL || warning != NULL || url != NULL);
}

/* Signed in with the provider (OAuth), the test logs in with the token:
 * an app password is nothing to make before it. */
void
ms_testing_page_set_signed_in (MsTestingPage *self)
{
  g_return_if_fail (MS_IS_TESTING_PAGE (self));

  gtk_widget_set_visible (GTK_WIDGET (self->app_password_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->before_login_group),
                          gtk_widget_get_visible (GTK_WIDGET (self->hint_row)) ||
                          gtk_widget_get_visible (GTK_WIDGET (self->status_row)));
}
