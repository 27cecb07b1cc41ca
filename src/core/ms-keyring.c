/* ms-keyring.c: account passwords in the system keyring (Secret Service)
 *
 * One item per server (incoming and outgoing), so a program that only
 * knows it wants "the SMTP password for this address" finds it with
 * `secret-tool lookup xdg:schema io.github.mailsetup.MailSetup.Account
 * address ADDRESS protocol smtp`: that is the command the terminal
 * programs' exported configurations run (export/ms-keyring-command.c).
 * Each operation is a list of libsecret steps that
 * ms-secret-service-op.c runs after unlocking the keyring, under one
 * deadline; the blocking forms run the same operation in a private main
 * context.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ms-keyring-private.h"
#include "ms-keyring.h"
#include "ms-secret-service-op.h"

G_DEFINE_QUARK (ms-keyring-error-quark, ms_keyring_error)

/* Long enough for a person to find and answer the unlock prompt. */
static guint keyring_timeout_ms = 120000;

/**
 * ms_keyring_set_timeout:
 * @timeout_ms: how long one keyring operation may take, the time a person
 *   takes to answer the unlock prompt included; more than 0
 *
 * Process-wide; the default is two minutes. Tests shorten it.
 */
void
ms_keyring_set_timeout (guint timeout_ms)
{
  g_return_if_fail (timeout_ms > 0);

  g_atomic_int_set (&keyring_timeout_ms, timeout_ms);
}

const SecretSchema *
ms_keyring_get_schema (void)
{
  static const SecretSchema schema = {
    MS_KEYRING_SCHEMA_NAME, SECRET_SCHEMA_NONE,
    {
      { "address", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "protocol", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "host", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "port", SECRET_SCHEMA_ATTRIBUTE_INTEGER },
      { "username", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "address-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },  /* OAuth tokens: MS_KEYRING_KIND_* */
      { NULL, 0 },
    }
  };

  return &schema;
}


/* ---- the operations ------------------------------------------------ */

/* What every item of an address carries; lookups by address and
 * protocol (the exported secret-tool commands) use no more. */
static GHashTable *
address_attributes (const char *address,
                    MsProtocol  protocol)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attributes, (char *) "address", g_ascii_strdown (address, -1));
  g_hash_table_insert (attributes, (char *) "address-id", ms_keyring_address_id (address));
  g_hash_table_insert (attributes, (char *) "protocol", g_strdup (ms_protocol_to_string (protocol)));

  return attributes;
}

static GHashTable *
server_attributes (const char     *address,
                   const MsServer *server)
{
  GHashTable *attributes = address_attributes (address, server->protocol);

  g_hash_table_insert (attributes, (char *) "host", g_strdup (server->hostname));
  g_hash_table_insert (attributes, (char *) "port", g_strdup_printf ("%u", server->port));
  if (server->username != NULL)
    g_hash_table_insert (attributes, (char *) "username", g_strdup (server->username));

  return attributes;
}

/* Every operation runs under the keyring's one deadline. */
static GTask *
new_op (gpointer             source_tag,
        GCancellable        *cancellable,
        GAsyncReadyCallback  callback,
        gpointer             user_data)
{
  return ms_secret_service_op_new (source_tag, g_atomic_int_get (&keyring_timeout_ms),
                                   cancellable, callback, user_data);
}

