/*
 * cmd_playbook.c: "ircase playbook", which lists, shows and lints
 * Markdown playbooks and converts TheHive case templates to and from
 * them.  Nothing here opens the database.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mem.h"
#include "model.h"
#include "playbook.h"
#include "sanitize.h"

static const char playbook_options[] =
    "Subcommands:\n"
    "  list                     playbooks on the search path, with title,\n"
    "                           version, steps and lint status\n"
    "  show FILE [--json]       phases, steps and reference panes with\n"
    "                           their source lines\n"
    "  lint FILE...             FILE:LINE: warning|error: MESSAGE lines;\n"
    "                           exit 1 when any error\n"
    "  import-thehive TEMPLATE.json [-o FILE]\n"
    "                           a Markdown playbook from a TheHive case\n"
    "                           template (standard output without -o\n"
    "                           or with -o -)\n"
    "  export-thehive FILE [-o FILE]\n"
    "                           a TheHive case template from a playbook\n"
    "\n"
    "Options:\n"
    "  --max-size BYTES  largest playbook read (default: playbooks.max_size\n"
    "                    of config.yaml, else 4194304, 4 MiB)\n"
    "  --part N          in a file holding several playbooks, load the\n"
    "                    Nth (default 1)\n"
    "  --json            show: print JSON\n"
    "  -o FILE           import-thehive, export-thehive: write FILE\n"
    "                    ('-': standard output)\n";

struct pb_opts {
	struct irc_pb_limits limits;
	bool json;
	const char *output;
};

/*
 * Parses the options after the subcommand name.  Returns -1 when parsing
 * went well, or the exit status to return.
 */
static int
opts_parse(struct cli_ctx *ctx, int argc, char **argv, struct pb_opts *o)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, CLI_OPT_DB },
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ "max-size", required_argument, NULL, 'm' },
		{ "part", required_argument, NULL, 'p' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	long n;
	int c;

	memset(o, 0, sizeof *o);
	while ((c = getopt_long(argc, argv, ":ho:", longopts, NULL)) != -1) {
		switch (c) {
		case CLI_OPT_DB:
			ctx->db_path = optarg;
			break;
		case 'h':
			cli_help(ctx, stdout, playbook_options);
			return CLI_EXIT_OK;
		case 'j':
			o->json = true;
			break;
		case 'm':
			if (!cli_parse_int(ctx, "--max-size", optarg, 1,
			    LONG_MAX, &n))
				return CLI_EXIT_USAGE;
			o->limits.max_size = (size_t)n;
			break;
		case 'p':
			if (!cli_parse_int(ctx, "--part", optarg, 1, 1000, &n))
				return CLI_EXIT_USAGE;
			o->limits.part = (int)n;
			break;
		case 'o':
			o->output = cli_output_path(optarg);
			break;
		default:
			return cli_bad_option(ctx, c, argv);
		}
	}
	return -1;
}

static void
print_clean(const char *text)
{
	cli_print_clean(stdout, text, 0);
}

/* "ircase playbook list" */
static int
playbook_list(const struct pb_opts *o)
{
	struct irc_error err;
	char **paths = NULL;
	size_t count = 0;

	if (irc_playbook_find(&paths, &count, &err) != IRC_OK)
		return cli_fail(&err);
	if (count == 0) {
		irc_playbook_paths_free(paths);
		printf("no playbooks on the search path; see "
		    "IRCASE_PLAYBOOK_PATH in ircase(1)\n");
		return CLI_EXIT_OK;
	}
	for (size_t i = 0; i < count; i++) {
		struct irc_playbook *pb = NULL;
		struct irc_pb_diag *diags = NULL;
		size_t ndiags = 0, warnings = 0, errors = 0;

		print_clean(paths[i]);
		if (irc_playbook_load(paths[i], &o->limits, &pb, &err) != IRC_OK) {
			fputs("\n  error: ", stdout);
			print_clean(err.msg);
			fputs("\n", stdout);
			continue;
		}
		irc_playbook_lint(pb, &diags, &ndiags);
		for (size_t k = 0; k < ndiags; k++) {
			if (diags[k].error)
				errors++;
			else
				warnings++;
		}
		fputs("\n  ", stdout);
		print_clean(pb->title);
		printf("  version %s", pb->version != NULL ? "" : "-");
		if (pb->version != NULL)
			print_clean(pb->version);
		printf(", %zu steps, ", irc_playbook_step_count(pb));
		if (errors == 0 && warnings == 0)
			printf("lint clean\n");
		else
			printf("lint: %zu error%s, %zu warning%s\n", errors,
			    errors == 1 ? "" : "s", warnings,
			    warnings == 1 ? "" : "s");
		irc_playbook_diags_free(diags, ndiags);
		irc_playbook_free(pb);
	}
	irc_playbook_paths_free(paths);
	return CLI_EXIT_OK;
}

