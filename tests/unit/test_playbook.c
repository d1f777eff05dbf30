/*
 * test_playbook.c: the Markdown playbook loader.
 *
 * The small files under tests/data/playbooks/ each exercise one layout
 * (line ends, front matter, code fences, quoted task lists, bold titles).
 * The real playbooks under $IRCASE_SHARED/playbooks-real are read in place
 * and must load with the phase counts listed here.  Files for the error
 * cases are made in a temporary folder at run time.
 */
#include "unit.h"

#include <sys/stat.h>

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include "playbook.h"

static char *
data_path(const char *rel)
{
	const char *top = getenv("IRCASE_TOP");
	char *path;
	size_t n;

	if (top == NULL || *top == '\0')
		top = ".";
	n = strlen(top) + strlen(rel) + 2;
	path = malloc(n);
	assert_non_null(path);
	snprintf(path, n, "%s/%s", top, rel);
	return path;
}

/* Loads a file under the repository and fails the test when it cannot. */
static struct irc_playbook *
load_ok(const char *rel)
{
	struct irc_playbook *pb = NULL;
	struct irc_error err;
	char *path = data_path(rel);
	enum irc_status status;

	status = irc_playbook_load(path, NULL, &pb, &err);
	if (status != IRC_OK)
		print_error("%s\n", err.msg);
	assert_int_equal(status, IRC_OK);
	assert_non_null(pb);
	free(path);
	return pb;
}

static const struct irc_pb_step *
step_at(const struct irc_playbook *pb, enum irc_phase phase, size_t i)
{
	assert_true(i < pb->phases[phase].nsteps);
	return &pb->phases[phase].steps[i];
}

static void
assert_counts(const struct irc_playbook *pb, const size_t want[IRC_PHASE_COUNT])
{
	for (int i = 0; i < IRC_PHASE_COUNT; i++) {
		if (pb->phases[i].nsteps != want[i])
			print_error("%s: %s has %zu steps, expected %zu\n",
			    pb->path, irc_phase_name(i), pb->phases[i].nsteps,
			    want[i]);
		assert_int_equal(pb->phases[i].nsteps, want[i]);
		assert_int_equal(pb->phases[i].phase, i);
	}
}

static bool
has_warning(const struct irc_playbook *pb, const char *part)
{
	for (size_t i = 0; i < pb->nwarnings; i++) {
		if (strstr(pb->warnings[i], part) != NULL)
			return true;
	}
	return false;
}

/* A temporary folder for files made at run time. */
static char *
temp_dir(void)
{
	char tmpl[] = "/tmp/ircase-pb.XXXXXX";
	char *dir = mkdtemp(tmpl);

	assert_non_null(dir);
	return strdup(dir);
}

static char *
write_file(const char *dir, const char *name, const char *data, size_t len)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *path = malloc(n);
	FILE *f;

	assert_non_null(path);
	snprintf(path, n, "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return path;
}

/* Returns true when a line outside code fences starts a list item. */
static bool
file_has_list_items(const char *path)
{
	char line[8192];
	bool fence = false, found = false;
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	while (!found && fgets(line, sizeof line, f) != NULL) {
		const char *p = line + strspn(line, " \t>");

		if (strncmp(p, "```", 3) == 0 || strncmp(p, "~~~", 3) == 0) {
			fence = !fence;
			continue;
		}
		if (fence)
			continue;
		if ((p[0] == '-' || p[0] == '*' || p[0] == '+') &&
		    (p[1] == ' ' || p[1] == '\t'))
			found = true;
		p += strspn(p, "0123456789");
		if (p > line && (p[0] == '.' || p[0] == ')') &&
		    (p[1] == ' ' || p[1] == '\t') && p[-1] >= '0' && p[-1] <= '9')
			found = true;
	}
	fclose(f);
	return found;
}

struct real_case {
	const char *file;
	size_t counts[IRC_PHASE_COUNT];	/* Prepare ... Evidence */
};

