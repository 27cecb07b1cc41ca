/* ms-untrusted-text.h: the one sanitizer for text that came from outside
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What a surface shows of one untrusted string at most (bytes). */
#define MS_UNTRUSTED_TEXT_MAX_BYTES 512
/* … and of a paragraph (a provider's notice, a profile's description). */
#define MS_UNTRUSTED_TEXT_MAX_PARAGRAPH_BYTES 4096

gboolean ms_untrusted_text_is_hidden_character (gunichar    c);
char    *ms_untrusted_text_sanitize            (const char *text,
                                                gsize       max_bytes);
char    *ms_untrusted_text_sanitize_len        (const char *text,
                                                gssize      length,
                                                gsize       max_bytes);
char    *ms_untrusted_text_to_markup           (const char *text,
                                                gsize       max_bytes);
const char *ms_untrusted_text_pool_sanitize    (GPtrArray  *pool,
                                                const char *text,
                                                gsize       max_bytes);

G_END_DECLS
