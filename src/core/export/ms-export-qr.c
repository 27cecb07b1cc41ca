/* ms-export-qr.c: the account as a QR code Thunderbird for Android imports
 *
 * The payload is Thunderbird's "Export for Mobile" format, version 1: a
 * JSON array [1, [1, 1], INCOMING, [[OUTGOING, [ADDRESS, NAME]]]]. The
 * wizard draws ms_export_qr_matrix() itself (or turns the PNG bytes into a
 * texture); the core stays free of GTK.
 *
 * A server that signs in with OAuth gets auth 6 (OAuth2): Thunderbird for
 * Android signs in itself, for the hosts it knows; for others the export
 * refuses (ms-export-oauth.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <cairo.h>
#include <errno.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <qrencode.h>
#include <string.h>

#include "ms-export-oauth.h"
#include "ms-export-qr.h"
#include "ms-export-security.h"
#include "ms-exporter-private.h"

/* Modules of white border the QR specification asks for. */
#define QUIET_ZONE 4

static int
auth_code (const MsServer *server)
{
  if (server->username == NULL)
    return 0;

  switch (server->auth)
    {
    case MS_AUTH_PASSWORD_ENCRYPTED:
      return 2;
    case MS_AUTH_GSSAPI:
      return 3;
    case MS_AUTH_NTLM:
      return 4;
    case MS_AUTH_OAUTH2:
      return 6;
    case MS_AUTH_NONE:
    case MS_AUTH_CLIENT_IP_ADDRESS:
    case MS_AUTH_SMTP_AFTER_POP:
      return 0;
    case MS_AUTH_PASSWORD_CLEARTEXT:
    default:
      return 1;
    }
}

static void
add_server (JsonBuilder    *builder,
            int             protocol,
            const MsServer *server)
{
  json_builder_add_int_value (builder, protocol);
  json_builder_add_string_value (builder, server->hostname);
  json_builder_add_int_value (builder, server->port);
  json_builder_add_int_value (builder, ms_export_security_number (MS_EXPORT_SECURITY_QR, server->security));
  json_builder_add_int_value (builder, auth_code (server));
  json_builder_add_string_value (builder, server->username != NULL ? server->username : "");
}

/**
 * ms_export_qr_payload:
 * @password: (nullable): put into the code only when given
 *
 * Returns: (transfer full): the JSON text the code carries
 */
char *
ms_export_qr_payload (MsAccountSettings *settings,
                      MsSecret          *password)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (settings != NULL, NULL);

  json_builder_begin_array (builder);
  json_builder_add_int_value (builder, 1);
  json_builder_begin_array (builder);
  json_builder_add_int_value (builder, 1);
  json_builder_add_int_value (builder, 1);
  json_builder_end_array (builder);

  json_builder_begin_array (builder);
  add_server (builder, settings->incoming->protocol == MS_PROTOCOL_POP3 ? 1 : 0, settings->incoming);
  if (password != NULL)
    {
      json_builder_add_string_value (builder, settings->address);
      json_builder_add_string_value (builder, ms_secret_get_text (password));
    }
  json_builder_end_array (builder);

  json_builder_begin_array (builder);
  json_builder_begin_array (builder);
  json_builder_begin_array (builder);
  add_server (builder, 0, settings->outgoing);
  if (password != NULL)
    json_builder_add_string_value (builder, ms_secret_get_text (password));
  json_builder_end_array (builder);
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, settings->address);
  json_builder_add_string_value (builder, ms_account_settings_get_name (settings));
  json_builder_end_array (builder);
  json_builder_end_array (builder);
  json_builder_end_array (builder);
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

/**
 * ms_export_qr_matrix:
 * @width: (out): modules per side, without a quiet zone
 *
 * Returns: (transfer full): @width × @width bytes, row by row, 1 for a dark
 *   module and 0 for a light one
 */
GBytes *
ms_export_qr_matrix (const char  *payload,
                     guint       *width,
                     GError     **error)
{
  QRcode *code;
  guint8 *modules;
  gsize size;

  g_return_val_if_fail (payload != NULL, NULL);
  g_return_val_if_fail (width != NULL, NULL);

  /* Level L, as Thunderbird writes them: the payload is long and phones
   * read screens and paper well. */
  code = QRcode_encodeString8bit (payload, 0, QR_ECLEVEL_L);
  if (code == NULL)
    {
      g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_FAILED,
                   _("The settings do not fit into a QR code: %s"), g_strerror (errno));
      return NULL;
    }

  size = (gsize) code->width * code->width;
  modules = g_malloc (size);
  for (gsize i = 0; i < size; i++)
    modules[i] = code->data[i] & 1;
  *width = code->width;
  QRcode_free (code);

  return g_bytes_new_take (modules, size);
}

static cairo_status_t
write_png_cb (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  g_byte_array_append (closure, data, length);

  return CAIRO_STATUS_SUCCESS;
}

/**
 * ms_export_qr_png:
 * @module_size: pixels per module (8 prints and scans well)
 *
 * Returns: (transfer full): a black-on-white PNG with a quiet zone
 */
GBytes *
ms_export_qr_png (const char  *payload,
                  guint        module_size,
                  GError     **error)
{
  g_autoptr(GBytes) matrix = NULL;
  g_autoptr(GByteArray) png = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  const guint8 *modules;
  guint width = 0;
  int side;

  g_return_val_if_fail (payload != NULL, NULL);
  g_return_val_if_fail (module_size > 0 && module_size <= 64, NULL);

  matrix = ms_export_qr_matrix (payload, &width, error);
  if (matrix == NULL)
    return NULL;
  modules = g_bytes_get_data (matrix, NULL);

  side = (width + 2 * QUIET_ZONE) * module_size;
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, side, side);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (guint y = 0; y < width; y++)
    for (guint x = 0; x < width; x++)
      if (modules[y * width + x])
        cairo_rectangle (cr, (x + QUIET_ZONE) * module_size, (y + QUIET_ZONE) * module_size,
                         module_size, module_size);
  cairo_fill (cr);
  cairo_destroy (cr);

  png = g_byte_array_new ();
  status = cairo_surface_write_to_png_stream (surface, write_png_cb, png);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, MS_EXPORT_ERROR, MS_EXPORT_ERROR_FAILED,
                   _("Could not draw the QR code: %s"), cairo_status_to_string (status));
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}

static gboolean
export_qr (MsExportContext  *context,
           GError          **error)
{
  gboolean with_password = ms_export_include_password (context);
  g_autofree char *payload = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autofree char *path = NULL;
  gsize length;
  const char *data;

  if (!ms_export_oauth_check (context->settings, MS_EXPORT_OAUTH_THUNDERBIRD_ANDROID, error))
    return FALSE;
  payload = ms_export_qr_payload (context->settings, with_password ? context->password : NULL);
  png = ms_export_qr_png (payload, 8, error);
  explicit_bzero (payload, strlen (payload));
  if (png == NULL)
    return FALSE;

  path = ms_export_target_path (context, MS_EXPORT_TARGET_DOCUMENT, "png", NULL);

  data = g_bytes_get_data (png, &length);

  return ms_export_write_file (context, path, data, length, with_password, error);
}

const MsExporter ms_export_qr = {
  "qr", N_("Android (QR code for Thunderbird)"), TRUE, export_qr, "png",
};
