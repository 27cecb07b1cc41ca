/* ms-existing-account.h: an account another mail program already has, as it has it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ms-server.h"

G_BEGIN_DECLS

/* The mail programs whose accounts Mail Setup finds and repairs. The nicks
 * are the exporters' ids (`mail-setup export --to NAME`) and the stable
 * `program` names of `mail-setup accounts --json`. */
typedef enum
{
  MS_MAIL_PROGRAM_THUNDERBIRD,  /*< nick=thunderbird >*/
  MS_MAIL_PROGRAM_EVOLUTION,    /*< nick=evolution >*/
  MS_MAIL_PROGRAM_GEARY,        /*< nick=geary >*/
  MS_MAIL_PROGRAM_GOA,          /*< nick=goa >*/
  MS_MAIL_PROGRAM_MSMTP,        /*< nick=msmtp >*/
  MS_MAIL_PROGRAM_MBSYNC,       /*< nick=mbsync >*/
  MS_MAIL_PROGRAM_NEOMUTT,      /*< nick=neomutt >*/
  MS_MAIL_PROGRAM_AERC,         /*< nick=aerc >*/
} MsMailProgram;

/* Where the program keeps the password of one server. */
typedef enum
{
  MS_PASSWORD_SOURCE_NONE,     /*< nick=none >*/      /* nowhere we may read: the person types it (Thunderbird's own encrypted store, say) */
  MS_PASSWORD_SOURCE_KEYRING,  /*< nick=keyring >*/   /* the Secret Service: @secret_schema and @secret_attributes find it */
  MS_PASSWORD_SOURCE_GOA,      /*< nick=goa >*/       /* goa-daemon's PasswordBased.GetPassword (@secret_attributes "goa-account", "goa-key") */
  MS_PASSWORD_SOURCE_COMMAND,  /*< nick=command >*/   /* a command the program runs (passwordeval, PassCmd) that is not one we recognise: never run */
  MS_PASSWORD_SOURCE_IN_FILE,  /*< nick=in-file >*/   /* the configuration holds it in clear text: a finding in itself; never read into memory */
} MsPasswordSource;

const char *ms_mail_program_to_string   (MsMailProgram  program);
gboolean    ms_mail_program_from_string (const char    *string,
                                         MsMailProgram *program);
const char *ms_mail_program_get_name    (MsMailProgram  program);

#define MS_TYPE_PASSWORD_LOCATION (ms_password_location_get_type ())

typedef struct _MsPasswordLocation MsPasswordLocation;

/**
 * MsPasswordLocation:
 * @source: where the password is
 * @secret_schema: (nullable): KEYRING: the libsecret schema name the item
 *   was stored with (%NULL: match on the attributes alone)
 * @secret_attributes: (element-type utf8 utf8) (nullable): KEYRING and GOA:
 *   the attributes that find it
 */
struct _MsPasswordLocation
{
  /*< private >*/
  gatomicrefcount ref_count;

  /*< public >*/
  MsPasswordSource source;
  char            *secret_schema;
  GHashTable      *secret_attributes;
};

GType               ms_password_location_get_type (void) G_GNUC_CONST;
MsPasswordLocation *ms_password_location_new      (MsPasswordSource    source);
MsPasswordLocation *ms_password_location_ref      (MsPasswordLocation *self);
void                ms_password_location_unref    (MsPasswordLocation *self);
void                ms_password_location_add_attribute (MsPasswordLocation *self,
                                                        const char         *name,
                                                        const char         *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsPasswordLocation, ms_password_location_unref)

#define MS_TYPE_EXISTING_ACCOUNT (ms_existing_account_get_type ())

typedef struct _MsExistingAccount MsExistingAccount;

/**
 * MsExistingAccount:
 * @program: the program that has it
 * @key: the program's own name for the account, unique within @location:
 *   Thunderbird's "account3", Evolution's mail-account source UID, Geary's
 *   account folder name, GOA's "account_1700000000_0", msmtp's and aerc's
 *   account name, mbsync's IMAPAccount name, neomutt's file
 * @location: the file the account was read from (absolute)
 * @outgoing_key: (nullable): the program's own name for the outgoing server
 *   where it is a separate entry (Thunderbird's "smtp2", Evolution's
 *   transport source UID)
 * @outgoing_location: (nullable): the file the outgoing server was read
 *   from where that is another file (Evolution's transport .source)
 * @profile: (nullable): Thunderbird's profile folder (absolute)
 * @address: the email address the account sends as (validated, ASCII form;
 *   may be %NULL when the program does not say: an mbsync store, say)
 * @display_name: (nullable): the person's name
 * @incoming: (nullable): the incoming server as the program has it, with the
 *   literal username (no placeholders); %NULL for an SMTP-only program
 * @outgoing: (nullable): the outgoing server, the same way; %NULL for an
 *   incoming-only program (mbsync)
 * @incoming_password, @outgoing_password: (nullable): where the program
 *   keeps each server's password
 * @written_by_mail_setup: the account sits in a block Mail Setup wrote
 *
 * Every string was validated (ms-validate.h) when it was read: another
 * program's file is hostile input. A value that fails makes the reader
 * report a problem and skip the account, never keep the value.
 */
struct _MsExistingAccount
{
  /*< private >*/
  gatomicrefcount     ref_count;

  /*< public >*/
  MsMailProgram       program;
  char               *key;
  char               *location;
  char               *outgoing_key;
  char               *outgoing_location;
  char               *profile;
  char               *address;
  char               *display_name;
  MsServer           *incoming;
  MsServer           *outgoing;
  MsPasswordLocation *incoming_password;
  MsPasswordLocation *outgoing_password;
  gboolean            written_by_mail_setup;
};

GType              ms_existing_account_get_type (void) G_GNUC_CONST;
MsExistingAccount *ms_existing_account_new      (MsMailProgram       program,
                                                 const char         *key,
                                                 const char         *location);
MsExistingAccount *ms_existing_account_ref      (MsExistingAccount  *self);
void               ms_existing_account_unref    (MsExistingAccount  *self);
char              *ms_existing_account_get_id   (MsExistingAccount  *self);
JsonNode          *ms_existing_account_to_json  (MsExistingAccount  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsExistingAccount, ms_existing_account_unref)

G_END_DECLS
