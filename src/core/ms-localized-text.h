/* ms-localized-text.h: a text with language variants, as provider files give them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A text with language variants: a hash table from a language tag in
 * POSIX form ("es", "pt_BR") to the text, "" for the untagged text. The
 * table is created on first use. */
void        ms_localized_text_add    (GHashTable **table,
                                      const char  *lang,
                                      const char  *text);
const char *ms_localized_text_lookup (GHashTable  *table);

G_END_DECLS
