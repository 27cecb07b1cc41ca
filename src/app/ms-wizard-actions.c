/* ms-wizard-actions.c: what the wizard's buttons do besides moving on
 *
 * The fixes a diagnosis offers, the exports (and the QR code), and
 * copying the details for support: widget actions of MsWizard that
 * change the settings or make something, then hand back to the state
 * machine in ms-wizard.c (ms_wizard_test_again) or show a toast. Only
 * ms-wizard-private.h reaches into the wizard.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ms-certificate-dialog.h"
#include "ms-export-oauth.h"
#include "ms-export-page.h"
#include "ms-export-qr.h"
#include "ms-exporter.h"
#include "ms-result-page.h"
#include "ms-settings-page.h"
#include "ms-wizard-private.h"

/* ---- fixes --------------------------------------------------------- */

/* The profile being tested, with @change applied to each server. */
static MsProfile *
copy_profile (MsProfile *profile,
              void     (*change) (MsServer *server, gpointer data),
              gpointer   data)
{
  MsProfile *copy = ms_profile_new (ms_profile_get_id (profile));
  GPtrArray *lists[] = { ms_profile_get_incoming (profile), ms_profile_get_outgoing (profile),
                         ms_profile_get_alternates (profile) };

  ms_profile_add_name (copy, NULL, ms_profile_get_name (profile));
  if (ms_profile_get_description (profile) != NULL)
    ms_profile_add_description (copy, NULL, ms_profile_get_description (profile));
  if (ms_profile_get_restriction (profile) != NULL)
    ms_profile_add_restriction (copy, NULL, ms_profile_get_restriction (profile));
  ms_profile_set_recommended (copy, ms_profile_get_recommended (profile));

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; lists[l] != NULL && i < lists[l]->len; i++)
      {
        g_autoptr(MsServer) server = ms_server_copy (g_ptr_array_index (lists[l], i));

        if (l < 2)
          change (server, data);
        if (l == 0)
          ms_profile_add_incoming (copy, server);
        else if (l == 1)
          ms_profile_add_outgoing (copy, server);
        else
          ms_profile_add_alternate (copy, server);
      }

  return copy;
}

typedef struct
{
  const MsServer *target;
  const MsFix    *fix;
} PortChange;

static void
change_port (MsServer *server,
             gpointer  data)
{
  PortChange *change = data;

  if (change->target != NULL && !ms_server_equal (server, change->target))
    return;
  if (change->target == NULL && server->protocol != MS_PROTOCOL_SMTP)
    return;

  server->port = change->fix->port;
  server->security = change->fix->security;
}

static void
change_username (MsServer *server,
                 gpointer  data)
{
  const MsFix *fix = data;

  if (server->username == NULL)
    return;

  g_free (server->username);
  server->username = g_strdup (fix->username);
}

static MsProbeResult *
find_result (MsAccountReport *report,
             const char      *host,
             guint16          port)
{
  GPtrArray *results = ms_account_report_get_results (report);

  for (guint i = 0; i < results->len; i++)
    {
      MsProbeResult *result = g_ptr_array_index (results, i);

      if (result->server->port == port && g_ascii_strcasecmp (result->server->hostname, host) == 0 &&
          result->certificate != NULL)
        return result;
    }

  return NULL;
}

static void
certificate_response_cb (MsWizard            *self,
                         const char          *response,
                         MsCertificateDialog *dialog)
{
  MsCertificateInfo *info = ms_certificate_dialog_get_info (dialog);
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, MS_CERTIFICATE_DIALOG_RESPONSE_TRUST) != 0 || ms_wizard_get_step (self) != MS_WIZARD_STEP_RESULT)
    return;

  if (!ms_trust_store_trust (ms_wizard_get_trust_store (self), ms_certificate_info_get_host (info),
                             ms_certificate_info_get_port (info), info, &error))
    {
      ms_wizard_toast (self, error->message);
      return;
    }

  ms_wizard_test_again (self);
}