static const struct real_case real_cases[] = {
	{ "SOURCES.md", { 0, 0, 0, 0, 0, 0 } },
	{ "austinsonger__Account_Takeover_ATO_Checklist.md", { 0, 0, 0, 58, 0, 0 } },
	{ "austinsonger__BattleCard-T1486-Ransomware.md", { 0, 0, 0, 0, 0, 0 } },
	{ "austinsonger__Linux-Intrusion-Detection.md", { 0, 0, 1, 11, 0, 0 } },
	{ "austinsonger__PE05-online-and-offline-backups.md", { 0, 0, 0, 0, 0, 0 } },
	{ "austinsonger__T1048-Exfiltration-Over-Alternative-Protocol.md", { 0, 0, 4, 44, 12, 0 } },
	{ "austinsonger__T1550.002-Lateral_Movement_-_Pass_the_Hash.md", { 6, 0, 2, 15, 2, 0 } },
	{ "aws-irp__EC2MalwareFindings.md", { 0, 0, 0, 10, 5, 16 } },
	{ "aws-irp__IRP-PersonalDataBreach.md", { 25, 0, 27, 67, 42, 0 } },
	{ "aws-irp__ai-playbooks_README.md", { 0, 0, 0, 11, 0, 0 } },
	{ "aws-irp__runbook_sample_-_credential_leakage.md", { 0, 0, 0, 12, 5, 7 } },
	{ "counteractive__playbook-identity-and-access.md", { 0, 0, 2, 15, 0, 0 } },
	{ "counteractive__playbook-phishing.md", { 0, 0, 7, 29, 0, 0 } },
	{ "guardsight__GSPBC-1000_-_Impact_-_Data_Encrypted_For_Impact_-_Ransomware.md", { 18, 0, 2, 20, 4, 0 } },
	{ "guardsight__GSPBC-1063_-_Execution_-_Scheduled_Task_or_Job.md", { 9, 0, 2, 19, 4, 0 } },
	{ "jamesduffy__Runbook.md", { 0, 4, 6, 5, 2, 0 } },
	{ "pagerduty__during_an_incident.md", { 0, 0, 0, 30, 0, 0 } },
	{ "pagerduty__security_incident_response.md", { 0, 0, 11, 53, 0, 4 } },
};

static const struct real_case *
real_case_find(const char *file)
{
	for (size_t i = 0; i < sizeof real_cases / sizeof real_cases[0]; i++) {
		if (strcmp(real_cases[i].file, file) == 0)
			return &real_cases[i];
	}
	return NULL;
}

static void
real_playbooks_load(void **state)
{
	char *dir = unit_shared_path("playbooks-real");
	struct dirent *de;
	size_t loaded = 0;
	DIR *d;

	(void)state;
	if (dir == NULL) {
		print_message("IRCASE_SHARED is not set; skipping the real "
		    "playbooks\n");
		skip();
	}
	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);
		const struct real_case *want;
		struct irc_playbook *pb = NULL;
		struct irc_error err;
		char path[4096];

		if (n < 4 || strcmp(de->d_name + n - 3, ".md") != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		if (irc_playbook_load(path, NULL, &pb, &err) != IRC_OK)
			print_error("%s\n", err.msg);
		assert_non_null(pb);
		assert_non_null(pb->title);
		assert_true(pb->title[0] != '\0');
		assert_int_equal(strlen(pb->sha256), 64);
		if (file_has_list_items(path) && irc_playbook_step_count(pb) == 0)
			print_error("%s has list items but no steps\n", path);
		if (file_has_list_items(path))
			assert_true(irc_playbook_step_count(pb) > 0);
		want = real_case_find(de->d_name);
		if (want != NULL)
			assert_counts(pb, want->counts);
		for (int i = 0; i < IRC_PHASE_COUNT; i++) {
			for (size_t j = 0; j < pb->phases[i].nsteps; j++) {
				const struct irc_pb_step *s = &pb->phases[i].steps[j];

				assert_true(s->title[0] != '\0');
				assert_null(strchr(s->title, '\n'));
				assert_true(strlen(s->title) <= 200);
				assert_non_null(s->body);
				assert_true(s->line > 0);
			}
		}
		irc_playbook_free(pb);
		loaded++;
	}
	closedir(d);
	assert_true(loaded >= 17);
	free(dir);
}

