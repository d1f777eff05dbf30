/*
 * cli_sign.h: "ircase sign", and the checkpoint that close and sync add
 * through the same path.
 */
#ifndef IRC_CLI_SIGN_H
#define IRC_CLI_SIGN_H

#include <stdbool.h>
#include <stdint.h>

#include "cli.h"
#include "sign.h"

int cmd_sign(struct cli_ctx *ctx, int argc, char **argv);

/*
 * Signs the chain head of a case as the current user and prints one line:
 * the signed head on standard output (unless quiet), or, when no key is
 * available, the reason on standard error.  Returns CLI_EXIT_OK when it
 * signed or found the head already signed.  When it could not sign, it
 * returns CLI_EXIT_FAIL if required is true and CLI_EXIT_OK otherwise, so
 * close and sync carry on unsigned.
 */
int cli_sign_case(struct irc_db *db, int64_t case_id, enum irc_sign_mode mode,
    bool required, bool quiet);

#endif
