/* ms-server.h: one mail server as a provider file describes it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  MS_PROTOCOL_IMAP,
  MS_PROTOCOL_POP3,
  MS_PROTOCOL_SMTP,
} MsProtocol;

/* How the connection is secured. MS_SECURITY_TLS is implicit TLS: the
 * handshake comes first (IMAPS, POP3S, SMTPS/submissions). */
typedef enum
{
  MS_SECURITY_NONE,      /*< nick=plain >*/
  MS_SECURITY_STARTTLS,  /*< nick=STARTTLS >*/
  MS_SECURITY_TLS,       /*< nick=SSL >*/
} MsSecurity;

/* The <authentication> values of the autoconfig format. */
typedef enum
{
  MS_AUTH_PASSWORD_CLEARTEXT,
  MS_AUTH_PASSWORD_ENCRYPTED,
  MS_AUTH_OAUTH2,             /*< nick=OAuth2 >*/
  MS_AUTH_GSSAPI,             /*< nick=GSSAPI >*/
  MS_AUTH_NTLM,               /*< nick=NTLM >*/
  MS_AUTH_NONE,
  MS_AUTH_CLIENT_IP_ADDRESS,  /*< nick=client-IP-address >*/
  MS_AUTH_SMTP_AFTER_POP,
} MsAuthMethod;

/* Stable names, as used in provider files, JSON and the command line: the
 * nicks of MS_TYPE_PROTOCOL, MS_TYPE_SECURITY and MS_TYPE_AUTH_METHOD
 * (ms-enum-types.h). The autoconfig format spells them as they are, capitals
 * included, so the nicks do too. */
const char *ms_protocol_to_string    (MsProtocol    protocol);
gboolean    ms_protocol_from_string  (const char   *string,
                                      MsProtocol   *protocol);
guint16     ms_protocol_default_port (MsProtocol    protocol,
                                      MsSecurity    security);
gboolean    ms_protocol_is_incoming  (MsProtocol    protocol);
const char *ms_security_to_string    (MsSecurity    security);
gboolean    ms_security_from_string  (const char   *string,
                                      MsSecurity   *security);
const char *ms_auth_method_to_string (MsAuthMethod  method);
gboolean    ms_auth_method_from_string (const char   *string,
                                        MsAuthMethod *method);

#define MS_TYPE_SERVER (ms_server_get_type ())

typedef struct _MsServer MsServer;

/**
 * MsServer:
 * @protocol: IMAP, POP3 or SMTP
 * @hostname: the server's host name, as given (not resolved)
 * @port: the TCP port
 * @security: the security the provider file claims; probes find out what
 *   the port really speaks
 * @username: a username template with %EMAILADDRESS%, %EMAILLOCALPART% and
 *   %EMAILDOMAIN% placeholders, or %NULL when the server needs no login
 * @auth: the authentication the provider file names first
 * @max_tls12: the provider file says the server fails when a handshake
 *   offers TLS 1.3 (`<maxTLS>1.2</maxTLS>`, FairEmail's `maxtls`)
 * @takes_oauth2: the provider file names OAuth2 among the server's
 *   authentications, also when @auth is a password (Gmail: OAuth2 and
 *   app passwords on the same servers)
 *
 * A plain, reference-counted record: copy before changing a shared one.
 */
struct _MsServer
{
  /*< private >*/
  gatomicrefcount ref_count;

  /*< public >*/
  MsProtocol      protocol;
  char           *hostname;
  guint16         port;
  MsSecurity      security;
  char           *username;
  MsAuthMethod    auth;
  gboolean        max_tls12;
  gboolean        takes_oauth2;
};

GType     ms_server_get_type          (void) G_GNUC_CONST;
MsServer *ms_server_new               (MsProtocol      protocol,
                                       const char     *hostname,
                                       guint16         port,
                                       MsSecurity      security);
MsServer *ms_server_copy              (const MsServer *self);
gboolean  ms_server_takes_oauth2      (const MsServer *self);
MsServer *ms_server_ref               (MsServer       *self);
void      ms_server_unref             (MsServer       *self);
gboolean  ms_server_equal             (const MsServer *a,
                                       const MsServer *b);
void      ms_server_set_username      (MsServer       *self,
                                       const char     *username);
void      ms_server_take_username     (MsServer       *self,
                                       char           *username);
char     *ms_server_expand_username   (const MsServer *self,
                                       const char     *address);
char     *ms_server_to_display_string (const MsServer *self);
JsonNode *ms_server_to_json           (const MsServer *server);
void      ms_server_add_json_endpoint (JsonBuilder    *builder,
                                       const MsServer *server);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsServer, ms_server_unref)

G_END_DECLS