static void
real_runbook_quoted_tasks(void **state)
{
	char *path = unit_shared_path("playbooks-real/jamesduffy__Runbook.md");
	struct irc_playbook *pb = NULL;
	struct irc_error err;

	(void)state;
	if (path == NULL) {
		print_message("IRCASE_SHARED is not set; skipping\n");
		skip();
	}
	assert_int_equal(irc_playbook_load(path, NULL, &pb, &err), IRC_OK);
	assert_string_equal(pb->title, "Runbook");
	assert_string_equal(step_at(pb, IRC_PHASE_REPORT, 0)->title,
	    "Acknowledge the Alert");
	assert_string_equal(step_at(pb, IRC_PHASE_ASSESS, 1)->title,
	    "Gather Initial Information");
	assert_string_equal(step_at(pb, IRC_PHASE_ASSESS, 2)->title,
	    "What is currently not working?");
	assert_string_equal(step_at(pb, IRC_PHASE_LEARN, 0)->title,
	    "Schedule a Post-Incident Review");
	irc_playbook_free(pb);
	free(path);
}

static void
real_guardsight_bold_phases(void **state)
{
	char *path = unit_shared_path("playbooks-real/guardsight__GSPBC-1063_-_"
	    "Execution_-_Scheduled_Task_or_Job.md");
	struct irc_playbook *pb = NULL;
	struct irc_error err;

	(void)state;
	if (path == NULL) {
		print_message("IRCASE_SHARED is not set; skipping\n");
		skip();
	}
	assert_int_equal(irc_playbook_load(path, NULL, &pb, &err), IRC_OK);
	assert_string_equal(pb->title, "CIRT Playbook Battle Card: GSPBC-1063 "
	    "- Execution - Scheduled Task or Job");
	assert_int_equal(pb->nrefs, 2);
	assert_string_equal(pb->refs[0].title, "References");
	irc_playbook_free(pb);
	free(path);
}

static void
crlf_line_ends(void **state)
{
	struct irc_playbook *pb = load_ok("tests/data/playbooks/crlf.md");
	const size_t want[] = { 0, 0, 0, 2, 1, 0 };

	(void)state;
	assert_counts(pb, want);
	assert_string_equal(pb->title, "CRLF playbook");
	assert_string_equal(step_at(pb, IRC_PHASE_RESPOND, 0)->title,
	    "Isolate the host");
	assert_int_equal(step_at(pb, IRC_PHASE_RESPOND, 1)->line, 6);
	assert_string_equal(step_at(pb, IRC_PHASE_LEARN, 0)->title,
	    "Hold a review");
	assert_int_equal(step_at(pb, IRC_PHASE_LEARN, 0)->line, 10);
	/* The raw bytes are kept, CRs included. */
	assert_non_null(strstr(pb->text, "\r\n"));
	irc_playbook_free(pb);
}

static void
lone_cr_line_ends(void **state)
{
	struct irc_playbook *pb = load_ok("tests/data/playbooks/lone-cr.md");
	const size_t want[] = { 0, 0, 2, 1, 0, 0 };

	(void)state;
	assert_counts(pb, want);
	assert_string_equal(pb->title, "Lone CR playbook");
	assert_string_equal(step_at(pb, IRC_PHASE_ASSESS, 1)->title,
	    "Find the first alert");
	assert_int_equal(step_at(pb, IRC_PHASE_ASSESS, 1)->line, 6);
	assert_int_equal(step_at(pb, IRC_PHASE_RESPOND, 0)->line, 10);
	irc_playbook_free(pb);
}

static void
bom_is_dropped(void **state)
{
	struct irc_playbook *pb = load_ok("tests/data/playbooks/bom.md");
	const size_t want[] = { 1, 0, 0, 1, 0, 0 };

	(void)state;
	assert_string_equal(pb->title, "BOM playbook");
	assert_counts(pb, want);
	assert_string_equal(step_at(pb, IRC_PHASE_PREPARE, 0)->title,
	    "Keep contacts current");
	assert_int_equal((unsigned char)pb->text[0], 0xEF);
	irc_playbook_free(pb);
}

