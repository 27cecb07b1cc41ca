/* ms-fix.h: one thing to do about a diagnosis, automatic or by hand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "ms-server.h"

G_BEGIN_DECLS

/* A fix is automatic when the program can apply it (the UI shows a button),
 * or a step the person must take. Kinds have stable strings too: the nicks
 * of MS_TYPE_FIX_KIND (ms-enum-types.h), which the comments repeat.
 *
 * JSON (ms_fix_to_json): every fix has "kind", "automatic" (boolean) and
 * "label" (translated); the kinds with parameters add exactly these:
 *   use-profile        "profile": the profile id ("mobile")
 *   use-port           "port": number, "security": "plain" | "STARTTLS" | "SSL"
 *   complete-username  "username": the username to use
 *   trust-certificate  "host", "port", "fingerprint" (SHA-256, "AB:CD:...")
 * The automatic kinds are use-profile, use-port, complete-username,
 * trust-certificate and retry. ms_diagnosis_new() adds only fixes without
 * parameters; the caller adds the others (ms_fix_new_use_port() and
 * friends), and ms_diagnosis_add_fix() puts those first. */
typedef enum
{
  MS_FIX_USE_PROFILE,          /* "use-profile", automatic: profile_id */
  MS_FIX_USE_PORT,             /* "use-port", automatic: port, security */
  MS_FIX_COMPLETE_USERNAME,    /* "complete-username", automatic: username */
  MS_FIX_TRUST_CERTIFICATE,    /* "trust-certificate", automatic: host, port, fingerprint */
  MS_FIX_RETRY,                /* "retry", automatic */
  MS_FIX_CHECK_NETWORK,        /* "check-network" */
  MS_FIX_CHECK_FIREWALL,       /* "check-firewall" */
  MS_FIX_CHECK_OUTAGE,         /* "check-outage" */
  MS_FIX_CHECK_PASSWORD,       /* "check-password" */
  MS_FIX_USE_APP_PASSWORD,     /* "use-app-password" */
  MS_FIX_WAIT,                 /* "wait": retry later */
  MS_FIX_RESET_PASSWORD,       /* "reset-password" */
  MS_FIX_CLOSE_OTHER_PROGRAMS, /* "close-other-programs" */
  MS_FIX_SCAN_COMPUTER,        /* "scan-computer" */
  MS_FIX_SEND_SMALLER,         /* "send-smaller" */
  MS_FIX_CHECK_ADDRESS,        /* "check-address" */
  MS_FIX_SECURE_ACCOUNT,       /* "secure-account": change passwords, review the account */
  MS_FIX_CONTACT_PROVIDER,     /* "contact-provider" */
  MS_FIX_CHECK_CLOCK,          /* "check-clock": a wrong date makes valid certificates look expired */
  MS_FIX_SIGN_IN_AGAIN,        /* "sign-in-again": with the provider (OAuth), in the browser */
  MS_FIX_N_KINDS /*< skip >*/
} MsFixKind;

#define MS_TYPE_FIX (ms_fix_get_type ())

typedef struct _MsFix MsFix;

/**
 * MsFix:
 * @kind: what to do
 * @label: a short, translated button label or step ("Use Mobile settings")
 * @profile_id: for %MS_FIX_USE_PROFILE
 * @port: @security: for %MS_FIX_USE_PORT (and the port of a certificate to trust)
 * @username: for %MS_FIX_COMPLETE_USERNAME
 * @host: @fingerprint: for %MS_FIX_TRUST_CERTIFICATE (SHA-256, colon-separated hex)
 */
struct _MsFix
{
  /*< private >*/
  gatomicrefcount ref_count;

  /*< public >*/
  MsFixKind       kind;
  char           *label;
  char           *profile_id;
  guint16         port;
  MsSecurity      security;
  char           *username;
  char           *host;
  char           *fingerprint;
};

GType        ms_fix_get_type                (void) G_GNUC_CONST;
MsFix       *ms_fix_new                     (MsFixKind          kind);
MsFix       *ms_fix_new_use_profile         (const char        *profile_id,
                                             const char        *label);
MsFix       *ms_fix_new_use_port            (guint16            port,
                                             MsSecurity         security);
MsFix       *ms_fix_new_complete_username   (const char        *username);
MsFix       *ms_fix_new_trust_certificate   (const char        *host,
                                             guint16            port,
                                             const char        *fingerprint);
MsFix       *ms_fix_ref                     (MsFix             *self);
void         ms_fix_unref                   (MsFix             *self);
const char  *ms_fix_kind_to_string          (MsFixKind          kind);
gboolean     ms_fix_kind_from_string        (const char        *string,
                                             MsFixKind         *kind);
gboolean     ms_fix_is_automatic            (const MsFix       *self);
gboolean     ms_fix_kind_has_parameters     (MsFixKind          kind);
JsonNode    *ms_fix_to_json                 (const MsFix       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsFix, ms_fix_unref)

G_END_DECLS
