/* ms-secret-service-op.c: one keyring operation, bounded: unlock, then libsecret steps
 *
 * A locked keyring is unlocked here, over the Secret Service's own D-Bus
 * API, before libsecret is asked for anything: libsecret 0.20.5 waits
 * forever, ignoring its cancellable, when the unlock prompter dies
 * (gnome-keyring then never completes the prompt). Every operation also
 * runs under one deadline that finishes it whatever libsecret does; a
 * libsecret callback arriving after that finds the operation over and
 * only drops its reference.
 *
 * A prompt still on the screen at the deadline (or when the caller
 * cancels) stays there for the person to answer or close: the Secret
 * Service's Prompt.Dismiss on a showing unlock prompt makes
 * gnome-keyring-daemon 42 abort (gkd-secret-unlock.c, assertion
 * "!self->current"), which would take the whole keyring away.
 *
 * Errors come out as MsKeyringError, translated once (ms-keyring.h owns
 * the domain; this file is its engine, not another API).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ms-deadline.h"
#include "ms-keyring.h"
#include "ms-secret-service-op-private.h"
#include "ms-secret-service-op.h"

#define SECRET_BUS_NAME       "org.freedesktop.secrets"
#define SECRET_SERVICE_PATH   "/org/freedesktop/secrets"
#define SECRET_SERVICE_IFACE  "org.freedesktop.Secret.Service"
#define SECRET_PROMPT_IFACE   "org.freedesktop.Secret.Prompt"
#define DBUS_CALL_TIMEOUT_MS  25000

/* Turns whatever libsecret or D-Bus said into an MsKeyringError. */
static GError *
translate_error (GError       *error,
                 GCancellable *cancellable)
{
  g_autofree char *detail = NULL;
  GError *out;

  if (g_cancellable_is_cancelled (cancellable))
    return error;

  detail = g_strdup (error->message);
  if (g_dbus_error_is_remote_error (error))
    g_dbus_error_strip_remote_error (error);

  if (error->domain == SECRET_ERROR && error->code == SECRET_ERROR_IS_LOCKED)
    out = g_error_new_literal (MS_KEYRING_ERROR, MS_KEYRING_ERROR_LOCKED,
                               _("The keyring is locked. Unlock it (for example in Passwords and Keys) and try again."));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    /* libsecret reports a dismissed unlock prompt as a cancellation. */
    out = g_error_new_literal (MS_KEYRING_ERROR, MS_KEYRING_ERROR_DISMISSED,
                               _("The keyring prompt was closed, so the password was not saved or read."));
  else if (error->domain == G_DBUS_ERROR ||
           error->domain == G_IO_ERROR ||
           error->domain == G_SPAWN_ERROR)
    out = g_error_new (MS_KEYRING_ERROR, MS_KEYRING_ERROR_NO_SERVICE,
                       _("No keyring service is running, so the password cannot be kept safely (%s)."),
                       detail);
  else
    out = g_error_new (MS_KEYRING_ERROR, MS_KEYRING_ERROR_FAILED,
                       _("The keyring failed: %s"), detail);

  g_error_free (error);
  return out;
}

typedef enum
{
  STEP_STORE,
  STEP_CLEAR,
  STEP_LOOKUP,
} StepKind;

typedef struct
{
  StepKind            kind;
  const SecretSchema *schema;
  GHashTable         *attributes;
  char               *label;
} Step;

typedef enum
{
  PHASE_CONNECT,
  PHASE_UNLOCK,
  PHASE_STEPS,
} Phase;

typedef struct
{
  GPtrArray       *steps;
  guint            next_step;
  MsSecret        *password;
  char            *address;     /* for NOT_FOUND */
  MsSecret        *found;
  Phase            phase;

  GDBusConnection *bus;
  char            *collection;
  char            *prompt;
  guint            completed_id;

  MsDeadline      *deadline;
  guint            timeout_ms;
  gulong           cancelled_id;
  gboolean         returned;
} Op;

static void
step_free (Step *step)
{
  g_clear_pointer (&step->attributes, g_hash_table_unref);
  g_clear_pointer (&step->label, g_free);
  g_free (step);
}

static void
op_free (Op *op)
{
  /* The signal subscription and the cancelled handler hold references
   * to the task, so both are gone by now (op_return()). */
  g_clear_pointer (&op->deadline, ms_deadline_free);
  g_clear_pointer (&op->steps, g_ptr_array_unref);
  g_clear_pointer (&op->password, ms_secret_unref);
  g_clear_pointer (&op->found, ms_secret_unref);
  g_clear_pointer (&op->address, g_free);
  g_clear_pointer (&op->collection, g_free);
  g_clear_pointer (&op->prompt, g_free);
  g_clear_object (&op->bus);
  g_free (op);
}