static void
tab_indented_lists(void **state)
{
	struct irc_playbook *pb = load_ok("tests/data/playbooks/tabs.md");
	const struct irc_pb_step *s;

	(void)state;
	assert_int_equal(pb->phases[IRC_PHASE_RESPOND].nsteps, 3);
	s = step_at(pb, IRC_PHASE_RESPOND, 0);
	assert_string_equal(s->title, "Disconnect the laptop");
	assert_non_null(strstr(s->body, "Unplug the network cable"));
	assert_non_null(strstr(s->body, "Turn off Wi-Fi"));
	assert_string_equal(step_at(pb, IRC_PHASE_RESPOND, 1)->title,
	    "Disable the account");
	assert_string_equal(step_at(pb, IRC_PHASE_RESPOND, 2)->title,
	    "Reimage the laptop");
	irc_playbook_free(pb);
}

static void
front_matter_keys(void **state)
{
	struct irc_playbook *pb = load_ok("tests/data/playbooks/front-matter.md");
	const size_t want[] = { 1, 0, 0, 1, 0, 0 };
	const struct irc_pb_step *s;

	(void)state;
	assert_string_equal(pb->id, "pb-test-001");
	assert_string_equal(pb->title, "Front matter test");
	assert_string_equal(pb->version, "1.2");
	assert_int_equal(pb->severity, 3);
	assert_int_equal(pb->ntags, 2);
	assert_string_equal(pb->tags[0], "phishing");
	assert_string_equal(pb->tags[1], "email");
	assert_counts(pb, want);
	/* Step lines are file lines, front matter included. */
	s = step_at(pb, IRC_PHASE_PREPARE, 0);
	assert_int_equal(s->line, 15);
	assert_false(s->checked);
	s = step_at(pb, IRC_PHASE_RESPOND, 0);
	assert_int_equal(s->line, 19);
	assert_true(s->checked);
	irc_playbook_free(pb);
}