static gboolean
finish_boolean (GAsyncResult  *result,
                gpointer       source_tag,
                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * ms_keyring_store_async:
 *
 * Stores @password for the incoming and the outgoing server of @settings
 * under this product's schema, replacing what was stored before. A
 * locked keyring brings up its unlock prompt; no answer within the
 * timeout (ms_keyring_set_timeout()) is %MS_KEYRING_ERROR_LOCKED, a
 * dismissed prompt %MS_KEYRING_ERROR_DISMISSED.
 */
void
ms_keyring_store_async (MsAccountSettings   *settings,
                        MsSecret            *password,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (settings != NULL);
  g_return_if_fail (password != NULL);

  task = new_op (ms_keyring_store_async, cancellable, callback, user_data);

  for (guint i = 0; i < 2; i++)
    {
      const MsServer *server = i == 0 ? settings->incoming : settings->outgoing;
      g_autoptr(GHashTable) attributes = server_attributes (settings->address, server);
      g_autoptr(GHashTable) old = g_hash_table_new (g_str_hash, g_str_equal);
      g_autofree char *label = NULL;

      /* One item per address and protocol, so lookups by those two (the
       * exported secret-tool commands) find exactly one, even after the
       * server moved. */
      g_hash_table_insert (old, (char *) "address", g_hash_table_lookup (attributes, "address"));
      g_hash_table_insert (old, (char *) "protocol", g_hash_table_lookup (attributes, "protocol"));
      ms_secret_service_op_add_clear (task, ms_keyring_get_schema (), old);

      /* TRANSLATORS: a keyring item's label; %s is an email address,
       * the second %s IMAP, POP3 or SMTP */
      label = g_strdup_printf (_("Mail password for %s (%s)"), settings->address,
                               ms_protocol_to_string (server->protocol));
      ms_secret_service_op_add_store (task, ms_keyring_get_schema (), attributes, label, password);
    }

  ms_secret_service_op_start (task);
}

gboolean
ms_keyring_store_finish (GAsyncResult  *result,
                         GError       **error)
{
  return finish_boolean (result, ms_keyring_store_async, error);
}

/**
 * ms_keyring_store_other_async:
 * @schema: (not nullable): another program's schema, static
 * @attributes: (element-type utf8 utf8): the item's attributes
 *
 * Stores @password under another program's schema, in the default
 * collection, replacing an item with the same attributes.
 */
void
ms_keyring_store_other_async (const SecretSchema  *schema,
                              GHashTable          *attributes,
                              const char          *label,
                              MsSecret            *password,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (schema != NULL);
  g_return_if_fail (attributes != NULL);
  g_return_if_fail (label != NULL);
  g_return_if_fail (password != NULL);

  task = new_op (ms_keyring_store_other_async, cancellable, callback, user_data);
  ms_secret_service_op_add_store (task, schema, attributes, label, password);

  ms_secret_service_op_start (task);
}

gboolean
ms_keyring_store_other_finish (GAsyncResult  *result,
                               GError       **error)
{
  return finish_boolean (result, ms_keyring_store_other_async, error);
}

/**
 * ms_keyring_lookup_async:
 *
 * Finds the password stored for @address and @protocol; none is
 * %MS_KEYRING_ERROR_NOT_FOUND.
 */
void
ms_keyring_lookup_async (const char          *address,
                         MsProtocol           protocol,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (address != NULL);

  task = new_op (ms_keyring_lookup_async, cancellable, callback, user_data);

  attributes = address_attributes (address, protocol);
  ms_secret_service_op_add_lookup (task, ms_keyring_get_schema (), attributes, address);

  ms_secret_service_op_start (task);
}

/**
 * ms_keyring_lookup_finish:
 *
 * Returns: (transfer full) (nullable): the password, or %NULL
 */
MsSecret *
ms_keyring_lookup_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ms_keyring_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ms_keyring_forget_async:
 *
 * Removes every password this product stored for @address. Forgetting an
 * address that has none is not an error.
 */
void
ms_keyring_forget_async (const char          *address,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (address != NULL);

  task = new_op (ms_keyring_forget_async, cancellable, callback, user_data);

  attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_hash_table_insert (attributes, (char *) "address", g_ascii_strdown (address, -1));
  ms_secret_service_op_add_clear (task, ms_keyring_get_schema (), attributes);

  ms_secret_service_op_start (task);
}

gboolean
ms_keyring_forget_finish (GAsyncResult  *result,
                          GError       **error)
{
  return finish_boolean (result, ms_keyring_forget_async, error);
}

/* ---- blocking forms ------------------------------------------------- */

typedef struct
{
  GMainContext *context;
  GAsyncResult *result;
} SyncWait;

static void
sync_begin (SyncWait *wait)
{
  wait->context = g_main_context_new ();
  wait->result = NULL;
  g_main_context_push_thread_default (wait->context);
}

static void
sync_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SyncWait *wait = user_data;

  wait->result = g_object_ref (result);
}

/* The deadline guarantees an end. A libsecret call still pending then
 * keeps its reference to the context, which nobody iterates again. */
static GAsyncResult *
sync_wait (SyncWait *wait)
{
  while (wait->result == NULL)
    g_main_context_iteration (wait->context, TRUE);

  g_main_context_pop_thread_default (wait->context);
  g_main_context_unref (wait->context);
  wait->context = NULL;

  return wait->result;
}

