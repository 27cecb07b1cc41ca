/* ms-certificate-dialog.c: a server's certificate, and the choice to trust it
 *
 * Shows who the certificate is for, who issued it, its validity, its
 * fingerprint and what is wrong with it. Trusting it is possible but never
 * the default: Escape and Enter both leave it untrusted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ms-certificate-dialog.h"
#include "ms-untrusted-text.h"

struct _MsCertificateDialog
{
  AdwMessageDialog   parent_instance;

  MsCertificateInfo *info;
};

G_DEFINE_FINAL_TYPE (MsCertificateDialog, ms_certificate_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
ms_certificate_dialog_dispose (GObject *object)
{
  MsCertificateDialog *self = MS_CERTIFICATE_DIALOG (object);

  g_clear_object (&self->info);

  G_OBJECT_CLASS (ms_certificate_dialog_parent_class)->dispose (object);
}

static void
ms_certificate_dialog_class_init (MsCertificateDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ms_certificate_dialog_dispose;
}

static void
ms_certificate_dialog_init (MsCertificateDialog *self)
{
}

static char *
describe_problems (GTlsCertificateFlags errors)
{
  GString *text = g_string_new (NULL);

  if (errors & G_TLS_CERTIFICATE_UNKNOWN_CA)
    g_string_append_printf (text, "%s\n", _("It was not issued by an authority this computer trusts."));
  if (errors & G_TLS_CERTIFICATE_BAD_IDENTITY)
    g_string_append_printf (text, "%s\n", _("It is made out to a different server name."));
  if (errors & G_TLS_CERTIFICATE_EXPIRED)
    g_string_append_printf (text, "%s\n", _("It has expired."));
  if (errors & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    g_string_append_printf (text, "%s\n", _("It is not valid yet."));
  if (errors & G_TLS_CERTIFICATE_REVOKED)
    g_string_append_printf (text, "%s\n", _("It has been withdrawn by its issuer."));
  if (errors & G_TLS_CERTIFICATE_INSECURE)
    g_string_append_printf (text, "%s\n", _("It uses an outdated, insecure method."));
  if (text->len == 0)
    g_string_append_printf (text, "%s\n", _("It could not be checked."));

  g_string_truncate (text, text->len - 1);

  return g_string_free (text, FALSE);
}

static char *
format_date (GDateTime *date_time)
{
  g_autoptr(GDateTime) local = NULL;

  if (date_time == NULL)
    return g_strdup (_("unknown"));

  local = g_date_time_to_local (date_time);

  /* Translators: a date, see the strftime manual page */
  return g_date_time_format (local, _("%-d %B %Y"));
}

static void
add_field (GtkBox     *box,
           const char *title,
           const char *value)
{
  /* Plain text, and cleaned again here, line by line (the problems are a
   * list): a certificate says what its maker wrote
   * (ms-certificate-info.c cleans it first). */
  g_auto(GStrv) lines = g_strsplit (value != NULL ? value : "", "\n", 64);
  g_autoptr(GString) shown = g_string_new (NULL);
  GtkWidget *title_label = gtk_label_new (title);
  GtkWidget *value_label;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = ms_untrusted_text_sanitize (lines[i], MS_UNTRUSTED_TEXT_MAX_BYTES);

      if (line == NULL)
        continue;
      if (shown->len > 0)
        g_string_append_c (shown, '\n');
      g_string_append (shown, line);
    }
  value_label = gtk_label_new (shown->str);

  gtk_label_set_xalign (GTK_LABEL (title_label), 0);
  gtk_widget_add_css_class (title_label, "heading");
  gtk_label_set_xalign (GTK_LABEL (value_label), 0);
  gtk_label_set_wrap (GTK_LABEL (value_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (value_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (value_label), TRUE);
  gtk_widget_set_margin_bottom (value_label, 6);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (value_label),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, title_label, NULL,
                                  -1);

  gtk_box_append (box, title_label);
  gtk_box_append (box, value_label);
}

GtkWidget *
ms_certificate_dialog_new (GtkWindow         *parent,
                           MsCertificateInfo *info)
{
  MsCertificateDialog *self;
  GtkBox *box;
  const char *subject;
  const char *issuer;
  g_autofree char *body = NULL;
  g_autofree char *validity = NULL;
  g_autofree char *not_before = NULL;
  g_autofree char *not_after = NULL;
  g_autofree char *problems = NULL;
  g_autofree char *names = NULL;

  g_return_val_if_fail (MS_IS_CERTIFICATE_INFO (info), NULL);

  self = g_object_new (MS_TYPE_CERTIFICATE_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       "heading", _("Check the Server’s Certificate"),
                       NULL);
  self->info = g_object_ref (info);

  /* Translators: %s is a server name, %u its port */
  body = g_strdup_printf (_("The certificate of %s (port %u) could not be confirmed. Trust it only if your provider confirms that its fingerprint is right."),
                          ms_certificate_info_get_host (info), ms_certificate_info_get_port (info));
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);

  subject = ms_certificate_info_get_subject_name (info);
  issuer = ms_certificate_info_get_issuer_name (info);
  not_before = format_date (ms_certificate_info_get_not_before (info));
  not_after = format_date (ms_certificate_info_get_not_after (info));
  /* Translators: two dates */
  validity = g_strdup_printf (_("From %s until %s"), not_before, not_after);
  problems = describe_problems (ms_certificate_info_get_errors (info));
  if (ms_certificate_info_get_dns_names (info) != NULL)
    names = g_strjoinv (", ", (char **) ms_certificate_info_get_dns_names (info));

  box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 2));
  add_field (box, _("What is wrong"), problems);
  add_field (box, _("Made out to"), subject != NULL ? subject : ms_certificate_info_get_subject (info));
  if (names != NULL && names[0] != '\0')
    add_field (box, _("Server names"), names);
  add_field (box, _("Issued by"),
             ms_certificate_info_get_self_signed (info) ? _("Itself (self-signed)")
             : issuer != NULL ? issuer : ms_certificate_info_get_issuer (info));
  add_field (box, _("Valid"), validity);
  add_field (box, _("Fingerprint (SHA-256)"), ms_certificate_info_get_sha256 (info));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (self), GTK_WIDGET (box));

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (self),
                                    "cancel", _("_Don’t Trust"),
                                    MS_CERTIFICATE_DIALOG_RESPONSE_TRUST, _("_Trust This Certificate for This Server"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self),
                                              MS_CERTIFICATE_DIALOG_RESPONSE_TRUST,
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (self), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (self), "cancel");

  if (ms_certificate_info_get_errors (info) & (G_TLS_CERTIFICATE_REVOKED | G_TLS_CERTIFICATE_INSECURE))
    adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self),
                                             MS_CERTIFICATE_DIALOG_RESPONSE_TRUST, FALSE);

  return GTK_WIDGET (self);
}

MsCertificateInfo *
ms_certificate_dialog_get_info (MsCertificateDialog *self)
{
  g_return_val_if_fail (MS_IS_CERTIFICATE_DIALOG (self), NULL);

  return self->info;
}
