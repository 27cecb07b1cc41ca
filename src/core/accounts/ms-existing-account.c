/* ms-existing-account.c: an account another mail program already has, as it has it
 *
 * What `mail-setup accounts` lists, `doctor` tests and `repair` changes in
 * place. A plain reference-counted record, filled in by the program's
 * reader (ms-mail-program-private.h) from values it validated.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ms-enum-nick.h"
#include "ms-enum-types.h"
#include "ms-existing-account.h"
#include "ms-json.h"

G_DEFINE_BOXED_TYPE (MsPasswordLocation, ms_password_location,
                     ms_password_location_ref, ms_password_location_unref)

G_DEFINE_BOXED_TYPE (MsExistingAccount, ms_existing_account,
                     ms_existing_account_ref, ms_existing_account_unref)

const char *
ms_mail_program_to_string (MsMailProgram program)
{
  return ms_enum_nick_get (MS_TYPE_MAIL_PROGRAM, program);
}

gboolean
ms_mail_program_from_string (const char    *string,
                             MsMailProgram *program)
{
  int value;

  g_return_val_if_fail (program != NULL, FALSE);

  if (string == NULL
      || !ms_enum_nick_lookup (MS_TYPE_MAIL_PROGRAM, string, MS_ENUM_NICK_EXACT, &value))
    return FALSE;

  *program = value;
  return TRUE;
}

/* The name a person knows the program by, for sentences. */
const char *
ms_mail_program_get_name (MsMailProgram program)
{
  switch (program)
    {
    case MS_MAIL_PROGRAM_THUNDERBIRD: return "Thunderbird";
    case MS_MAIL_PROGRAM_EVOLUTION: return "Evolution";
    case MS_MAIL_PROGRAM_GEARY: return "Geary";
    case MS_MAIL_PROGRAM_GOA: return _("GNOME Online Accounts");
    case MS_MAIL_PROGRAM_MSMTP: return "msmtp";
    case MS_MAIL_PROGRAM_MBSYNC: return "mbsync";
    case MS_MAIL_PROGRAM_NEOMUTT: return "NeoMutt";
    case MS_MAIL_PROGRAM_AERC: return "aerc";
    default: g_return_val_if_reached (NULL);
    }
}

MsPasswordLocation *
ms_password_location_new (MsPasswordSource source)
{
  MsPasswordLocation *self = g_new0 (MsPasswordLocation, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->source = source;

  return self;
}

MsPasswordLocation *
ms_password_location_ref (MsPasswordLocation *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
ms_password_location_unref (MsPasswordLocation *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_clear_pointer (&self->secret_schema, g_free);
  g_clear_pointer (&self->secret_attributes, g_hash_table_unref);
  g_free (self);
}

void
ms_password_location_add_attribute (MsPasswordLocation *self,
                                    const char         *name,
                                    const char         *value)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL);
  g_return_if_fail (value != NULL);

  if (self->secret_attributes == NULL)
    self->secret_attributes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_hash_table_replace (self->secret_attributes, g_strdup (name), g_strdup (value));
}

MsExistingAccount *
ms_existing_account_new (MsMailProgram  program,
                         const char    *key,
                         const char    *location)
{
  MsExistingAccount *self;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (location != NULL && g_path_is_absolute (location), NULL);

  self = g_new0 (MsExistingAccount, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->program = program;
  self->key = g_strdup (key);
  self->location = g_strdup (location);

  return self;
}

MsExistingAccount *
ms_existing_account_ref (MsExistingAccount *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
ms_existing_account_unref (MsExistingAccount *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_clear_pointer (&self->key, g_free);
  g_clear_pointer (&self->location, g_free);
  g_clear_pointer (&self->outgoing_key, g_free);
  g_clear_pointer (&self->outgoing_location, g_free);
  g_clear_pointer (&self->profile, g_free);
  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->incoming, ms_server_unref);
  g_clear_pointer (&self->outgoing, ms_server_unref);
  g_clear_pointer (&self->incoming_password, ms_password_location_unref);
  g_clear_pointer (&self->outgoing_password, ms_password_location_unref);
  g_free (self);
}

/**
 * ms_existing_account_get_id:
 *
 * Returns: (transfer full): "PROGRAM:LOCATION#KEY", which names the account
 *   on this computer for `mail-setup repair --account` and the JSON
 */
char *
ms_existing_account_get_id (MsExistingAccount *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_strdup_printf ("%s:%s#%s", ms_mail_program_to_string (self->program),
                          self->location, self->key);
}

static void
add_server (JsonBuilder    *builder,
            const char     *member,
            const MsServer *server)
{
  json_builder_set_member_name (builder, member);
  if (server == NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_value (builder, ms_server_to_json (server));
}

static void
add_password (JsonBuilder              *builder,
              const char               *member,
              const MsPasswordLocation *location)
{
  MsPasswordSource source = location != NULL ? location->source : MS_PASSWORD_SOURCE_NONE;

  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, ms_enum_nick_get (MS_TYPE_PASSWORD_SOURCE, source));
}

/**
 * ms_existing_account_to_json:
 *
 * Returns: (transfer full): the object `mail-setup accounts --json` lists
 *   (docs/cli-json.md): `{id, program, key, location, address, display_name,
 *   incoming, outgoing, incoming_password, outgoing_password,
 *   written_by_mail_setup}`; the password members say where it is kept,
 *   never what it is
 */
JsonNode *
ms_existing_account_to_json (MsExistingAccount *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *id = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  id = ms_existing_account_get_id (self);

  json_builder_begin_object (builder);
  ms_json_add_text (builder, "id", id);
  json_builder_set_member_name (builder, "program");
  json_builder_add_string_value (builder, ms_mail_program_to_string (self->program));
  ms_json_add_text (builder, "key", self->key);
  ms_json_add_text (builder, "location", self->location);
  ms_json_add_string_or_null (builder, "address", self->address);
  ms_json_add_string_or_null (builder, "display_name", self->display_name);
  add_server (builder, "incoming", self->incoming);
  add_server (builder, "outgoing", self->outgoing);
  add_password (builder, "incoming_password", self->incoming_password);
  add_password (builder, "outgoing_password", self->outgoing_password);
  json_builder_set_member_name (builder, "written_by_mail_setup");
  json_builder_add_boolean_value (builder, self->written_by_mail_setup);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