/* Prints the phases, steps and reference panes of pb as text. */
static void
show_text(const struct irc_playbook *pb)
{
	print_clean(pb->title);
	if (pb->version != NULL) {
		fputs(" (version ", stdout);
		print_clean(pb->version);
		fputs(")", stdout);
	}
	printf("\n");
	if (pb->nparts > 1) {
		printf("part %d of %zu in ", pb->part, pb->nparts);
		print_clean(pb->path);
		printf("\n");
	}
	for (int p = 0; p < IRC_PHASE_COUNT; p++) {
		const struct irc_pb_phase *ph = &pb->phases[p];
		const char *group = NULL;
		size_t n = 0;

		printf("\n%s", irc_phase_name(p));
		for (size_t h = 0; h < pb->nheadings; h++) {
			if (pb->headings[h].phase != (enum irc_phase)p)
				continue;
			printf("%s\"", n++ == 0 ? " from " : ", ");
			print_clean(pb->headings[h].text);
			printf("\" (line %d)", pb->headings[h].line);
		}
		printf(": %zu step%s\n", ph->nsteps, ph->nsteps == 1 ? "" : "s");
		n = 0;
		for (size_t i = 0; i < ph->nsteps; i++) {
			const struct irc_pb_step *s = &ph->steps[i];

			if (s->depth == 0 && s->group != NULL &&
			    (group == NULL || strcmp(group, s->group) != 0)) {
				printf("  ");
				print_clean(s->group);
				printf("\n");
			}
			if (s->depth == 0)
				group = s->group;
			if (s->depth > 0)
				printf("  %*s   %s ", 2 * (s->depth > 8 ? 8 :
				    s->depth), "", s->checked ? "[x]" : "[ ]");
			else
				printf("  %4zu. %s", ++n, s->checked ? "[x] " : "");
			print_clean(s->title);
			printf("  (line %d%s)\n", s->line, s->stub ?
			    ", not yet written" : "");
		}
	}
	if (pb->nrefs > 0)
		printf("\nReference panes:\n");
	for (size_t i = 0; i < pb->nrefs; i++) {
		printf("  ");
		print_clean(pb->refs[i].title);
		printf("  (line %d)\n", pb->refs[i].line);
	}
}

static json_t *
json_str(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *
step_json(const struct irc_pb_step *s, size_t n)
{
	return json_pack("{s:I, s:o, s:i, s:i, s:i, s:o, s:b, s:b, s:o, s:o, "
	    "s:o}", "n", (json_int_t)n, "title", json_str(s->title),
	    "line", s->line, "parent", s->parent >= 0 ? s->parent + 1 : 0,
	    "depth", s->depth, "group", json_str(s->group),
	    "checked", s->checked, "stub", s->stub, "anchor",
	    json_str(s->anchor), "guidance", json_str(s->guidance),
	    "body", json_str(s->body));
}

static json_t *
strings_json(char **list, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_str(list[i]));
	return a;
}

static const char *
target_name(enum irc_pb_target kind)
{
	switch (kind) {
	case IRC_PB_TARGET_PHASE:
		return "phase";
	case IRC_PB_TARGET_STEP:
		return "step";
	case IRC_PB_TARGET_REF:
		return "reference";
	default:
		return "none";
	}
}

