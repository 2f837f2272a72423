/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "participant/koers-participant-display.h"

#include "core/koers-date.h"
#include "core/koers-i18n.h"

#include <string.h>

char *
koers_display_isolate (const char *text)
{
  return g_strconcat (KOERS_FSI, text != NULL ? text : "", KOERS_PDI, NULL);
}

char *
koers_display_participant_name (KoersParticipant *participant)
{
  const char *name;
  const char *preferred;
  g_autofree char *name_iso = NULL;
  g_autofree char *preferred_iso = NULL;

  g_return_val_if_fail (KOERS_IS_PARTICIPANT (participant), NULL);

  name = koers_participant_get_name (participant);
  preferred = koers_participant_get_preferred_name (participant);
  name_iso = koers_display_isolate (name);
  if (preferred == NULL || *preferred == '\0' || g_strcmp0 (preferred, name) == 0)
    return g_steal_pointer (&name_iso);

  preferred_iso = koers_display_isolate (preferred);
  /* Translators: a participant's name followed by the name they prefer to be called */
  return g_strdup_printf (_("%s (%s)"), name_iso, preferred_iso);
}

char *
koers_display_date (const char *iso, const char *fallback)
{
  if (iso == NULL || *iso == '\0')
    return g_strdup (fallback);
  return koers_date_format (iso, koers_locale_style_current ());
}

char *
koers_display_timestamp_date (const char *timestamp)
{
  g_autofree char *date = NULL;

  if (timestamp == NULL || strlen (timestamp) < 10)
    return g_strdup (timestamp);
  date = g_strndup (timestamp, 10);
  return koers_date_format (date, koers_locale_style_current ());
}
