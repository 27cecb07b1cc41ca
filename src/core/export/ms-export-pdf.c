/* ms-export-pdf.c: a printable settings sheet (cairo PDF)
 *
 * For people setting up Outlook, a phone or anything else by hand, or
 * keeping a paper copy: servers, ports, security and username in large
 * type, the provider's support number, and never the password.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <glib/gi18n.h>

#include "ms-export-pdf.h"
#include "ms-export-security.h"
#include "ms-exporter-private.h"

/* A4 in points; US Letter printers scale it down a little. */
#define PAGE_WIDTH  595.0
#define PAGE_HEIGHT 842.0
#define MARGIN      56.0
#define FONT        "Cantarell"

typedef struct
{
  cairo_t *cr;
  double   y;
} Sheet;

static void
line (Sheet      *sheet,
      double      size,
      gboolean    bold,
      const char *text)
{
  cairo_select_font_face (sheet->cr, FONT, CAIRO_FONT_SLANT_NORMAL,
                          bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (sheet->cr, size);
  sheet->y += size * 1.35;
  cairo_move_to (sheet->cr, MARGIN, sheet->y);
  cairo_show_text (sheet->cr, text);
}

static void
field (Sheet      *sheet,
       const char *label,
       const char *value)
{
  cairo_select_font_face (sheet->cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (sheet->cr, 15);
  sheet->y += 15 * 1.5;
  cairo_move_to (sheet->cr, MARGIN + 12, sheet->y);
  cairo_show_text (sheet->cr, label);
  cairo_select_font_face (sheet->cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (sheet->cr, 17);
  cairo_move_to (sheet->cr, MARGIN + 190, sheet->y);
  cairo_show_text (sheet->cr, value);
}

static void
server_section (Sheet          *sheet,
                const char     *title,
                const MsServer *server)
{
  g_autofree char *port = g_strdup_printf ("%u", server->port);
  g_autofree char *protocol = g_ascii_strup (ms_protocol_to_string (server->protocol), -1);
  g_autofree char *heading = g_strdup_printf ("%s (%s)", title, protocol);

  sheet->y += 18;
  line (sheet, 20, TRUE, heading);
  field (sheet, _("Server"), server->hostname);
  field (sheet, _("Port"), port);
  field (sheet, _("Security"), _(ms_export_security_word (MS_EXPORT_SECURITY_PDF, server->security)));
  field (sheet, _("Username"), server->username != NULL ? server->username : _("(none)"));
  /* An OAuth server takes no password: the mail program opens the
   * provider's own sign-in page. */
  if (server->auth == MS_AUTH_OAUTH2)
    field (sheet, _("Sign-in"), _("on the provider’s own sign-in page (OAuth), not with a password"));
  else
    field (sheet, _("Password"), server->username != NULL ? _("your email password") : _("(none)"));
}

static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  g_byte_array_append (closure, data, length);

  return CAIRO_STATUS_SUCCESS;
}

/**
 * ms_export_pdf_render:
 *
 * Returns: (transfer full): a one-page PDF; it never holds the password
 */
GBytes *
ms_export_pdf_render (MsAccountSettings  *settings,
                      GError            **error)
{
  g_autoptr(GByteArray) pdf = g_byte_array_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%x");
  g_autofree char *title = NULL;
  g_autofree char *made = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  Sheet sheet = { NULL, MARGIN };

  g_return_val_if_fail (settings != NULL, NULL);

  surface = cairo_pdf_surface_create_for_stream (write_cb, pdf, PAGE_WIDTH, PAGE_HEIGHT);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Mail Setup");
  sheet.cr = cairo_create (surface);
  cairo_set_source_rgb (sheet.cr, 0, 0, 0);

  line (&sheet, 26, TRUE, _("Email settings"));
  line (&sheet, 22, FALSE, settings->address);
  if (settings->provider_name != NULL)
    {
      sheet.y += 6;
      /* TRANSLATORS: %s is the provider's name */
      title = g_strdup_printf (_("Provider: %s"), settings->provider_name);
      line (&sheet, 17, FALSE, title);
    }

  server_section (&sheet, _("Incoming mail"), settings->incoming);
  server_section (&sheet, _("Outgoing mail"), settings->outgoing);

  sheet.y += 24;
  line (&sheet, 15, FALSE, _("Keep your password somewhere safe: it is not printed here."));
  if (settings->support_phone != NULL)
    {
      g_autofree char *help = NULL;

      sheet.y += 12;
      line (&sheet, 20, TRUE, _("If something does not work"));
      /* TRANSLATORS: the first %s is the provider, the second its phone number */
      help = g_strdup_printf (_("Call %s: %s"),
                              settings->provider_name != NULL ? settings->provider_name : _("your provider"),
                              settings->support_phone);
      line (&sheet, 18, FALSE, help);
    }

  /* TRANSLATORS: %s is a date */
  made = g_strdup_printf (_("Tested and written by Mail Setup on %s"), date);
  sheet.y = PAGE_HEIGHT - MARGIN;
  line (&sheet, 11, FALSE, made);

  cairo_show_page (sheet.cr);
  status = cairo_status (sheet.cr);
  cairo_destroy (sheet.cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_FAILED,
                   _("Could not make the settings sheet: %s"), cairo_status_to_string (status));
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&pdf));
}

static gboolean
export_pdf (MsExportContext  *context,
            GError          **error)
{
  g_autoptr(GBytes) pdf = ms_export_pdf_render (context->settings, error);
  g_autofree char *path = NULL;
  const char *data;
  gsize length;

  if (pdf == NULL)
    return FALSE;

  path = ms_export_target_path (context, MS_EXPORT_TARGET_DOCUMENT, "pdf", NULL);

  data = g_bytes_get_data (pdf, &length);

  return ms_export_write_file (context, path, data, length, FALSE, error);
}

const MsExporter ms_export_pdf = {
  "pdf", N_("Printable settings sheet (PDF)"), TRUE, export_pdf, "pdf",
};
