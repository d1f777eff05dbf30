/*
 * fuzz_scenario.c: libFuzzer target for the drill scenario parser.
 *
 * Feeds each input to irc_scenario_parse() and reads back every string
 * it built, checking the invariants that the drill code relies on:
 * injects sorted by offset, each with a message on one line, and the
 * error count matching the diagnostics.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irc_scenario *sc = NULL;
	struct irc_error err;
	size_t total = 0, errors = 0;

	if (irc_scenario_parse("fuzz.md", (const char *)data, size, &sc,
	    &err) != IRC_OK)
		return 0;
	for (size_t i = 0; i < sc->ninjects; i++) {
		const struct irc_inject *in = &sc->injects[i];

		total += strlen(in->text) + strlen(in->offset_text);
		if (in->text[0] == '\0' || strchr(in->text, '\n') != NULL)
			__builtin_trap();
		if (i > 0 && sc->injects[i - 1].offset_us > in->offset_us)
			__builtin_trap();
		if (in->offset_us < 0 || in->offset_us > IRC_SCENARIO_MAX_US)
			__builtin_trap();
	}
	for (size_t i = 0; i < sc->ntargets; i++)
		total += strlen(sc->targets[i].name);
	for (size_t i = 0; i < sc->ndiags; i++) {
		total += strlen(sc->diags[i].message);
		errors += sc->diags[i].error;
	}
	if (errors != sc->nerrors || total == SIZE_MAX)
		__builtin_trap();
	irc_scenario_free(sc);
	return 0;
}
