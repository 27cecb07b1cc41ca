/* ms-server-row.c: one server being tested, with its live state
 *
 * "Receiving mail — mobile.charter.net, port 993": a spinner while the
 * test runs, then a check mark or a warning sign with a short detail.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ms-accessible.h"
#include "ms-server-row.h"
#include "ms-settings-page.h"

struct _MsServerRow
{
  AdwActionRow      parent_instance;

  GtkStack         *state_stack;
  GtkSpinner       *spinner;
  GtkImage         *state_image;
  MsServer         *server;
  char             *where;
  MsServerRowState  state;
};

G_DEFINE_FINAL_TYPE (MsServerRow, ms_server_row, ADW_TYPE_ACTION_ROW)

static void
ms_server_row_finalize (GObject *object)
{
  MsServerRow *self = MS_SERVER_ROW (object);

  g_clear_pointer (&self->server, ms_server_unref);
  g_clear_pointer (&self->where, g_free);

  G_OBJECT_CLASS (ms_server_row_parent_class)->finalize (object);
}

static void
ms_server_row_class_init (MsServerRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ms_server_row_finalize;
}

static void
ms_server_row_init (MsServerRow *self)
{
  self->state_stack = GTK_STACK (gtk_stack_new ());
  self->spinner = GTK_SPINNER (gtk_spinner_new ());
  self->state_image = GTK_IMAGE (gtk_image_new ());

  gtk_stack_add_named (self->state_stack, GTK_WIDGET (self->spinner), "spinner");
  gtk_stack_add_named (self->state_stack, GTK_WIDGET (self->state_image), "image");
  gtk_widget_set_valign (GTK_WIDGET (self->state_stack), GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), GTK_WIDGET (self->state_stack));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (self), 0);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);

  ms_server_row_set_state (self, MS_SERVER_ROW_WAITING, NULL);
}

GtkWidget *
ms_server_row_new (const MsServer *server)
{
  MsServerRow *self;
  const char *title;

  g_return_val_if_fail (server != NULL, NULL);

  self = g_object_new (MS_TYPE_SERVER_ROW, NULL);
  self->server = ms_server_copy (server);
  self->where = ms_server_describe (server);

  switch (server->protocol)
    {
    case MS_PROTOCOL_IMAP:
      title = _("Receiving mail (IMAP)");
      break;
    case MS_PROTOCOL_POP3:
      title = _("Receiving mail (POP3)");
      break;
    case MS_PROTOCOL_SMTP:
    default:
      title = _("Sending mail");
      break;
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  ms_server_row_set_state (self, MS_SERVER_ROW_WAITING, NULL);

  return GTK_WIDGET (self);
}

/* The end-to-end test: a message to oneself that must arrive. */
GtkWidget *
ms_server_row_new_message (const char *address)
{
  MsServerRow *self = g_object_new (MS_TYPE_SERVER_ROW, NULL);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), _("Test message"));
  /* Translators: %s is the person's own email address */
  self->where = g_strdup_printf (_("From %s to itself"), address);
  ms_server_row_set_state (self, MS_SERVER_ROW_WAITING, NULL);

  return GTK_WIDGET (self);
}

/**
 * ms_server_row_get_server:
 *
 * Returns: (nullable): the server, %NULL for the test message row
 */
const MsServer *
ms_server_row_get_server (MsServerRow *self)
{
  g_return_val_if_fail (MS_IS_SERVER_ROW (self), NULL);

  return self->server;
}

MsServerRowState
ms_server_row_get_state (MsServerRow *self)
{
  g_return_val_if_fail (MS_IS_SERVER_ROW (self), MS_SERVER_ROW_WAITING);

  return self->state;
}

void
ms_server_row_set_state (MsServerRow      *self,
                         MsServerRowState  state,
                         const char       *detail)
{
  g_autofree char *subtitle = NULL;
  const char *state_text = NULL;

  g_return_if_fail (MS_IS_SERVER_ROW (self));

  self->state = state;
  gtk_spinner_set_spinning (self->spinner, state == MS_SERVER_ROW_RUNNING);
  gtk_widget_remove_css_class (GTK_WIDGET (self->state_image), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->state_image), "warning");

  switch (state)
    {
    case MS_SERVER_ROW_WAITING:
      gtk_stack_set_visible_child_name (self->state_stack, "image");
      gtk_image_set_from_icon_name (self->state_image, "content-loading-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->state_image), "dim-label");
      state_text = _("Not tested yet");
      break;

    case MS_SERVER_ROW_RUNNING:
      gtk_stack_set_visible_child_name (self->state_stack, "spinner");
      state_text = _("Testing…");
      break;

    case MS_SERVER_ROW_OK:
      gtk_stack_set_visible_child_name (self->state_stack, "image");
      gtk_widget_remove_css_class (GTK_WIDGET (self->state_image), "dim-label");
      gtk_image_set_from_icon_name (self->state_image, "emblem-ok-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->state_image), "success");
      state_text = _("Works");
      break;

    case MS_SERVER_ROW_PROBLEM:
    default:
      gtk_stack_set_visible_child_name (self->state_stack, "image");
      gtk_widget_remove_css_class (GTK_WIDGET (self->state_image), "dim-label");
      gtk_image_set_from_icon_name (self->state_image, "dialog-warning-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->state_image), "warning");
      state_text = _("Problem");
      break;
    }

  if (detail != NULL)
    subtitle = g_strdup_printf ("%s\n%s", self->where, detail);
  else
    subtitle = g_strdup (self->where);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);

  /* The icon alone says nothing to a screen reader. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->state_stack),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, state_text,
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, state_text,
                                  -1);

  /* A verdict that comes by itself, while the person waits elsewhere. */
  if ((state == MS_SERVER_ROW_OK || state == MS_SERVER_ROW_PROBLEM) && gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      /* Translators: a server's verdict for a screen reader: “Sending mail: Did not work” */
      g_autofree char *news = g_strdup_printf (_("%s: %s"),
                                               adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self)),
                                               detail != NULL ? detail : state_text);

      ms_accessible_announce (GTK_WIDGET (self), news);
    }
}

void
ms_server_row_set_result (MsServerRow   *self,
                          MsProbeResult *result)
{
  g_return_if_fail (MS_IS_SERVER_ROW (self));
  g_return_if_fail (result != NULL);

  if (ms_probe_result_works (result))
    {
      const char *detail = result->certificate_pinned
        ? _("Connected securely with the certificate you trust")
        : _("Connected securely and signed in");

      if (result->login == MS_LOGIN_NOT_OFFERED)
        detail = _("Connected; this server needs no sign-in");
      ms_server_row_set_state (self, MS_SERVER_ROW_OK, detail);
    }
  else
    {
      const char *detail = _("Did not work");

      for (guint i = 0; i < result->diagnoses->len; i++)
        {
          MsDiagnosis *diagnosis = g_ptr_array_index (result->diagnoses, i);

          if (diagnosis->severity != MS_SEVERITY_INFO)
            {
              detail = diagnosis->title;
              break;
            }
        }
      ms_server_row_set_state (self, MS_SERVER_ROW_PROBLEM, detail);
    }
}