static GHashTable *
copy_attributes (GHashTable *attributes)
{
  GHashTable *copy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, attributes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy, g_strdup (key), g_strdup (value));

  return copy;
}

static void
op_add_step (GTask              *task,
             StepKind            kind,
             const SecretSchema *schema,
             GHashTable         *attributes,
             const char         *label)
{
  Op *op = g_task_get_task_data (task);
  Step *step = g_new0 (Step, 1);

  step->kind = kind;
  step->schema = schema;
  step->attributes = copy_attributes (attributes);
  step->label = g_strdup (label);
  g_ptr_array_add (op->steps, step);
}

static GCancellable *
op_cancellable (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  return ms_deadline_get_cancellable (op->deadline);
}

/* Takes @error; %NULL returns success. Only the first return counts. */
static void
op_return (GTask  *task,
           GError *error)
{
  Op *op = g_task_get_task_data (task);

  if (op->returned)
    {
      g_clear_error (&error);
      return;
    }
  op->returned = TRUE;

  /* Both hold a reference to the task: dropping them breaks the cycle. */
  if (op->completed_id != 0)
    {
      g_dbus_connection_signal_unsubscribe (op->bus, op->completed_id);
      op->completed_id = 0;
    }
  if (op->cancelled_id != 0)
    {
      g_cancellable_disconnect (ms_deadline_get_cancellable (op->deadline), op->cancelled_id);
      op->cancelled_id = 0;
    }

  if (error != NULL)
    g_task_return_error (task, error);
  else if (op->address != NULL)
    g_task_return_pointer (task, g_steal_pointer (&op->found), (GDestroyNotify) ms_secret_unref);
  else
    g_task_return_boolean (task, TRUE);
}

static void
op_return_translated (GTask  *task,
                      GError *error)
{
  Op *op = g_task_get_task_data (task);

  if (op->returned)
    {
      g_error_free (error);
      return;
    }

  if (ms_deadline_check_error (op->deadline, &error))
    {
      g_autoptr(GError) timed_out G_GNUC_UNUSED = error;  /* freed here, replaced below */
      guint seconds = (op->timeout_ms + 999) / 1000;

      if (op->phase == PHASE_UNLOCK)
        error = g_error_new (MS_KEYRING_ERROR, MS_KEYRING_ERROR_LOCKED,
                             ngettext ("The keyring is locked and its unlock prompt got no answer within %u second.",
                                       "The keyring is locked and its unlock prompt got no answer within %u seconds.",
                                       seconds), seconds);
      else
        error = g_error_new (MS_KEYRING_ERROR, MS_KEYRING_ERROR_FAILED,
                             ngettext ("The keyring did not answer within %u second.",
                                       "The keyring did not answer within %u seconds.",
                                       seconds), seconds);
    }
  else if (error->domain != MS_KEYRING_ERROR)
    error = translate_error (error, g_task_get_cancellable (task));

  op_return (task, error);
}

static gboolean
deadline_idle_cb (gpointer user_data)
{
  GTask *task = user_data;

  op_return_translated (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                   "Operation was cancelled"));
  return G_SOURCE_REMOVE;
}

/* The deadline's cancellable fires on the timer (this context) or when
 * the caller cancels (any thread): finish on the operation's context,
 * whether or not libsecret ever calls back. */
static void
deadline_cancelled_cb (GCancellable *cancellable,
                       GTask        *task)
{
  GSource *idle = g_idle_source_new ();

  g_source_set_callback (idle, deadline_idle_cb, g_object_ref (task), g_object_unref);
  g_source_set_static_name (idle, "[mail-setup] keyring deadline");
  g_source_attach (idle, g_task_get_context (task));
  g_source_unref (idle);
}

static void run_next_step (GTask *task);

static void
step_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  Step *step;
  GError *error = NULL;

  /* Late: the operation ended at its deadline; the result goes with
   * libsecret's task. */
  if (op->returned)
    return;

  step = g_ptr_array_index (op->steps, op->next_step - 1);
  switch (step->kind)
    {
    case STEP_STORE:
      secret_password_store_finish (result, &error);
      break;
    case STEP_CLEAR:
      secret_password_clear_finish (result, &error);
      break;
    case STEP_LOOKUP:
      {
        char *text = secret_password_lookup_finish (result, &error);

        if (text != NULL)
          {
            /* secret_password_free() wipes; MsSecret wipes its own copy. */
            op->found = ms_secret_new (text);
            secret_password_free (text);
          }
        else if (error == NULL)
          error = g_error_new (MS_KEYRING_ERROR, MS_KEYRING_ERROR_NOT_FOUND,
                               _("No password for %s is in the keyring"), op->address);
      }
      break;
    default:
      g_assert_not_reached ();
    }

  if (error != NULL)
    {
      op_return_translated (task, error);
      return;
    }

  run_next_step (task);
}

