/* ms-deadline.c: a cancellable that also fires when a step takes too long
 *
 * GIO's async calls take a GCancellable but no timeout. A deadline gives a
 * step its own cancellable, cancelled by the caller's (the user pressed
 * Cancel) or by a timer; afterwards ms_deadline_check_error() turns the
 * timer's "cancelled" into G_IO_ERROR_TIMED_OUT so that the two are never
 * confused.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ms-deadline.h"

struct _MsDeadline
{
  GCancellable *cancellable;
  GCancellable *parent;
  gulong        parent_handler;
  GSource      *timer;
  guint         timeout_ms;
  gboolean      expired;
};

static gboolean
timer_expired_cb (gpointer user_data)
{
  MsDeadline *self = user_data;

  self->expired = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->timer, g_source_unref);

  return G_SOURCE_REMOVE;
}

static void
parent_cancelled_cb (GCancellable *parent,
                     GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
}

/**
 * ms_deadline_new:
 * @timeout_ms: how long the step may take; 0 for no limit
 * @parent: (nullable): the caller's cancellable
 *
 * The timer runs on the thread-default main context.
 */
MsDeadline *
ms_deadline_new (guint         timeout_ms,
                 GCancellable *parent)
{
  MsDeadline *self = g_new0 (MsDeadline, 1);

  self->cancellable = g_cancellable_new ();
  self->timeout_ms = timeout_ms;

  if (parent != NULL)
    {
      self->parent = g_object_ref (parent);
      self->parent_handler = g_cancellable_connect (parent, G_CALLBACK (parent_cancelled_cb),
                                                    g_object_ref (self->cancellable),
                                                    g_object_unref);
    }

  if (timeout_ms > 0)
    {
      self->timer = g_timeout_source_new (timeout_ms);
      g_source_set_callback (self->timer, timer_expired_cb, self, NULL);
      g_source_set_static_name (self->timer, "[mail-setup] step deadline");
      g_source_attach (self->timer, g_main_context_get_thread_default ());
    }

  return self;
}

GCancellable *
ms_deadline_get_cancellable (MsDeadline *self)
{
  return self->cancellable;
}

/**
 * ms_deadline_check_error:
 * @error: (inout): the step's error, if any
 *
 * Replaces a cancellation caused by the timer with %G_IO_ERROR_TIMED_OUT.
 *
 * Returns: %TRUE if the deadline expired
 */
gboolean
ms_deadline_check_error (MsDeadline  *self,
                         GError     **error)
{
  if (!self->expired || (self->parent != NULL && g_cancellable_is_cancelled (self->parent)))
    return FALSE;

  if (error != NULL && *error != NULL)
    {
      g_clear_error (error);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   "No answer within %u seconds", (self->timeout_ms + 999) / 1000);
    }

  return TRUE;
}

void
ms_deadline_free (MsDeadline *self)
{
  if (self == NULL)
    return;

  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_source_unref (self->timer);
    }
  if (self->parent != NULL)
    {
      g_cancellable_disconnect (self->parent, self->parent_handler);
      g_object_unref (self->parent);
    }
  g_object_unref (self->cancellable);
  g_free (self);
}
