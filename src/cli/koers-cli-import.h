/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-cli-import.h: `koers-cli import FILE`, the headless form of the import dialog. */
#pragma once

#include "cli/koers-cli-commands.h"

G_BEGIN_DECLS

int koers_cli_import (KoersCli *cli, int argc, char **argv);

G_END_DECLS
