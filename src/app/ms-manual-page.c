/* ms-manual-page.c: the wizard page for settings typed in by hand
 *
 * For people who know better than the provider list, or whose provider
 * is not in it: one server for receiving (IMAP or POP3) and one for
 * sending, each with port, security and username.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "ms-manual-page.h"
#include "ms-wizard-page.h"
#include "ms-validate.h"

/* The order of the security combo rows. */
static const MsSecurity securities[] = { MS_SECURITY_TLS, MS_SECURITY_STARTTLS, MS_SECURITY_NONE };

struct _MsManualPage
{
  AdwBin       parent_instance;

  AdwComboRow *incoming_protocol_row;
  AdwEntryRow *incoming_host_row;
  AdwEntryRow *incoming_port_row;
  AdwComboRow *incoming_security_row;
  AdwEntryRow *incoming_username_row;
  AdwEntryRow *outgoing_host_row;
  AdwEntryRow *outgoing_port_row;
  AdwComboRow *outgoing_security_row;
  AdwEntryRow *outgoing_username_row;
  GtkLabel    *problem_label;
  GtkButton   *continue_button;

  gboolean     valid;
};

static void ms_manual_page_wizard_page_init (MsWizardPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MsManualPage, ms_manual_page, ADW_TYPE_BIN,
                               G_IMPLEMENT_INTERFACE (MS_TYPE_WIZARD_PAGE, ms_manual_page_wizard_page_init))

