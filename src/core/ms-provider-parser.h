/* ms-provider-parser.h: reads a provider file (autoconfig clientConfig v1.1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ms-provider.h"

G_BEGIN_DECLS

#define MS_PROVIDER_PARSER_ERROR (ms_provider_parser_error_quark ())

/**
 * MsProviderParserError:
 * @MS_PROVIDER_PARSER_ERROR_TOO_LARGE: the file is larger than
 *   %MS_PROVIDER_FILE_MAX_SIZE
 * @MS_PROVIDER_PARSER_ERROR_MALFORMED: not well-formed XML (or not text)
 * @MS_PROVIDER_PARSER_ERROR_INVALID: XML, but not a provider file: wrong
 *   root element, misplaced or repeated elements, undeclared prefixes
 * @MS_PROVIDER_PARSER_ERROR_MISSING: a required element or attribute is
 *   missing (an emailProvider id, a domain, a server's hostname …)
 * @MS_PROVIDER_PARSER_ERROR_BAD_VALUE: a value is wrong: a port outside
 *   1–65535, an unknown socketType, a domain that is not a host name …
 * @MS_PROVIDER_PARSER_ERROR_LIMIT: nesting too deep, or too many domains,
 *   servers, profiles or elements, or a text too long
 *
 * Every message starts with "SOURCE:LINE: ", SOURCE being the file's path
 * or URI, so it can be shown to whoever maintains the file.
 */
typedef enum
{
  MS_PROVIDER_PARSER_ERROR_TOO_LARGE,
  MS_PROVIDER_PARSER_ERROR_MALFORMED,
  MS_PROVIDER_PARSER_ERROR_INVALID,
  MS_PROVIDER_PARSER_ERROR_MISSING,
  MS_PROVIDER_PARSER_ERROR_BAD_VALUE,
  MS_PROVIDER_PARSER_ERROR_LIMIT,
} MsProviderParserError;

/* The XML namespace of Mail Setup's extension elements. */
#define MS_PROVIDER_NAMESPACE "https://mailsetup.github.io/ns/profiles/1"

#define MS_PROVIDER_FILE_MAX_SIZE (1024 * 1024)

GQuark      ms_provider_parser_error_quark (void);

MsProvider *ms_provider_parse_data         (const char    *data,
                                            gsize          length,
                                            const char    *source,
                                            GError       **error);
MsProvider *ms_provider_parse_file         (GFile         *file,
                                            GCancellable  *cancellable,
                                            GError       **error);

G_END_DECLS
