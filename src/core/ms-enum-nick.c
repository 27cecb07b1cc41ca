/* ms-enum-nick.c: stable names of enum values, from the generated GEnum/GFlags types
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ms-enum-nick.h"

/* The classes of static types live as long as the process: one reference,
 * never dropped, makes the nicks plain static strings for the callers. */
static gpointer
class_ref (GType type)
{
  gpointer klass = g_type_class_peek (type);

  return klass != NULL ? klass : g_type_class_ref (type);
}

/**
 * ms_enum_nick_get:
 *
 * Returns: (nullable): the nick of @value, static; %NULL (with a critical)
 *   when @enum_type has no such value
 */
const char *
ms_enum_nick_get (GType enum_type,
                  int   value)
{
  GEnumValue *enum_value;

  g_return_val_if_fail (G_TYPE_IS_ENUM (enum_type), NULL);

  enum_value = g_enum_get_value (class_ref (enum_type), value);
  g_return_val_if_fail (enum_value != NULL, NULL);

  return enum_value->value_nick;
}

/**
 * ms_enum_nick_lookup:
 * @value: (out): the value named @nick; untouched when there is none
 *
 * Returns: whether @nick names a value of @enum_type
 */
gboolean
ms_enum_nick_lookup (GType            enum_type,
                     const char      *nick,
                     MsEnumNickMatch  match,
                     int             *value)
{
  GEnumClass *klass;

  g_return_val_if_fail (G_TYPE_IS_ENUM (enum_type), FALSE);
  g_return_val_if_fail (nick != NULL, FALSE);

  klass = class_ref (enum_type);
  for (guint i = 0; i < klass->n_values; i++)
    {
      const char *candidate = klass->values[i].value_nick;

      if (match == MS_ENUM_NICK_IGNORE_CASE ? g_ascii_strcasecmp (nick, candidate) == 0
                                            : g_str_equal (nick, candidate))
        {
          *value = klass->values[i].value;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * ms_flags_nick_strv:
 *
 * Returns: (transfer full): the nicks of the flags set in @value, lowest
 *   bit first; the value 0 has none
 */
GStrv
ms_flags_nick_strv (GType flags_type,
                    guint value)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GFlagsClass *klass;

  g_return_val_if_fail (G_TYPE_IS_FLAGS (flags_type), NULL);

  klass = class_ref (flags_type);
  for (guint i = 0; i < klass->n_values; i++)
    {
      guint bit = klass->values[i].value;

      if (bit != 0 && (bit & (bit - 1)) == 0 && (value & bit) != 0)
        g_strv_builder_add (builder, klass->values[i].value_nick);
    }

  return g_strv_builder_end (builder);
}
