/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-cli-export.h: `koers-cli export`, the caseload or a table to CSV or XLSX. */
#pragma once

#include "cli/koers-cli-commands.h"

G_BEGIN_DECLS

int koers_cli_export (KoersCli *cli, int argc, char **argv);

G_END_DECLS