enum {
  PROP_0,
  PROP_VALID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static guint
security_index (MsSecurity security)
{
  for (guint i = 0; i < G_N_ELEMENTS (securities); i++)
    if (securities[i] == security)
      return i;

  return 0;
}

static MsSecurity
selected_security (AdwComboRow *row)
{
  guint index = adw_combo_row_get_selected (row);

  return index < G_N_ELEMENTS (securities) ? securities[index] : MS_SECURITY_TLS;
}

static const char *
text_of (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static gboolean
parse_port (AdwEntryRow *row,
            guint16     *port)
{
  const char *text = text_of (row);
  char *end = NULL;
  gulong value;

  if (text[0] == '\0' || !g_ascii_isdigit (text[0]))
    return FALSE;

  value = strtoul (text, &end, 10);
  if (*end != '\0' || value == 0 || value > G_MAXUINT16)
    return FALSE;

  *port = (guint16) value;

  return TRUE;
}

/* What the host row holds, as it will be used: trimmed, IDNs in ASCII. */
static char *
host_of (AdwEntryRow *row)
{
  g_autofree char *host = g_strstrip (g_strdup (text_of (row)));
  char *ascii = g_hostname_to_ascii (host);

  return ascii != NULL ? ascii : g_steal_pointer (&host);
}

/* A typed value goes through the same validator as a provider file's
 * (ms-validate.h); its message, naming the field, is shown on the page. */
static char *
check_server (GtkWidget  **about_row,
              gboolean    *wrong,
              AdwEntryRow *host_row,
              AdwEntryRow *port_row,
              AdwEntryRow *username_row,
              gboolean     username_required,
              const char  *empty_host,
              const char  *bad_port,
              const char  *empty_username,
              const char  *host_source,
              const char  *username_source)
{
  g_autofree char *host = host_of (host_row);
  g_autofree char *username = g_strstrip (g_strdup (text_of (username_row)));
  g_autoptr(GError) error = NULL;
  guint16 port;

  /* A row left empty is asked for, not marked as wrong. */
  *about_row = GTK_WIDGET (host_row);
  *wrong = FALSE;
  if (host[0] == '\0')
    return g_strdup (empty_host);
  *wrong = TRUE;
  if (!ms_validate_hostname (host, MS_VALIDATE_FLAGS_NONE, host_source, &error))
    return g_strdup (error->message);
  *about_row = GTK_WIDGET (port_row);
  if (!parse_port (port_row, &port))
    return g_strdup (bad_port);
  *about_row = GTK_WIDGET (username_row);
  *wrong = FALSE;
  if (username[0] == '\0')
    return username_required ? g_strdup (empty_username) : NULL;
  *wrong = TRUE;
  if (!ms_validate_username (username, MS_VALIDATE_FLAGS_NONE, username_source, &error))
    return g_strdup (error->message);

  return NULL;
}

static void
changed_cb (MsManualPage *self)
{
  g_autofree char *problem = NULL;
  GtkWidget *about_row = NULL;
  gboolean wrong = FALSE;
  GtkWidget *rows[] = {
    GTK_WIDGET (self->incoming_host_row), GTK_WIDGET (self->incoming_port_row),
    GTK_WIDGET (self->incoming_username_row), GTK_WIDGET (self->outgoing_host_row),
    GTK_WIDGET (self->outgoing_port_row), GTK_WIDGET (self->outgoing_username_row), NULL
  };

  problem = check_server (&about_row, &wrong, self->incoming_host_row, self->incoming_port_row, self->incoming_username_row,
                          TRUE,
                          _("Enter the server for receiving mail, such as imap.example.com."),
                          _("The port for receiving mail must be a number from 1 to 65535."),
                          _("Enter the username for receiving mail; usually it is your email address."),
                          _("Server for receiving mail"), _("Username for receiving mail"));
  if (problem == NULL)
    problem = check_server (&about_row, &wrong, self->outgoing_host_row, self->outgoing_port_row, self->outgoing_username_row,
                            FALSE,
                            _("Enter the server for sending mail, such as smtp.example.com."),
                            _("The port for sending mail must be a number from 1 to 65535."),
                            NULL,
                            _("Server for sending mail"), _("Username for sending mail"));

  /* The line keeps its error style even for a row still empty. */
  ms_wizard_page_show_problem (self->problem_label, problem,
                               wrong ? MS_WIZARD_PROBLEM_ERROR : MS_WIZARD_PROBLEM_LABEL_ERROR,
                               about_row, rows);
  ms_wizard_page_update_valid (G_OBJECT (self), &self->valid, problem == NULL);
}

static void
ms_manual_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  MsManualPage *self = MS_MANUAL_PAGE (object);

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
ms_manual_page_class_init (MsManualPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = ms_manual_page_get_property;

  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ms-manual-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MsManualPage, incoming_protocol_row);
  gtk_widget_class_bind_template_child (widget_class, MsManualPage, incoming_host_row);
  gtk_widget_class_bind_template_child (widget_class, MsManualPage, incoming_port_row);
  gtk_widget_class_bind_template_child (widget_class, MsManualPage, incoming_security_row);
  gtk_widget_class_bind_template_child (widget_class, MsManualPage, incoming_username_row);
  gtk_widget_class_bind_template_child (widget_class, MsManualPage, outgoing_host_row);
  gtk_widget_class_bind_template_child (widget_class, MsManualPage, outgoing_port_row);
  gtk_widget_class_bind_template_child (widget_class, MsManualPage, outgoing_security_row);
  gtk_widget_class_bind_template_child (widget_class, MsManualPage, outgoing_username_row);
  gtk_widget_class_bind_template_child (widget_class, MsManualPage, problem_label);
  gtk_widget_class_bind_template_child (widget_class, MsManualPage, continue_button);
  gtk_widget_class_bind_template_callback (widget_class, changed_cb);
}

static void
ms_manual_page_init (MsManualPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  changed_cb (self);
}

static void
fill_server (AdwEntryRow    *host_row,
             AdwEntryRow    *port_row,
             AdwComboRow    *security_row,
             AdwEntryRow    *username_row,
             const MsServer *server,
             const char     *address)
{
  g_autofree char *port = g_strdup_printf ("%u", server->port);
  g_autofree char *username = ms_server_expand_username (server, address);

  gtk_editable_set_text (GTK_EDITABLE (host_row), server->hostname);
  gtk_editable_set_text (GTK_EDITABLE (port_row), port);
  adw_combo_row_set_selected (security_row, security_index (server->security));
  gtk_editable_set_text (GTK_EDITABLE (username_row), username != NULL ? username : "");
}

/**
 * ms_manual_page_fill:
 * @profile: (nullable): the settings to start from
 * @address: the email address, the usual username
 */
void
ms_manual_page_fill (MsManualPage *self,
                     MsProfile    *profile,
                     const char   *address)
{
  GPtrArray *incoming = profile != NULL ? ms_profile_get_incoming (profile) : NULL;
  GPtrArray *outgoing = profile != NULL ? ms_profile_get_outgoing (profile) : NULL;

  g_return_if_fail (MS_IS_MANUAL_PAGE (self));

  if (incoming != NULL && incoming->len > 0)
    {
      const MsServer *server = g_ptr_array_index (incoming, 0);

      adw_combo_row_set_selected (self->incoming_protocol_row,
                                  server->protocol == MS_PROTOCOL_POP3 ? 1 : 0);
      fill_server (self->incoming_host_row, self->incoming_port_row, self->incoming_security_row,
                   self->incoming_username_row, server, address);
    }
  else
    {
      gtk_editable_set_text (GTK_EDITABLE (self->incoming_port_row), "993");
      gtk_editable_set_text (GTK_EDITABLE (self->incoming_username_row), address);
    }

  if (outgoing != NULL && outgoing->len > 0)
    fill_server (self->outgoing_host_row, self->outgoing_port_row, self->outgoing_security_row,
                 self->outgoing_username_row, g_ptr_array_index (outgoing, 0), address);
  else
    {
      gtk_editable_set_text (GTK_EDITABLE (self->outgoing_port_row), "465");
      gtk_editable_set_text (GTK_EDITABLE (self->outgoing_username_row), address);
    }

  changed_cb (self);
}

gboolean
ms_manual_page_get_valid (MsManualPage *self)
{
  g_return_val_if_fail (MS_IS_MANUAL_PAGE (self), FALSE);

  return self->valid;
}

static MsServer *
build_server (MsProtocol   protocol,
              AdwEntryRow *host_row,
              AdwEntryRow *port_row,
              AdwComboRow *security_row,
              AdwEntryRow *username_row)
{
  g_autofree char *host = host_of (host_row);
  g_autofree char *username = g_strstrip (g_strdup (text_of (username_row)));
  guint16 port = 0;
  MsServer *server;

  parse_port (port_row, &port);
  server = ms_server_new (protocol, host, port, selected_security (security_row));
  server->auth = MS_AUTH_PASSWORD_CLEARTEXT;
  if (username[0] != '\0')
    ms_server_take_username (server, g_steal_pointer (&username));

  return server;
}

/**
 * ms_manual_page_build_profile:
 *
 * Returns: (transfer full) (nullable): a profile of the typed settings,
 *   or %NULL while they are incomplete
 */
MsProfile *
ms_manual_page_build_profile (MsManualPage *self)
{
  g_autoptr(MsServer) incoming = NULL;
  g_autoptr(MsServer) outgoing = NULL;
  MsProfile *profile;
  MsProtocol protocol;

  g_return_val_if_fail (MS_IS_MANUAL_PAGE (self), NULL);

  if (!self->valid)
    return NULL;

  protocol = adw_combo_row_get_selected (self->incoming_protocol_row) == 1 ? MS_PROTOCOL_POP3 : MS_PROTOCOL_IMAP;
  incoming = build_server (protocol, self->incoming_host_row, self->incoming_port_row,
                           self->incoming_security_row, self->incoming_username_row);
  outgoing = build_server (MS_PROTOCOL_SMTP, self->outgoing_host_row, self->outgoing_port_row,
                           self->outgoing_security_row, self->outgoing_username_row);

  profile = ms_profile_new ("manual");
  ms_profile_add_name (profile, NULL, _("Your own settings"));
  ms_profile_add_incoming (profile, incoming);
  ms_profile_add_outgoing (profile, outgoing);

  return profile;
}

GtkWidget *
ms_manual_page_get_default_widget (MsManualPage *self)
{
  g_return_val_if_fail (MS_IS_MANUAL_PAGE (self), NULL);

  return GTK_WIDGET (self->continue_button);
}

void
ms_manual_page_focus (MsManualPage *self)
{
  g_return_if_fail (MS_IS_MANUAL_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->incoming_host_row));
}

/* ---- MsWizardPage -------------------------------------------------- */

static GtkWidget *
wizard_page_get_default_widget (MsWizardPage *page)
{
  return ms_manual_page_get_default_widget (MS_MANUAL_PAGE (page));
}

static void
wizard_page_focus (MsWizardPage *page)
{
  ms_manual_page_focus (MS_MANUAL_PAGE (page));
}

static gboolean
wizard_page_get_valid (MsWizardPage *page)
{
  return ms_manual_page_get_valid (MS_MANUAL_PAGE (page));
}

static void
ms_manual_page_wizard_page_init (MsWizardPageInterface *iface)
{
  iface->get_default_widget = wizard_page_get_default_widget;
  iface->focus = wizard_page_focus;
  iface->get_valid = wizard_page_get_valid;
}
