/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-cli: headless jobs on a Koers database. Everything but gettext lives in libkoers-core. */
#include "config.h"

#include <glib/gi18n.h>

#include "cli/koers-cli-commands.h"

#include "core/koers-i18n.h"

int
main (int argc, char **argv)
{
  koers_i18n_init ();
  return koers_cli_main (argc, argv);
}
