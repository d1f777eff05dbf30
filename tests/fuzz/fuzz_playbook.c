/*
 * fuzz_playbook.c: libFuzzer target for the playbook loader.
 *
 * Feeds each input to irc_playbook_parse() with small limits, so deep
 * nesting and the size check are reached quickly, walks the result so
 * that every string the loader built is read once, checks that sub-steps
 * point back to an earlier step and that resolved links point into the
 * playbook, then lints it and converts it to a TheHive case template.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "playbook.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irc_pb_limits limits = { 65536, 32, 0 };
	struct irc_pb_diag *diags = NULL;
	size_t ndiags = 0;
	json_t *tpl;
	struct irc_playbook *pb = NULL;
	struct irc_error err;
	size_t total = 0;

	if (irc_playbook_parse("fuzz.md", (const char *)data, size, &limits,
	    &pb, &err) != IRC_OK)
		return 0;

	total += strlen(pb->title);
	for (int i = 0; i < IRC_PHASE_COUNT; i++) {
		for (size_t j = 0; j < pb->phases[i].nsteps; j++) {
			const struct irc_pb_step *s = &pb->phases[i].steps[j];

			total += strlen(s->title) + strlen(s->body);
			if (s->group != NULL)
				total += strlen(s->group);
			if (s->title[0] == '\0' || strchr(s->title, '\n') != NULL)
				__builtin_trap();
			if (s->parent >= (int)j || (s->parent < 0) != (s->depth == 0))
				__builtin_trap();
			total += strlen(s->anchor) + strlen(s->guidance);
		}
	}
	for (size_t i = 0; i < pb->nrefs; i++)
		total += strlen(pb->refs[i].title) + strlen(pb->refs[i].body);
	for (size_t i = 0; i < pb->nwarnings; i++)
		total += strlen(pb->warnings[i]);
	for (size_t i = 0; i < pb->nlinks; i++) {
		const struct irc_pb_anchor *a = pb->links[i].target;

		if (a == NULL || a->kind == IRC_PB_TARGET_NONE)
			continue;
		if (a->kind == IRC_PB_TARGET_STEP &&
		    a->index >= pb->phases[a->phase].nsteps)
			__builtin_trap();
		if (a->kind == IRC_PB_TARGET_REF && a->index >= pb->nrefs)
			__builtin_trap();
	}
	irc_playbook_lint(pb, &diags, &ndiags);
	irc_playbook_diags_free(diags, ndiags);
	tpl = irc_playbook_to_thehive(pb);
	json_decref(tpl);
	if (total == 0 && irc_playbook_step_count(pb) > 0)
		__builtin_trap();
	irc_playbook_free(pb);
	return 0;
}