static void
show_certificate (MsWizard    *self,
                  const MsFix *fix)
{
  g_autoptr(MsCertificateInfo) info = NULL;
  MsProbeResult *result = find_result (ms_wizard_get_report (self), fix->host, fix->port);
  GtkWidget *dialog;

  if (result == NULL)
    return;

  info = ms_certificate_info_new (result->certificate, result->certificate_errors, fix->host, fix->port);
  dialog = ms_certificate_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), info);
  g_signal_connect_object (dialog, "response", G_CALLBACK (certificate_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
apply_fix_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  MsWizard *self = MS_WIZARD (widget);
  guint index = g_variant_get_uint32 (parameter);
  MsFix *fix = ms_result_page_get_fix (MS_RESULT_PAGE (ms_wizard_get_page (self, MS_WIZARD_STEP_RESULT)), index);
  MsDiagnosis *diagnosis = ms_result_page_get_fix_diagnosis (MS_RESULT_PAGE (ms_wizard_get_page (self, MS_WIZARD_STEP_RESULT)), index);
  g_autoptr(MsProfile) changed = NULL;
  MsProfile *profile;

  if (fix == NULL || ms_wizard_get_step (self) != MS_WIZARD_STEP_RESULT)
    return;

  switch (fix->kind)
    {
    case MS_FIX_USE_PROFILE:
      profile = ms_wizard_get_provider (self) != NULL ? ms_provider_get_profile (ms_wizard_get_provider (self), fix->profile_id) : NULL;
      if (profile == NULL)
        return;
      ms_settings_page_set_provider (MS_SETTINGS_PAGE (ms_wizard_get_page (self, MS_WIZARD_STEP_SETTINGS)), ms_wizard_get_provider (self), fix->profile_id);
      ms_wizard_set_profile (self, profile);
      break;

    case MS_FIX_USE_PORT:
      {
        PortChange change = { diagnosis != NULL ? diagnosis->server : NULL, fix };

        changed = copy_profile (ms_wizard_get_profile (self), change_port, &change);
        ms_wizard_set_profile (self, changed);
      }
      break;

    case MS_FIX_COMPLETE_USERNAME:
      changed = copy_profile (ms_wizard_get_profile (self), change_username, fix);
      ms_wizard_set_profile (self, changed);
      break;

    case MS_FIX_TRUST_CERTIFICATE:
      show_certificate (self, fix);
      return;

    case MS_FIX_RETRY:
    default:
      break;
    }

  ms_wizard_test_again (self);
}

/* ---- exports ------------------------------------------------------- */

typedef struct
{
  MsWizard         *self;
  const MsExporter *exporter;
} ExportData;

static void
open_path_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  g_autoptr(GFile) file = g_file_new_for_path (g_variant_get_string (parameter, NULL));
  g_autofree char *uri = g_file_get_uri (file);
  g_autoptr(GdkAppLaunchContext) context = gdk_display_get_app_launch_context (gtk_widget_get_display (widget));

  g_app_info_launch_default_for_uri_async (uri, G_APP_LAUNCH_CONTEXT (context), NULL, NULL, NULL);
}

