/* fuzz-reply.c: libFuzzer target for the IMAP, POP3 and SMTP reply parsers
 *
 * The input is what a hostile server could send: split into lines as the
 * connection does, fed to every reply grammar, then to the capability
 * parser and the diagnosis classifiers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ms-capabilities.h"
#include "ms-diagnosis.h"
#include "ms-reply.h"

#include "fuzz-common.h"

static void
feed_all (MsReplyKind    kind,
          MsProtocol     protocol,
          GStrv          lines)
{
  g_autoptr(MsReply) reply = ms_reply_new (kind, "a1");
  g_autoptr(GError) error = NULL;
  MsDiagnosisCode code;

  for (guint i = 0; lines[i] != NULL && !ms_reply_is_complete (reply); i++)
    {
      if (strlen (lines[i]) > MS_REPLY_MAX_LINE_LENGTH)
        return;
      if (!ms_reply_feed_line (reply, lines[i], &error))
        {
          g_assert_true (error->domain == MS_REPLY_ERROR);
          return;
        }
    }

  if (ms_reply_is_complete (reply))
    {
      g_autoptr(MsCapabilities) capabilities = ms_capabilities_new_from_reply (protocol, reply);
      g_autofree char *text = ms_reply_to_string (reply);

      g_assert_true (g_utf8_validate (text, -1, NULL));
      g_assert_nonnull (ms_capabilities_get_all (capabilities));
      (void) ms_capabilities_offers_starttls (capabilities);
      (void) ms_diagnosis_classify_reply (protocol, text, &code);
      (void) ms_diagnosis_classify_login_reply (protocol, text, &code);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *input = NULL;
  g_auto(GStrv) lines = NULL;

  fuzz_init ();

  /* The connection refuses NUL bytes before a line reaches the parser. */
  if (memchr (data, '\0', size) != NULL)
    return 0;

  input = g_strndup ((const char *) data, size);
  lines = g_strsplit (input, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      gsize len = strlen (lines[i]);

      if (len > 0 && lines[i][len - 1] == '\r')
        lines[i][len - 1] = '\0';
    }

  feed_all (MS_REPLY_KIND_SMTP, MS_PROTOCOL_SMTP, lines);
  feed_all (MS_REPLY_KIND_POP3, MS_PROTOCOL_POP3, lines);
  feed_all (MS_REPLY_KIND_POP3_MULTILINE, MS_PROTOCOL_POP3, lines);
  feed_all (MS_REPLY_KIND_IMAP_GREETING, MS_PROTOCOL_IMAP, lines);
  feed_all (MS_REPLY_KIND_IMAP_TAGGED, MS_PROTOCOL_IMAP, lines);

  return 0;
}