static void
front_matter_errors(void **state)
{
	static const struct {
		const char *text;
		const char *where;	/* expected in the message */
	} cases[] = {
		{ "---\ntitle: [unclosed\n---\n- a\n", "bad.md:" },
		{ "---\nseverity: 7\n---\n", "bad.md:2:" },
		{ "---\ntitle: ok\nseverity: urgent\n---\n", "bad.md:3:" },
		{ "---\ntitle: [a, b]\n---\n", "bad.md:2:" },
		{ "---\ntitle: no end\n- a\n", "bad.md:1:" },
		{ "---\n- just\n- a list\n---\n", "bad.md:2:" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct irc_playbook *pb = NULL;
		struct irc_error err;
		enum irc_status status;

		status = irc_playbook_parse("bad.md", cases[i].text,
		    strlen(cases[i].text), NULL, &pb, &err);
		if (strstr(err.msg, cases[i].where) == NULL)
			print_error("case %zu: %s\n", i, err.msg);
		assert_int_equal(status, IRC_ERR_PLAYBOOK);
		assert_null(pb);
		assert_non_null(strstr(err.msg, cases[i].where));
	}
}

static void
front_matter_numeric_severity(void **state)
{
	const char *text = "---\nseverity: 4\ntags: a, b ,c\n---\n# T\n";
	struct irc_playbook *pb = NULL;
	struct irc_error err;

	(void)state;
	assert_int_equal(irc_playbook_parse("n.md", text, strlen(text), NULL,
	    &pb, &err), IRC_OK);
	assert_int_equal(pb->severity, 4);
	assert_int_equal(pb->ntags, 3);
	assert_string_equal(pb->tags[1], "b");
	assert_string_equal(pb->title, "T");
	irc_playbook_free(pb);
}

static void
no_headings_go_to_respond(void **state)
{
	struct irc_playbook *pb = load_ok("tests/data/playbooks/no-headings.md");
	const size_t want[] = { 0, 0, 0, 3, 0, 0 };

	(void)state;
	assert_counts(pb, want);
	assert_string_equal(pb->title, "no-headings");
	assert_string_equal(step_at(pb, IRC_PHASE_RESPOND, 1)->title,
	    "Open a ticket");
	assert_non_null(strstr(step_at(pb, IRC_PHASE_RESPOND, 1)->body,
	    "note the ticket number"));
	assert_true(has_warning(pb, "3: no two headings name a phase"));
	irc_playbook_free(pb);
}

static void
code_fence_hashes_not_headings(void **state)
{
	struct irc_playbook *pb = load_ok("tests/data/playbooks/code-fence.md");
	const size_t want[] = { 0, 0, 2, 1, 0, 0 };
	const struct irc_pb_step *s;

	(void)state;
	assert_counts(pb, want);
	s = step_at(pb, IRC_PHASE_ASSESS, 0);
	assert_string_equal(s->title, "Collect the process list:");
	assert_non_null(strstr(s->body, "```"));
	assert_non_null(strstr(s->body, "# Containment\nps auxww"));
	assert_string_equal(step_at(pb, IRC_PHASE_ASSESS, 1)->title,
	    "Check cron");
	assert_string_equal(step_at(pb, IRC_PHASE_RESPOND, 0)->title,
	    "Restart the service");
	irc_playbook_free(pb);
}

static void
quoted_task_list(void **state)
{
	struct irc_playbook *pb = load_ok("tests/data/playbooks/quote-tasks.md");
	const size_t want[] = { 0, 0, 4, 1, 0, 0 };
	const struct irc_pb_step *s;

	(void)state;
	assert_counts(pb, want);
	s = step_at(pb, IRC_PHASE_ASSESS, 0);
	assert_string_equal(s->title, "Gather initial information");
	assert_non_null(strstr(s->body, "Check logs and dashboards."));
	/* The nested tasks are steps of their own, not body text. */
	assert_null(strstr(s->body, "What is not working?"));
	s = step_at(pb, IRC_PHASE_ASSESS, 1);
	assert_string_equal(s->title, "What is not working?");
	assert_false(s->checked);
	assert_int_equal(s->line, 9);
	s = step_at(pb, IRC_PHASE_ASSESS, 2);
	assert_string_equal(s->title, "What was the last change?");
	assert_true(s->checked);
	s = step_at(pb, IRC_PHASE_ASSESS, 3);
	assert_string_equal(s->title, "Confirm the scope with the owner");
	assert_int_equal(s->line, 12);
	irc_playbook_free(pb);
}

static void
bold_step_titles(void **state)
{
	struct irc_playbook *pb = load_ok("tests/data/playbooks/bold-titles.md");
	const size_t want[] = { 0, 0, 0, 5, 0, 0 };
	const struct irc_pb_step *s;

	(void)state;
	assert_counts(pb, want);
	s = step_at(pb, IRC_PHASE_RESPOND, 0);
	assert_string_equal(s->title, "Scope the attack");
	assert_string_equal(s->body, "Usually you will find several accounts.");
	s = step_at(pb, IRC_PHASE_RESPOND, 1);
	assert_string_equal(s->title, "Bad deployment");
	assert_string_equal(s->body, "Roll it back.");
	s = step_at(pb, IRC_PHASE_RESPOND, 2);
	assert_string_equal(s->title, "Plain item");
	assert_non_null(strstr(s->body, "With a second sentence."));
	s = step_at(pb, IRC_PHASE_RESPOND, 3);
	assert_string_equal(s->title, "Only a title");
	assert_string_equal(s->body, "");
	s = step_at(pb, IRC_PHASE_RESPOND, 4);
	assert_string_equal(s->title, "Remove the persistence");
	assert_non_null(strstr(s->body, "schtasks /delete /tn evil"));
	assert_non_null(strstr(s->body, "```"));
	irc_playbook_free(pb);
}

static void
lazy_numbering_and_stubs(void **state)
{
	struct irc_playbook *pb = load_ok("tests/data/playbooks/lazy-numbering.md");
	const size_t want[] = { 0, 0, 0, 4, 1, 0 };

	(void)state;
	assert_counts(pb, want);
	assert_string_equal(step_at(pb, IRC_PHASE_RESPOND, 0)->title,
	    "Restore the database");
	assert_string_equal(step_at(pb, IRC_PHASE_RESPOND, 2)->title,
	    "Re-enable logins");
	assert_false(step_at(pb, IRC_PHASE_RESPOND, 2)->stub);
	assert_true(step_at(pb, IRC_PHASE_RESPOND, 3)->stub);
	assert_true(has_warning(pb, "8: step \"TODO\" is a placeholder"));
	assert_string_equal(step_at(pb, IRC_PHASE_LEARN, 0)->title,
	    "Write the report");
	irc_playbook_free(pb);
}

static void
reference_sections(void **state)
{
	struct irc_playbook *pb = load_ok("tests/data/playbooks/refs.md");
	const size_t want[] = { 0, 0, 0, 3, 0, 0 };

	(void)state;
	assert_counts(pb, want);
	assert_int_equal(pb->nrefs, 3);
	assert_string_equal(pb->refs[0].title, "Overview");
	assert_non_null(strstr(pb->refs[0].body, "not a step"));
	assert_string_equal(pb->refs[1].title,
	    "Reference: Remediation Resources");
	assert_string_equal(pb->refs[2].title, "References");
	assert_int_equal(pb->refs[2].line, 23);
	assert_null(step_at(pb, IRC_PHASE_RESPOND, 0)->group);
	assert_string_equal(step_at(pb, IRC_PHASE_RESPOND, 1)->group,
	    "Eradicate");
	assert_string_equal(step_at(pb, IRC_PHASE_RESPOND, 2)->title,
	    "Restore the mailbox");
	irc_playbook_free(pb);
}

static void
unicode_space_and_long_titles(void **state)
{
	char text[1024];
	struct irc_playbook *pb = NULL;
	struct irc_error err;
	const char *title;
	int n;

	(void)state;
	/* EN SPACE (U+2002) after "* ", and a 300-byte title of "é". */
	n = snprintf(text, sizeof text, "*   \xE2\x80\x82Spaced title\n- ");
	for (int i = 0; i < 150; i++)
		n += snprintf(text + n, sizeof text - n, "\xC3\xA9");
	n += snprintf(text + n, sizeof text - n, "\n");
	assert_int_equal(irc_playbook_parse("u.md", text, (size_t)n, NULL, &pb,
	    &err), IRC_OK);
	assert_string_equal(step_at(pb, IRC_PHASE_RESPOND, 0)->title,
	    "Spaced title");
	title = step_at(pb, IRC_PHASE_RESPOND, 1)->title;
	assert_int_equal(strlen(title), 200);
	assert_int_equal((unsigned char)title[198], 0xC3);
	irc_playbook_free(pb);
}

static void
sha256_of_raw_bytes(void **state)
{
	struct irc_playbook *pb = NULL;
	struct irc_error err;

	(void)state;
	assert_int_equal(irc_playbook_parse("abc.md", "abc", 3, NULL, &pb,
	    &err), IRC_OK);
	assert_string_equal(pb->sha256, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	assert_int_equal(pb->text_len, 3);
	assert_string_equal(pb->title, "abc");
	irc_playbook_free(pb);
}

static void
missing_file(void **state)
{
	struct irc_playbook *pb = NULL;
	struct irc_error err;

	(void)state;
	assert_int_equal(irc_playbook_load("/nonexistent/ir/none.md", NULL, &pb,
	    &err), IRC_ERR_NOT_FOUND);
	assert_null(pb);
	assert_non_null(strstr(err.msg, "/nonexistent/ir/none.md"));
}

static void
directory_rejected(void **state)
{
	char *dir = temp_dir();
	struct irc_playbook *pb = NULL;
	struct irc_error err;

	(void)state;
	assert_int_equal(irc_playbook_load(dir, NULL, &pb, &err), IRC_ERR_IO);
	assert_null(pb);
	assert_non_null(strstr(err.msg, dir));
	assert_non_null(strstr(err.msg, "folder"));
	rmdir(dir);
	free(dir);
}

static void
binary_file_rejected(void **state)
{
	char *dir = temp_dir();
	char *path = write_file(dir, "bin.md", "# Title\n\nab\0cd\n", 15);
	struct irc_playbook *pb = NULL;
	struct irc_error err;

	(void)state;
	assert_int_equal(irc_playbook_load(path, NULL, &pb, &err),
	    IRC_ERR_PLAYBOOK);
	assert_null(pb);
	assert_non_null(strstr(err.msg, path));
	assert_non_null(strstr(err.msg, ":3:"));
	assert_non_null(strstr(err.msg, "binary"));
	unlink(path);
	rmdir(dir);
	free(path);
	free(dir);
}

static void
invalid_utf8_rejected(void **state)
{
	char *dir = temp_dir();
	char *path = write_file(dir, "latin1.md", "# T\r\n\r\n- caf\xE9\r\n", 15);
	struct irc_playbook *pb = NULL;
	struct irc_error err;

	(void)state;
	assert_int_equal(irc_playbook_load(path, NULL, &pb, &err),
	    IRC_ERR_PLAYBOOK);
	assert_null(pb);
	assert_non_null(strstr(err.msg, path));
	assert_non_null(strstr(err.msg, ":3:"));
	assert_non_null(strstr(err.msg, "UTF-8"));
	unlink(path);
	rmdir(dir);
	free(path);
	free(dir);
}

static void
huge_file_rejected_unread(void **state)
{
	char *dir = temp_dir();
	char *path = write_file(dir, "huge.md", "", 0);
	struct irc_playbook *pb = NULL;
	struct irc_error err;
	int fd;

	(void)state;
	/* A sparse 50 MB file: no disk space used, and never read. */
	fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 50L * 1024 * 1024), 0);
	close(fd);
	assert_int_equal(irc_playbook_load(path, NULL, &pb, &err),
	    IRC_ERR_TOO_LARGE);
	assert_null(pb);
	assert_non_null(strstr(err.msg, path));
	assert_non_null(strstr(err.msg, "52428800"));
	unlink(path);
	rmdir(dir);
	free(path);
	free(dir);
}