static void
run_next_step (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  GCancellable *cancellable = op_cancellable (task);
  Step *step;

  op->phase = PHASE_STEPS;
  if (op->next_step == op->steps->len)
    {
      op_return (task, NULL);
      return;
    }

  step = g_ptr_array_index (op->steps, op->next_step++);
  switch (step->kind)
    {
    case STEP_STORE:
      secret_password_storev (step->schema, step->attributes, SECRET_COLLECTION_DEFAULT,
                              step->label, ms_secret_get_text (op->password), cancellable,
                              step_done_cb, g_object_ref (task));
      break;
    case STEP_CLEAR:
      secret_password_clearv (step->schema, step->attributes, cancellable,
                              step_done_cb, g_object_ref (task));
      break;
    case STEP_LOOKUP:
      secret_password_lookupv (step->schema, step->attributes, cancellable,
                               step_done_cb, g_object_ref (task));
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
prompt_completed_cb (GDBusConnection *connection,
                     const char      *sender,
                     const char      *path,
                     const char      *interface,
                     const char      *signal,
                     GVariant        *parameters,
                     gpointer         user_data)
{
  GTask *task = user_data;
  Op *op = g_task_get_task_data (task);
  gboolean dismissed = TRUE;

  if (op->returned || op->completed_id == 0 ||
      !g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(bv)")))
    return;

  g_dbus_connection_signal_unsubscribe (op->bus, op->completed_id);
  op->completed_id = 0;
  g_clear_pointer (&op->prompt, g_free);

  g_variant_get (parameters, "(bv)", &dismissed, NULL);
  /* gnome-keyring also reports a prompter that could not start (no
   * display) as dismissed: the message covers both. */
  if (dismissed)
    {
      op_return (task, g_error_new_literal (MS_KEYRING_ERROR, MS_KEYRING_ERROR_DISMISSED,
                                            _("The keyring stayed locked: its unlock prompt was closed or could not be shown, so the password was not saved or read.")));
      return;
    }

  /* Unlocked: a store into a collection locked again meanwhile fails
   * with SECRET_ERROR_IS_LOCKED rather than prompting. */
  run_next_step (task);
}

/* The answer to a D-Bus call of @task's, or %NULL once @task has
 * returned (with this call's error, if it failed). */
static GVariant *
call_finish (GTask        *task,
             GObject      *connection,
             GAsyncResult *result)
{
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;
  GVariant *reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (connection), result, &error);

  if (op->returned)
    {
      g_clear_error (&error);
      g_clear_pointer (&reply, g_variant_unref);
      return NULL;
    }
  if (reply == NULL)
    op_return_translated (task, error);

  return reply;
}

/* Tests only (ms-secret-service-op-private.h); set before any operation. */
static MsSecretServicePromptHook prompt_hook;
static gpointer prompt_hook_data;

void
ms_secret_service_op_set_prompt_hook (MsSecretServicePromptHook hook,
                                      gpointer                  user_data)
{
  prompt_hook = hook;
  prompt_hook_data = user_data;
}

static void
prompt_started_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GVariant) reply = NULL;
  GError *error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  if (reply == NULL)
    op_return_translated (task, error);
  /* Otherwise the answer comes with the Completed signal. */
  else if (prompt_hook != NULL)
    prompt_hook (prompt_hook_data);
}

static void
unlock_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GVariant) reply = NULL;
  g_autofree const char **unlocked = NULL;
  const char *prompt = NULL;

  reply = call_finish (task, object, result);
  if (reply == NULL)
    return;

  g_variant_get (reply, "(^a&o&o)", &unlocked, &prompt);
  if (g_strv_contains (unlocked, op->collection))
    {
      run_next_step (task);
      return;
    }
  if (g_str_equal (prompt, "/"))
    {
      op_return (task, g_error_new_literal (MS_KEYRING_ERROR, MS_KEYRING_ERROR_LOCKED,
                                            _("The keyring is locked. Unlock it (for example in Passwords and Keys) and try again.")));
      return;
    }

  op->prompt = g_strdup (prompt);
  op->completed_id = g_dbus_connection_signal_subscribe (op->bus, NULL, SECRET_PROMPT_IFACE,
                                                         "Completed", op->prompt, NULL,
                                                         G_DBUS_SIGNAL_FLAGS_NONE,
                                                         prompt_completed_cb, g_object_ref (task),
                                                         g_object_unref);
  g_dbus_connection_call (op->bus, SECRET_BUS_NAME, op->prompt, SECRET_PROMPT_IFACE, "Prompt",
                          g_variant_new ("(s)", ""), NULL, G_DBUS_CALL_FLAGS_NONE,
                          DBUS_CALL_TIMEOUT_MS, op_cancellable (task),
                          prompt_started_cb, g_object_ref (task));
}