static void
exported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  ExportData *data = user_data;
  g_autoptr(MsWizard) self = data->self;
  g_autoptr(MsExportResult) export = NULL;
  g_autoptr(GError) error = NULL;
  const MsExporter *exporter = data->exporter;
  AdwToast *toast;
  g_autofree char *title = NULL;

  g_free (data);
  export = ms_exporter_export_finish (result, &error);

  /* ms_wizard_cancel() cancelled it: the window is going, or gone. */
  if (!ms_wizard_export_ended (self))
    return;

  ms_export_page_set_busy (MS_EXPORT_PAGE (ms_wizard_get_page (self, MS_WIZARD_STEP_EXPORT)), ms_exporter_get_id (exporter), FALSE);

  /* A keyring prompt the person dismissed: nothing to say. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (export == NULL)
    {
      toast = ms_wizard_toast_new (error->message);
      adw_toast_set_timeout (toast, 0);
      ms_wizard_add_toast (self, toast);
      return;
    }

  if (ms_exporter_writes_file (exporter) && export->paths->len > 0)
    {
      g_autofree char *name = g_path_get_basename (g_ptr_array_index (export->paths, 0));

      /* Translators: %s is a file name */
      title = g_strdup_printf (_("Saved as %s"), name);
    }
  else
    /* Translators: %s is a program such as Thunderbird */
    title = g_strdup_printf (_("Added to %s"), ms_exporter_get_name (exporter));

  if (export->warnings->len > 0)
    {
      g_autofree char *with_warning = g_strdup_printf ("%s. %s", title,
                                                       (char *) g_ptr_array_index (export->warnings, 0));
      g_free (title);
      title = g_steal_pointer (&with_warning);
    }

  toast = ms_wizard_toast_new (title);
  adw_toast_set_timeout (toast, 10);
  if (export->paths->len > 0)
    {
      const char *path = g_ptr_array_index (export->paths, 0);
      g_autofree char *folder = g_path_get_dirname (path);

      if (ms_exporter_writes_file (exporter))
        {
          adw_toast_set_button_label (toast, _("_Open"));
          adw_toast_set_action_target_value (toast, g_variant_new_string (path));
        }
      else
        {
          adw_toast_set_button_label (toast, _("Open _Folder"));
          adw_toast_set_action_target_value (toast, g_variant_new_string (folder));
        }
      adw_toast_set_action_name (toast, "wizard.open-path");
    }
  ms_wizard_add_toast (self, toast);
}

static void ask_where_to_save (MsWizard         *self,
                               const MsExporter *exporter);

static void
qr_response_cb (AdwMessageDialog *dialog,
                const char       *response,
                MsWizard         *self)
{
  if (g_str_equal (response, "save"))
    ask_where_to_save (self, ms_exporter_find ("qr"));
}

