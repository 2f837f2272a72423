/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `koers-server --database ... admin SUBCOMMAND ...`: organisations, users, devices and the
 * epoch, for the administrator at the server's console. Subcommands (Dutch, like the API):
 *
 *   organisatie-toevoegen NAAM               prints the new organisation id
 *   gebruiker-toevoegen --organisatie ID --gebruikersnaam U --naam N
 *                       --rol coach|ondersteuner|programmamanager
 *                                            reads the password from standard input (never
 *                                            from the command line: that ends up in the
 *                                            shell history and in ps); prints the user id
 *   gebruikers ORGANISATIE_ID                lists the organisation's users
 *   gebruiker-uitschakelen GEBRUIKER_ID      the user can no longer log in or use tokens
 *   gebruiker-inschakelen GEBRUIKER_ID       undoes that
 *   apparaat-intrekken APPARAAT_ID           revokes a device and all its tokens
 *   tijdperk-vernieuwen                      after restoring a backup: every client's cursor
 *                                            expires (410) and clients pull again from 0
 */
#pragma once

#include <gio/gio.h>

#include "server/koers-server-db.h"

G_BEGIN_DECLS

/* @argv[0] is the subcommand (the word after "admin"; a leading "admin" is skipped too).
 * Reads a password from the process's standard input (without echo on a terminal), prints
 * results on stdout and errors on stderr. Returns the process exit status: 0 done,
 * 1 refused or failed, 2 usage error. */
int  koers_server_admin_main (KoersServerDb  *db,
                              int             argc,
                              char          **argv);

/* The same, for tests: the password is the first line of @password_input (nullable: no
 * password available); @out and @err receive what would go to stdout and stderr. */
int  koers_server_admin_run  (KoersServerDb  *db,
                              int             argc,
                              char          **argv,
                              GInputStream   *password_input,
                              GString        *out,
                              GString        *err);

G_END_DECLS