static void
limits_size_and_depth(void **state)
{
	struct irc_pb_limits small = { 16, 4 };
	struct irc_playbook *pb = NULL;
	struct irc_error err;
	const char *deep = "> > > > > - deep\n";
	const char *ok = "> > - [ ] ok\n";

	(void)state;
	assert_int_equal(irc_playbook_parse("big.md", "01234567890123456789",
	    20, &small, &pb, &err), IRC_ERR_TOO_LARGE);
	assert_non_null(strstr(err.msg, "big.md"));
	small.max_size = 0;
	assert_int_equal(irc_playbook_parse("deep.md", deep, strlen(deep),
	    &small, &pb, &err), IRC_ERR_TOO_LARGE);
	assert_null(pb);
	assert_non_null(strstr(err.msg, "deep.md"));
	assert_int_equal(irc_playbook_parse("ok.md", ok, strlen(ok), &small,
	    &pb, &err), IRC_OK);
	assert_string_equal(step_at(pb, IRC_PHASE_RESPOND, 0)->title, "ok");
	irc_playbook_free(pb);
}

static void
crash_inputs_load(void **state)
{
	char *dir = data_path("tests/data/playbooks/crashes");
	struct irc_pb_limits limits = { 65536, 32 };
	struct dirent *de;
	DIR *d;

	(void)state;
	d = opendir(dir);
	if (d == NULL) {
		/* Git keeps no empty folder, so none means no inputs yet. */
		print_message("%s: no crash inputs yet\n", dir);
		free(dir);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		struct irc_playbook *pb = NULL;
		struct irc_error err;
		char path[4096];

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		/* Any status will do: these inputs once crashed the loader. */
		if (irc_playbook_load(path, &limits, &pb, &err) == IRC_OK)
			assert_non_null(pb);
		else
			assert_null(pb);
		irc_playbook_free(pb);
	}
	closedir(d);
	free(dir);
}