static void
show_qr_code (MsWizard *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *payload = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *picture;
  /* export_activated() made them. */
  MsAccountSettings *settings = ms_wizard_ensure_account_settings (self, NULL);
  gboolean oauth = ms_export_oauth_uses (settings);

  /* The same rule as the QR export: OAuth only where the phone's
   * Thunderbird signs in by itself. */
  if (!ms_export_oauth_check (settings, MS_EXPORT_OAUTH_THUNDERBIRD_ANDROID, &error))
    {
      ms_wizard_toast (self, error->message);
      return;
    }
  payload = ms_export_qr_payload (settings, NULL);
  png = ms_export_qr_png (payload, 8, &error);
  if (png != NULL)
    texture = gdk_texture_new_from_bytes (png, &error);
  if (texture == NULL)
    {
      ms_wizard_toast (self, error->message);
      return;
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                       _("Scan With Your Phone"),
                                                       oauth ? _("In Thunderbird for Android, choose to import settings and scan this code. Then sign in with your provider on the phone.")
                                                             : _("In Thunderbird for Android, choose to import settings and scan this code. Then type your password on the phone.")));
  picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (texture));
  gtk_widget_set_size_request (picture, 240, 240);
  gtk_accessible_update_property (GTK_ACCESSIBLE (picture),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("QR code with your account settings"),
                                  -1);
  adw_message_dialog_set_extra_child (dialog, picture);
  adw_message_dialog_add_responses (dialog, "save", _("_Save Image…"), "close", _("_Close"), NULL);
  adw_message_dialog_set_default_response (dialog, "close");
  g_signal_connect_object (dialog, "response", G_CALLBACK (qr_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
start_export (MsWizard          *self,
              const MsExporter  *exporter,
              MsAccountSettings *account_settings,
              const char        *output_path)
{
  ExportData *data = g_new0 (ExportData, 1);

  data->self = g_object_ref (self);
  data->exporter = exporter;
  ms_export_page_set_busy (MS_EXPORT_PAGE (ms_wizard_get_page (self, MS_WIZARD_STEP_EXPORT)),
                           ms_exporter_get_id (exporter), TRUE);
  ms_wizard_export_started (self);
  ms_exporter_export_async (exporter, account_settings, ms_wizard_get_password (self), MS_EXPORT_FLAGS_NONE,
                            output_path, ms_wizard_get_lifetime (self), exported_cb, data);
}

static void
save_chosen_cb (GtkNativeDialog *chooser,
                int              response,
                gpointer         user_data)
{
  ExportData *data = user_data;
  g_autoptr(MsWizard) self = data->self;
  const MsExporter *exporter = data->exporter;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  MsAccountSettings *account_settings;

  g_free (data);
  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    path = g_file_get_path (file);
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);

  account_settings = ms_wizard_ensure_account_settings (self, NULL);
  if (path == NULL || account_settings == NULL || ms_wizard_get_step (self) != MS_WIZARD_STEP_EXPORT)
    return;

  start_export (self, exporter, account_settings, path);
}

static char *save_folder_for_testing;

void
ms_wizard_set_save_folder_for_testing (const char *folder)
{
  g_free (save_folder_for_testing);
  save_folder_for_testing = g_strdup (folder);
}

/* A file the person keeps goes where they say. In a Flatpak the native
 * chooser is the file chooser portal, whose answer (a document portal
 * path) the sandbox may write without any filesystem permission. */
static void
ask_where_to_save (MsWizard         *self,
                   const MsExporter *exporter)
{
  MsAccountSettings *account_settings = ms_wizard_ensure_account_settings (self, NULL);
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;
  ExportData *data;

  if (account_settings == NULL || exporter == NULL)
    return;

  name = g_strdup_printf ("%s.%s", account_settings->address, ms_exporter_get_document_extension (exporter));
  g_strdelimit (name, "/\\", '_');
  if (save_folder_for_testing != NULL)
    {
      g_autofree char *path = g_build_filename (save_folder_for_testing, name, NULL);

      start_export (self, exporter, account_settings, path);
      return;
    }

  chooser = gtk_file_chooser_native_new (_("Save Settings File"), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  if (documents != NULL && g_file_test (documents, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GFile) folder = g_file_new_for_path (documents);

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
    }

  data = g_new0 (ExportData, 1);
  data->self = g_object_ref (self);
  data->exporter = exporter;
  g_signal_connect (chooser, "response", G_CALLBACK (save_chosen_cb), data);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  MsWizard *self = MS_WIZARD (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  const MsExporter *exporter = ms_exporter_find (id);
  g_autoptr(GError) error = NULL;
  MsAccountSettings *account_settings;

  if (exporter == NULL || ms_wizard_get_step (self) != MS_WIZARD_STEP_EXPORT)
    return;

  account_settings = ms_wizard_ensure_account_settings (self, &error);
  if (account_settings == NULL)
    {
      ms_wizard_toast (self, error->message);
      return;
    }

  if (g_str_equal (id, "qr"))
    {
      show_qr_code (self);
      return;
    }

  if (ms_exporter_get_document_extension (exporter) != NULL)
    ask_where_to_save (self, exporter);
  else
    start_export (self, exporter, account_settings, NULL);
}

/* ---- copying the details ------------------------------------------ */

static void
copy_details_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  MsWizard *self = MS_WIZARD (widget);
  g_autofree char *text = NULL;

  if (ms_wizard_get_report (self) == NULL)
    return;

  /* The report never holds the password; the transcripts are masked. */
  text = ms_account_report_to_text (ms_wizard_get_report (self));
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  ms_wizard_toast (self, _("Details copied, without your password. Paste them into a message to support."));
}

void
ms_wizard_actions_install (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "wizard.apply-fix", "u", apply_fix_activated);
  gtk_widget_class_install_action (widget_class, "wizard.copy-details", NULL, copy_details_activated);
  gtk_widget_class_install_action (widget_class, "wizard.export", "s", export_activated);
  gtk_widget_class_install_action (widget_class, "wizard.open-path", "s", open_path_activated);
}