gboolean
ms_keyring_store_sync (MsAccountSettings  *settings,
                       MsSecret           *password,
                       GCancellable       *cancellable,
                       GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  SyncWait wait;

  g_return_val_if_fail (settings != NULL, FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  sync_begin (&wait);
  ms_keyring_store_async (settings, password, cancellable, sync_done_cb, &wait);
  result = sync_wait (&wait);

  return ms_keyring_store_finish (result, error);
}

gboolean
ms_keyring_store_other_sync (const SecretSchema  *schema,
                             GHashTable          *attributes,
                             const char          *label,
                             MsSecret            *password,
                             GCancellable        *cancellable,
                             GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  SyncWait wait;

  g_return_val_if_fail (schema != NULL, FALSE);
  g_return_val_if_fail (attributes != NULL, FALSE);
  g_return_val_if_fail (label != NULL, FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  sync_begin (&wait);
  ms_keyring_store_other_async (schema, attributes, label, password, cancellable, sync_done_cb, &wait);
  result = sync_wait (&wait);

  return ms_keyring_store_other_finish (result, error);
}

MsSecret *
ms_keyring_lookup_sync (const char    *address,
                        MsProtocol     protocol,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  SyncWait wait;

  g_return_val_if_fail (address != NULL, NULL);

  sync_begin (&wait);
  ms_keyring_lookup_async (address, protocol, cancellable, sync_done_cb, &wait);
  result = sync_wait (&wait);

  return ms_keyring_lookup_finish (result, error);
}

gboolean
ms_keyring_forget_sync (const char    *address,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  SyncWait wait;

  g_return_val_if_fail (address != NULL, FALSE);

  sync_begin (&wait);
  ms_keyring_forget_async (address, cancellable, sync_done_cb, &wait);
  result = sync_wait (&wait);

  return ms_keyring_forget_finish (result, error);
}

/**
 * ms_keyring_address_id:
 *
 * Returns: (transfer full): the "address-id" every item carries: the
 *   SHA-256 of the lowercased address in hex, a name for the address that
 *   needs no quoting anywhere
 */
char *
ms_keyring_address_id (const char *address)
{
  g_autofree char *lower = NULL;

  g_return_val_if_fail (address != NULL, NULL);

  lower = g_ascii_strdown (address, -1);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, lower, -1);
}

/* ---- OAuth tokens -------------------------------------------------- */

/* A token item: the address, and which token it is. No protocol: the
 * password lookups (which name one) never find a token, and forgetting
 * an address (which names only the address) removes its tokens too. */
static GHashTable *
token_attributes (const char *address,
                  const char *kind)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attributes, (char *) "address", g_ascii_strdown (address, -1));
  g_hash_table_insert (attributes, (char *) "address-id", ms_keyring_address_id (address));
  g_hash_table_insert (attributes, (char *) "kind", g_strdup (kind));

  return attributes;
}

/**
 * ms_keyring_store_token_sync:
 * @kind: %MS_KEYRING_KIND_OAUTH_ACCESS or %MS_KEYRING_KIND_OAUTH_REFRESH
 * @secret: what to keep (ms-oauth-account.c says its form)
 *
 * Replaces the item of @address and @kind.
 */
gboolean
ms_keyring_store_token_sync (const char    *address,
                             const char    *kind,
                             MsSecret      *secret,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;

  g_return_val_if_fail (address != NULL, FALSE);
  g_return_val_if_fail (kind != NULL, FALSE);
  g_return_val_if_fail (secret != NULL, FALSE);

  attributes = token_attributes (address, kind);
  /* Translators: the keyring item's name; %s is an email address. */
  label = g_strdup_printf (_("Mail Setup sign-in for %s"), address);

  return ms_keyring_store_other_sync (ms_keyring_get_schema (), attributes, label, secret,
                                      cancellable, error);
}

static void
lookup_token_async (const char          *address,
                    const char          *kind,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = new_op (lookup_token_async, cancellable, callback, user_data);
  g_autoptr(GHashTable) attributes = token_attributes (address, kind);

  ms_secret_service_op_add_lookup (task, ms_keyring_get_schema (), attributes, address);
  ms_secret_service_op_start (task);
}

/**
 * ms_keyring_lookup_token_sync:
 *
 * Returns: (transfer full) (nullable): the item of @address and @kind, or
 *   %NULL with %MS_KEYRING_ERROR_NOT_FOUND when there is none
 */
MsSecret *
ms_keyring_lookup_token_sync (const char    *address,
                              const char    *kind,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  SyncWait wait;

  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (kind != NULL, NULL);

  sync_begin (&wait);
  lookup_token_async (address, kind, cancellable, sync_done_cb, &wait);
  result = sync_wait (&wait);

  return g_task_propagate_pointer (G_TASK (result), error);
}