static void
locked_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;
  const char *collections[] = { op->collection, NULL };

  reply = call_finish (task, object, result);
  if (reply == NULL)
    return;

  g_variant_get (reply, "(v)", &value);
  if (!g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN) || !g_variant_get_boolean (value))
    {
      run_next_step (task);
      return;
    }

  op->phase = PHASE_UNLOCK;
  g_dbus_connection_call (op->bus, SECRET_BUS_NAME, SECRET_SERVICE_PATH, SECRET_SERVICE_IFACE, "Unlock",
                          g_variant_new ("(^ao)", collections), G_VARIANT_TYPE ("(aoo)"),
                          G_DBUS_CALL_FLAGS_NONE, DBUS_CALL_TIMEOUT_MS, op_cancellable (task),
                          unlock_cb, g_object_ref (task));
}

static void
alias_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GVariant) reply = NULL;

  reply = call_finish (task, object, result);
  if (reply == NULL)
    return;

  g_variant_get (reply, "(o)", &op->collection);
  if (g_str_equal (op->collection, "/"))
    {
      /* No default keyring yet: libsecret's store creates it (asking
       * for its password), still bounded by the deadline. */
      run_next_step (task);
      return;
    }

  g_dbus_connection_call (op->bus, SECRET_BUS_NAME, op->collection,
                          "org.freedesktop.DBus.Properties", "Get",
                          g_variant_new ("(ss)", "org.freedesktop.Secret.Collection", "Locked"),
                          G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, DBUS_CALL_TIMEOUT_MS,
                          op_cancellable (task), locked_cb, g_object_ref (task));
}

static void
bus_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  op->bus = g_bus_get_finish (result, &error);
  if (op->returned)
    {
      g_clear_error (&error);
      return;
    }
  if (op->bus == NULL)
    {
      op_return_translated (task, error);
      return;
    }

  g_dbus_connection_call (op->bus, SECRET_BUS_NAME, SECRET_SERVICE_PATH, SECRET_SERVICE_IFACE, "ReadAlias",
                          g_variant_new ("(s)", "default"), G_VARIANT_TYPE ("(o)"),
                          G_DBUS_CALL_FLAGS_NONE, DBUS_CALL_TIMEOUT_MS, op_cancellable (task),
                          alias_cb, g_object_ref (task));
}

/**
 * ms_secret_service_op_new:
 * @source_tag: the public function the task is for
 * @timeout_ms: how long the whole operation may take, the time a person
 *   takes to answer an unlock prompt included
 *
 * Returns: (transfer full): a task that runs the steps added to it, once
 *   started, and returns a boolean, or the found #MsSecret for a lookup
 */
GTask *
ms_secret_service_op_new (gpointer             source_tag,
                          guint                timeout_ms,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Op *op = g_new0 (Op, 1);

  op->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) step_free);
  op->timeout_ms = timeout_ms;
  op->deadline = ms_deadline_new (timeout_ms, cancellable);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  /* Any error is returned through op_return(), translated once. */
  g_task_set_check_cancellable (task, FALSE);

  return task;
}

void
ms_secret_service_op_start (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  op->cancelled_id = g_cancellable_connect (ms_deadline_get_cancellable (op->deadline),
                                            G_CALLBACK (deadline_cancelled_cb),
                                            g_object_ref (task), g_object_unref);

  g_bus_get (G_BUS_TYPE_SESSION, op_cancellable (task), bus_cb, g_object_ref (task));
}

/* ---- adding steps -------------------------------------------------- */

void
ms_secret_service_op_add_store (GTask              *task,
                                const SecretSchema *schema,
                                GHashTable         *attributes,
                                const char         *label,
                                MsSecret           *password)
{
  Op *op = g_task_get_task_data (task);

  g_return_if_fail (op->password == NULL || op->password == password);

  if (op->password == NULL)
    op->password = ms_secret_ref (password);
  op_add_step (task, STEP_STORE, schema, attributes, label);
}

void
ms_secret_service_op_add_clear (GTask              *task,
                                const SecretSchema *schema,
                                GHashTable         *attributes)
{
  op_add_step (task, STEP_CLEAR, schema, attributes, NULL);
}

/* @address names the account in the not-found error. A lookup makes the
 * task return the found secret. */
void
ms_secret_service_op_add_lookup (GTask              *task,
                                 const SecretSchema *schema,
                                 GHashTable         *attributes,
                                 const char         *address)
{
  Op *op = g_task_get_task_data (task);

  g_return_if_fail (op->address == NULL);

  op->address = g_strdup (address);
  op_add_step (task, STEP_LOOKUP, schema, attributes, NULL);
}