static void
shipped_playbooks_fill_phases(void **state)
{
	static const char *files[] = {
		"playbooks/phishing.md", "playbooks/ransomware.md",
		"playbooks/lost-device.md",
	};

	(void)state;
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		struct irc_playbook *pb = load_ok(files[i]);

		assert_non_null(pb->id);
		assert_non_null(pb->version);
		assert_true(pb->severity >= 1 && pb->severity <= 4);
		assert_true(pb->ntags > 0);
		for (int p = 0; p < IRC_PHASE_COUNT; p++) {
			if (pb->phases[p].nsteps == 0)
				print_error("%s: no steps in %s\n", files[i],
				    irc_phase_name(p));
			assert_true(pb->phases[p].nsteps > 0);
		}
		for (size_t w = 0; w < pb->nwarnings; w++)
			print_error("%s: %s\n", files[i], pb->warnings[w]);
		assert_int_equal(pb->nwarnings, 0);
		irc_playbook_free(pb);
	}
}

static void
find_lists_search_path(void **state)
{
	char *dir = temp_dir();
	char *a = write_file(dir, "a.md", "- x\n", 4);
	char *b = write_file(dir, "b.md", "- y\n", 4);
	char *txt = write_file(dir, "notes.txt", "z\n", 2);
	char *env = malloc(2 * strlen(dir) + 2);
	char **paths = NULL;
	struct irc_error err;
	size_t count = 0, seen_a = 0;

	(void)state;
	assert_non_null(env);
	/* The same folder twice is read once. */
	snprintf(env, 2 * strlen(dir) + 2, "%s:%s", dir, dir);
	setenv("IRCASE_PLAYBOOK_PATH", env, 1);
	assert_int_equal(irc_playbook_find(&paths, &count, &err), IRC_OK);
	assert_true(count >= 2);
	assert_string_equal(paths[0], a);
	assert_string_equal(paths[1], b);
	assert_null(paths[count]);
	for (size_t i = 0; i < count; i++) {
		assert_null(strstr(paths[i], "notes.txt"));
		if (strcmp(paths[i], a) == 0)
			seen_a++;
	}
	assert_int_equal(seen_a, 1);
	irc_playbook_paths_free(paths);
	unsetenv("IRCASE_PLAYBOOK_PATH");

	unlink(a);
	unlink(b);
	unlink(txt);
	rmdir(dir);
	free(a);
	free(b);
	free(txt);
	free(env);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(real_playbooks_load),
		cmocka_unit_test(real_runbook_quoted_tasks),
		cmocka_unit_test(real_guardsight_bold_phases),
		cmocka_unit_test(crlf_line_ends),
		cmocka_unit_test(lone_cr_line_ends),
		cmocka_unit_test(bom_is_dropped),
		cmocka_unit_test(tab_indented_lists),
		cmocka_unit_test(front_matter_keys),
		cmocka_unit_test(front_matter_errors),
		cmocka_unit_test(front_matter_numeric_severity),
		cmocka_unit_test(no_headings_go_to_respond),
		cmocka_unit_test(code_fence_hashes_not_headings),
		cmocka_unit_test(quoted_task_list),
		cmocka_unit_test(bold_step_titles),
		cmocka_unit_test(lazy_numbering_and_stubs),
		cmocka_unit_test(reference_sections),
		cmocka_unit_test(unicode_space_and_long_titles),
		cmocka_unit_test(sha256_of_raw_bytes),
		cmocka_unit_test(missing_file),
		cmocka_unit_test(directory_rejected),
		cmocka_unit_test(binary_file_rejected),
		cmocka_unit_test(invalid_utf8_rejected),
		cmocka_unit_test(huge_file_rejected_unread),
		cmocka_unit_test(limits_size_and_depth),
		cmocka_unit_test(crash_inputs_load),
		cmocka_unit_test(shipped_playbooks_fill_phases),
		cmocka_unit_test(find_lists_search_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
