/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "app/koers-application.h"
#include "core/koers-i18n.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(KoersApplication) app = NULL;

  koers_i18n_init ();
  app = koers_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