static json_t *
show_json(const struct irc_playbook *pb)
{
	json_t *root, *phases = json_array(), *refs = json_array();
	json_t *links = json_array(), *warnings = json_array();

	for (int p = 0; p < IRC_PHASE_COUNT; p++) {
		const struct irc_pb_phase *ph = &pb->phases[p];
		json_t *steps = json_array(), *heads = json_array();

		for (size_t h = 0; h < pb->nheadings; h++) {
			if (pb->headings[h].phase != (enum irc_phase)p)
				continue;
			json_array_append_new(heads, json_pack("{s:o, s:i}",
			    "text", json_str(pb->headings[h].text), "line",
			    pb->headings[h].line));
		}
		for (size_t i = 0; i < ph->nsteps; i++)
			json_array_append_new(steps, step_json(&ph->steps[i],
			    i + 1));
		json_array_append_new(phases, json_pack("{s:s, s:s, s:o, s:o}",
		    "key", irc_phase_key(p), "name", irc_phase_name(p),
		    "headings", heads, "steps", steps));
	}
	for (size_t i = 0; i < pb->nrefs; i++) {
		json_array_append_new(refs, json_pack("{s:o, s:i, s:o, s:o}",
		    "title", json_str(pb->refs[i].title), "line",
		    pb->refs[i].line, "anchor", json_str(pb->refs[i].anchor),
		    "body", json_str(pb->refs[i].body)));
	}
	for (size_t i = 0; i < pb->nlinks; i++) {
		const struct irc_pb_anchor *t = pb->links[i].target;
		json_t *target = json_null();

		if (t != NULL && t->kind != IRC_PB_TARGET_NONE) {
			target = json_pack("{s:s, s:s, s:I}", "kind",
			    target_name(t->kind), "phase", irc_phase_key(t->phase),
			    "index", (json_int_t)(t->index + 1));
		}
		json_array_append_new(links, json_pack("{s:o, s:i, s:o}",
		    "anchor", json_str(pb->links[i].slug), "line",
		    pb->links[i].line, "target", target));
	}
	for (size_t i = 0; i < pb->nwarnings; i++)
		json_array_append_new(warnings, json_str(pb->warnings[i]));
	root = json_pack("{s:o, s:o, s:o, s:o, s:o, s:i, s:o, s:o, s:s, s:I, "
	    "s:i, s:I, s:o, s:o, s:o, s:o}",
	    "path", json_str(pb->path), "title", json_str(pb->title),
	    "id", json_str(pb->id), "version", json_str(pb->version),
	    "tlp", json_str(pb->tlp), "severity", pb->severity,
	    "tags", strings_json(pb->tags, pb->ntags),
	    "iso_controls", strings_json(pb->iso_controls, pb->niso),
	    "sha256", pb->sha256,
	    "parts", (json_int_t)(pb->nparts > 1 ? pb->nparts : 1),
	    "part", pb->part > 0 ? pb->part : 1,
	    "steps", (json_int_t)irc_playbook_step_count(pb),
	    "phases", phases, "references", refs, "links", links,
	    "warnings", warnings);
	return root;
}

static int
playbook_show(const struct pb_opts *o, const char *path)
{
	struct irc_playbook *pb = NULL;
	struct irc_error err;
	json_t *json;
	bool ok;

	if (irc_playbook_load(path, &o->limits, &pb, &err) != IRC_OK)
		return cli_fail(&err);
	if (o->json) {
		json = show_json(pb);
		ok = json != NULL && cli_json_print(json, stdout);
		json_decref(json);
		irc_playbook_free(pb);
		return ok ? CLI_EXIT_OK : cli_failf("cannot write the JSON of "
		    "%s", path);
	}
	show_text(pb);
	irc_playbook_free(pb);
	return CLI_EXIT_OK;
}

/*
 * Prints a load error as "FILE:LINE: error: MESSAGE".  Messages from the
 * loader start with "FILE:LINE: " or "FILE: ".
 */
static void
lint_load_error(const char *path, const char *msg)
{
	size_t n = strlen(path);
	const char *rest = msg;
	long line = 1;

	if (strncmp(msg, path, n) == 0 && msg[n] == ':') {
		char *end;

		rest = msg + n + 1;
		errno = 0;
		line = strtol(rest, &end, 10);
		if (end != rest && *end == ':' && errno == 0 && line > 0)
			rest = end + 1;
		else
			line = 1;
		rest += strspn(rest, " ");
	}
	print_clean(path);
	printf(":%ld: error: ", line);
	print_clean(rest);
	printf("\n");
}

static int
playbook_lint(const struct pb_opts *o, int argc, char **argv)
{
	int status = CLI_EXIT_OK;

	for (int i = 0; i < argc; i++) {
		struct irc_playbook *pb = NULL;
		struct irc_pb_diag *diags = NULL;
		struct irc_error err;
		size_t n = 0;

		if (irc_playbook_load(argv[i], &o->limits, &pb, &err) != IRC_OK) {
			lint_load_error(argv[i], err.msg);
			status = CLI_EXIT_FAIL;
			continue;
		}
		irc_playbook_lint(pb, &diags, &n);
		for (size_t k = 0; k < n; k++) {
			print_clean(argv[i]);
			printf(":%d: %s: ", diags[k].line, diags[k].error ?
			    "error" : "warning");
			print_clean(diags[k].message);
			printf("\n");
			if (diags[k].error)
				status = CLI_EXIT_FAIL;
		}
		irc_playbook_diags_free(diags, n);
		irc_playbook_free(pb);
	}
	return status;
}

/* Writes text to path, or to standard output when path is NULL. */
static int
output_write(const char *path, const char *text, size_t len)
{
	FILE *f = stdout;

	if (path != NULL && (f = fopen(path, "wx")) == NULL) {
		if (errno == EEXIST)
			return cli_failf("%s: already exists; remove it or give "
			    "another -o file", path);
		return cli_failf("%s: cannot create: %s", path,
		    strerror(errno));
	}
	if (fwrite(text, 1, len, f) != len || (f != stdout && fclose(f) != 0)) {
		int saved = errno;

		if (path != NULL)
			remove(path);
		return cli_failf("%s: write failed: %s", path != NULL ? path :
		    "standard output", strerror(saved));
	}
	return CLI_EXIT_OK;
}

/* Reads a whole file of at most max bytes; NULL after printing the error. */
static char *
file_read(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;

	if (f == NULL) {
		cli_failf("%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	buf = irc_xmalloc(max + 1);
	*len = fread(buf, 1, max + 1, f);
	if (ferror(f) || *len > max) {
		cli_failf("%s: %s", path, ferror(f) ? "read failed" :
		    "larger than the size limit; give --max-size");
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[*len] = '\0';
	return buf;
}

static int
thehive_import(const struct pb_opts *o, const char *path)
{
	struct irc_error err;
	size_t len;
	char *json, *md = NULL;
	int rc;

	json = file_read(path, o->limits.max_size != 0 ? o->limits.max_size :
	    IRC_PLAYBOOK_MAX_SIZE, &len);
	if (json == NULL)
		return CLI_EXIT_FAIL;
	if (irc_playbook_from_thehive(path, json, len, &md, &err) != IRC_OK) {
		free(json);
		return cli_fail(&err);
	}
	rc = output_write(o->output, md, strlen(md));
	free(md);
	free(json);
	return rc;
}

static int
thehive_export(const struct pb_opts *o, const char *path)
{
	struct irc_playbook *pb = NULL;
	struct irc_error err;
	json_t *tpl;
	char *text;
	int rc;

	if (irc_playbook_load(path, &o->limits, &pb, &err) != IRC_OK)
		return cli_fail(&err);
	tpl = irc_playbook_to_thehive(pb);
	irc_playbook_free(pb);
	text = tpl != NULL ? json_dumps(tpl, JSON_INDENT(2) |
	    JSON_PRESERVE_ORDER) : NULL;
	json_decref(tpl);
	if (text == NULL)
		return cli_failf("%s: cannot encode the case template", path);
	rc = output_write(o->output, text, strlen(text));
	if (rc == CLI_EXIT_OK && o->output == NULL)
		fputc('\n', stdout);
	free(text);
	return rc;
}

int
cmd_playbook(struct cli_ctx *ctx, int argc, char **argv)
{
	struct pb_opts o;
	struct irc_error err;
	const char *sub;
	int rc, nargs;
	char **args;

	cli_getopt_reset();
	if ((rc = opts_parse(ctx, argc, argv, &o)) >= 0)
		return rc;
	if (optind >= argc)
		return cli_usage_error(ctx, "no subcommand given; use list, "
		    "show, lint, import-thehive or export-thehive");
	irc_error_clear(&err);
	if (!cli_playbook_limits(&o.limits, &err))
		return cli_fail(&err);
	sub = argv[optind];
	args = argv + optind + 1;
	nargs = argc - optind - 1;

	if (strcmp(sub, "list") == 0) {
		if (nargs > 0)
			return cli_usage_error(ctx, "list takes no file names; "
			    "it reads the search path");
		return playbook_list(&o);
	}
	if (strcmp(sub, "show") == 0 || strcmp(sub, "import-thehive") == 0 ||
	    strcmp(sub, "export-thehive") == 0) {
		if (nargs != 1)
			return cli_usage_error(ctx, "%s takes one file name, "
			    "not %d", sub, nargs);
		if (strcmp(sub, "show") == 0)
			return playbook_show(&o, args[0]);
		if (strcmp(sub, "import-thehive") == 0)
			return thehive_import(&o, args[0]);
		return thehive_export(&o, args[0]);
	}
	if (strcmp(sub, "lint") == 0) {
		if (nargs == 0)
			return cli_usage_error(ctx, "lint needs at least one "
			    "playbook file");
		return playbook_lint(&o, nargs, args);
	}
	return cli_usage_error(ctx, "unknown subcommand '%s'; use list, "
	    "show, lint, import-thehive or export-thehive", sub);
}
