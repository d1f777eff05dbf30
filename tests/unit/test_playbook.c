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

#include <cmark-gfm.h>
#include <jansson.h>

#include "playbook.h"
#include "case_fixture.h"

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

/*
 * What each real playbook should load as, judged by reading the file:
 * steps per phase (sub-steps included), the phases that headings, bold
 * lines or table columns name, and the reference panes in file order.
 */
struct real_case {
	const char *file;
	size_t counts[IRC_PHASE_COUNT];	/* Prepare ... Evidence */
	const char *phases;		/* "Assess|Respond", "" for none */
	const char *refs;		/* titles joined with "|" */
};

static const struct real_case real_cases[] = {
	{ "SOURCES.md",
	    { 0, 0, 0, 0, 0, 0 },
	    "",
	    "Introduction" },
	{ "austinsonger__Account_Takeover_ATO_Checklist.md",
	    { 0, 0, 0, 58, 0, 0 },
	    "",
	    "Introduction" },
	{ "austinsonger__BattleCard-T1486-Ransomware.md",
	    { 0, 0, 0, 0, 0, 0 },
	    "Assess|Respond|Learn",
	    "Introduction" },
	{ "austinsonger__Linux-Intrusion-Detection.md",
	    { 0, 0, 1, 11, 0, 0 },
	    "Assess|Respond",
	    "MITRE" "|"
	    "Reference: Remediation Resources" "|"
	    "Resources" },
	{ "austinsonger__PE05-online-and-offline-backups.md",
	    { 0, 0, 0, 0, 0, 0 },
	    "",
	    "Introduction" },
	{ "austinsonger__T1048-Exfiltration-Over-Alternative-Protocol.md",
	    { 0, 0, 1, 11, 3, 0 },
	    "Assess|Respond|Learn",
	    "MITRE" "|"
	    "Reference: Remediation Resources" "|"
	    "Resources" },
	{ "austinsonger__T1550.002-Lateral_Movement_-_Pass_the_Hash.md",
	    { 6, 0, 2, 15, 2, 0 },
	    "Prepare|Assess|Respond|Learn",
	    "References" },
	{ "aws-irp__EC2MalwareFindings.md",
	    { 0, 0, 0, 10, 5, 16 },
	    "Respond|Learn|Evidence",
	    "Incident Type" "|"
	    "Introduction" "|"
	    "Summary" "|"
	    "This Playbook" "|"
	    "This Incident Type" "|"
	    "Incident Response Process" "|"
	    "Additional Resources" "|"
	    "Incident Response" "|"
	    "GuardDuty" "|"
	    "Preperation" },
	{ "aws-irp__IRP-PersonalDataBreach.md",
	    { 28, 0, 38, 72, 45, 0 },
	    "Prepare|Assess|Respond|Learn",
	    "Introduction" "|"
	    "Overview" "|"
	    "Practice resources (no paid service or support plan required)" "|"
	    "Appendix A \xE2\x80\x94" " Investigation Resources" "|"
	    "Appendix B \xE2\x80\x94" " Regulatory & Compliance Considerations" "|"
	    "Appendix C \xE2\x80\x94" " Communication Templates" "|"
	    "Appendix D \xE2\x80\x94" " Data Classification Quick Reference" "|"
	    "Appendix E \xE2\x80\x94" " Reference Links" "|"
	    "Revision History" },
	{ "aws-irp__ai-playbooks_README.md",
	    { 0, 0, 0, 11, 0, 0 },
	    "",
	    "Introduction" "|"
	    "Usage" "|"
	    "How the files direct Kiro IDE" "|"
	    "Security" "|"
	    "License Summary" },
	{ "aws-irp__runbook_sample_-_credential_leakage.md",
	    { 0, 0, 0, 12, 5, 7 },
	    "Respond|Learn|Evidence",
	    "Incident Type" "|"
	    "Summary" "|"
	    "Incident Handling Process" },
	{ "counteractive__playbook-identity-and-access.md",
	    { 0, 0, 2, 15, 0, 0 },
	    "Assess|Respond",
	    "Introduction" "|"
	    "Reference: Remediation Resources" "|"
	    "Resources" },
	{ "counteractive__playbook-phishing.md",
	    { 0, 0, 7, 29, 0, 0 },
	    "Assess|Respond",
	    "Introduction" "|"
	    "Reference: Remediation Resources" "|"
	    "Resources" },
	{ "guardsight__GSPBC-1000_-_Impact_-_Data_Encrypted_For_Impact_-_Ransomware.md",
	    { 18, 0, 2, 20, 4, 0 },
	    "Prepare|Assess|Respond|Learn",
	    "References" "|"
	    "Resources" },
	{ "guardsight__GSPBC-1063_-_Execution_-_Scheduled_Task_or_Job.md",
	    { 9, 0, 2, 19, 4, 0 },
	    "Prepare|Assess|Respond|Learn",
	    "References" "|"
	    "Resources" },
	{ "jamesduffy__Runbook.md",
	    { 0, 4, 6, 5, 2, 0 },
	    "Report|Assess|Respond|Learn",
	    "Introduction" },
	{ "pagerduty__during_an_incident.md",
	    { 0, 0, 0, 30, 0, 0 },
	    "",
	    "Introduction" },
	{ "pagerduty__security_incident_response.md",
	    { 0, 0, 11, 39, 0, 4 },
	    "Assess|Respond|Evidence",
	    "Introduction" "|"
	    "Checklist" "|"
	    "Additional Reading" },
};

/* Checks the phases that headings name and the reference pane titles. */
static void
assert_summary(const struct irc_playbook *pb, const struct real_case *want)
{
	char got[4096] = "";
	size_t n = 0;

	for (int p = 0; p < IRC_PHASE_COUNT; p++) {
		for (size_t h = 0; h < pb->nheadings; h++) {
			if (pb->headings[h].phase != (enum irc_phase)p)
				continue;
			n += snprintf(got + n, sizeof got - n, "%s%s",
			    n > 0 ? "|" : "", irc_phase_name(p));
			break;
		}
	}
	if (strcmp(got, want->phases) != 0)
		print_error("%s: phases \"%s\", expected \"%s\"\n", pb->path,
		    got, want->phases);
	assert_string_equal(got, want->phases);
	n = 0;
	got[0] = '\0';
	for (size_t i = 0; i < pb->nrefs && n < sizeof got; i++)
		n += snprintf(got + n, sizeof got - n, "%s%s", i > 0 ? "|" : "",
		    pb->refs[i].title);
	if (strcmp(got, want->refs) != 0)
		print_error("%s: references \"%s\", expected \"%s\"\n",
		    pb->path, got, want->refs);
	assert_string_equal(got, want->refs);
}

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
		assert_non_null(want);
		assert_counts(pb, want->counts);
		assert_summary(pb, want);
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
	/* Containment, eradication and recovery are groups of Respond. */
	assert_string_equal(step_at(pb, IRC_PHASE_RESPOND, 0)->group,
	    "Containment");
	assert_string_equal(step_at(pb, IRC_PHASE_RESPOND, 1)->group,
	    "Eradicate");
	assert_string_equal(step_at(pb, IRC_PHASE_RESPOND, 2)->group,
	    "Recovery");
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
	struct irc_pb_limits small = { 16, 4, 0 };
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
	struct irc_pb_limits limits = { 65536, 32, 0 };
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
	char *dir = data_path("playbooks");
	struct dirent *de;
	size_t checked = 0;
	DIR *d;

	(void)state;
	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		struct irc_pb_diag *diags = NULL;
		struct irc_playbook *pb;
		char file[512];
		size_t ndiags = 0;

		if (len < 4 || strcmp(de->d_name + len - 3, ".md") != 0)
			continue;
		snprintf(file, sizeof file, "playbooks/%s", de->d_name);
		pb = load_ok(file);
		checked++;
		irc_playbook_lint(pb, &diags, &ndiags);
		for (size_t k = 0; k < ndiags; k++)
			print_error("%s:%d: %s\n", file, diags[k].line,
			    diags[k].message);
		assert_int_equal(ndiags, 0);
		irc_playbook_diags_free(diags, ndiags);
		assert_non_null(pb->tlp);
		assert_non_null(pb->id);
		assert_non_null(pb->version);
		assert_true(pb->severity >= 1 && pb->severity <= 4);
		assert_true(pb->ntags > 0);
		for (int p = 0; p < IRC_PHASE_COUNT; p++) {
			if (pb->phases[p].nsteps == 0)
				print_error("%s: no steps in %s\n", file,
				    irc_phase_name(p));
			assert_true(pb->phases[p].nsteps > 0);
		}
		for (size_t w = 0; w < pb->nwarnings; w++)
			print_error("%s: %s\n", file, pb->warnings[w]);
		assert_int_equal(pb->nwarnings, 0);
		irc_playbook_free(pb);
	}
	closedir(d);
	free(dir);
	/* The library covers at least twelve kinds of incident. */
	assert_true(checked >= 12);
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

/* Parses text from memory and fails the test when it does not load. */
static struct irc_playbook *
parse_ok(const char *name, const char *text, size_t len,
    const struct irc_pb_limits *limits)
{
	struct irc_playbook *pb = NULL;
	struct irc_error err;

	if (irc_playbook_parse(name, text, len, limits, &pb, &err) != IRC_OK)
		print_error("%s\n", err.msg);
	assert_non_null(pb);
	return pb;
}

static void
emoji_in_headings_and_steps(void **state)
{
	struct irc_playbook *pb = load_ok("tests/data/playbooks/emoji.md");
	const size_t want[] = { 0, 0, 2, 1, 0, 0 };

	(void)state;
	assert_counts(pb, want);
	/* ZWJ sequences and VS16 pass through whole. */
	assert_string_equal(step_at(pb, IRC_PHASE_ASSESS, 0)->title,
	    "\xE2\x9A\xA0\xEF\xB8\x8F Check the "
	    "\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x92\xBB console");
	assert_true(step_at(pb, IRC_PHASE_RESPOND, 0)->depth == 0);
	/* GitHub keeps the space left by the emoji as a leading '-'. */
	assert_non_null(irc_playbook_anchor_find(pb, "-investigate"));
	irc_playbook_free(pb);
}

static void
unbalanced_html_and_open_comment(void **state)
{
	struct irc_playbook *pb;
	const size_t html[] = { 0, 0, 2, 1, 0, 0 };
	const size_t comment[] = { 0, 0, 1, 1, 0, 0 };

	(void)state;
	pb = load_ok("tests/data/playbooks/html-unbalanced.md");
	assert_counts(pb, html);
	assert_string_equal(step_at(pb, IRC_PHASE_ASSESS, 1)->title,
	    "Check the mail gateway");
	irc_playbook_free(pb);
	/* An HTML comment that never ends swallows the rest of the file. */
	pb = load_ok("tests/data/playbooks/html-comment.md");
	assert_counts(pb, comment);
	irc_playbook_free(pb);
}

static void
long_line_loads(void **state)
{
	size_t n = 10000 + 64;
	char *text = malloc(n);
	struct irc_playbook *pb;
	const struct irc_pb_step *s;
	size_t len;

	(void)state;
	assert_non_null(text);
	len = (size_t)snprintf(text, n, "## Contain\n\n- ");
	for (size_t i = 0; len < 10000 + 14; i++)
		text[len++] = i % 7 == 6 ? ' ' : 'a';
	text[len++] = '\n';
	pb = parse_ok("long.md", text, len, NULL);
	s = step_at(pb, IRC_PHASE_RESPOND, 0);
	assert_true(strlen(s->title) <= 200);
	assert_true(strlen(s->body) >= 10000);
	irc_playbook_free(pb);
	free(text);
}

/* Returns a list nested depth levels deep, one item per level. */
static char *
nested_list(int depth, size_t *len)
{
	size_t cap = (size_t)depth * (2 * (size_t)depth + 16) + 64, n = 0;
	char *text = malloc(cap);

	assert_non_null(text);
	n += (size_t)snprintf(text + n, cap - n, "## Contain\n\n");
	for (int i = 0; i < depth; i++)
		n += (size_t)snprintf(text + n, cap - n, "%*s- [ ] level %d\n",
		    2 * i, "", i + 1);
	*len = n;
	return text;
}

static void
nesting_200_deep(void **state)
{
	struct irc_pb_limits shallow = { 0, 100, 0 };
	struct irc_playbook *pb = NULL;
	struct irc_error err;
	size_t len;
	char *text = nested_list(200, &len);

	(void)state;
	pb = parse_ok("deep.md", text, len, NULL);
	/* Every level is a task, so each is a sub-step of the one above. */
	assert_int_equal(pb->phases[IRC_PHASE_RESPOND].nsteps, 200);
	assert_int_equal(step_at(pb, IRC_PHASE_RESPOND, 199)->depth, 199);
	assert_int_equal(step_at(pb, IRC_PHASE_RESPOND, 199)->parent, 198);
	irc_playbook_free(pb);
	assert_int_equal(irc_playbook_parse("deep.md", text, len, &shallow,
	    &pb, &err), IRC_ERR_TOO_LARGE);
	assert_null(pb);
	assert_non_null(strstr(err.msg, "deep.md"));
	assert_non_null(strstr(err.msg, "200"));
	free(text);
}

static void
summary_lists_are_not_steps(void **state)
{
	struct irc_playbook *pb = load_ok("tests/data/playbooks/summary.md");
	const size_t want[] = { 0, 0, 1, 1, 1, 0 };

	(void)state;
	assert_counts(pb, want);
	assert_int_equal(pb->nrefs, 2);
	assert_string_equal(pb->refs[0].title, "Contents");
	assert_string_equal(pb->refs[1].title, "Checklist");
	assert_non_null(strstr(pb->refs[1].body, "Contain the host"));
	irc_playbook_free(pb);
}

static void
anchor_links_resolve(void **state)
{
	struct irc_playbook *pb = load_ok("tests/data/playbooks/anchors.md");
	const struct irc_pb_anchor *a;

	(void)state;
	assert_int_equal(pb->nlinks, 4);
	a = pb->links[0].target;
	assert_non_null(a);
	assert_int_equal(a->kind, IRC_PB_TARGET_PHASE);
	assert_int_equal(a->phase, IRC_PHASE_RESPOND);
	assert_int_equal(pb->links[0].line, 5);
	/* A group heading names the first step under it. */
	a = pb->links[1].target;
	assert_non_null(a);
	assert_int_equal(a->kind, IRC_PB_TARGET_STEP);
	assert_int_equal(a->phase, IRC_PHASE_RESPOND);
	assert_int_equal(a->index, 1);
	a = pb->links[2].target;
	assert_non_null(a);
	assert_int_equal(a->phase, IRC_PHASE_ASSESS);
	assert_null(pb->links[3].target);
	assert_true(has_warning(pb, "22: link to #no-such-anchor names no"));
	/* GitHub numbers a repeated heading's slug. */
	a = irc_playbook_anchor_find(pb, "#containment-1");
	assert_non_null(a);
	assert_int_equal(a->line, 16);
	/* Steps get the slug of their title. */
	a = irc_playbook_anchor_find(pb, "isolate-the-host");
	assert_non_null(a);
	assert_int_equal(a->kind, IRC_PB_TARGET_STEP);
	assert_string_equal(step_at(pb, IRC_PHASE_RESPOND, 0)->anchor,
	    "isolate-the-host");
	irc_playbook_free(pb);
}

static void
slug_follows_github(void **state)
{
	char slug[128];

	(void)state;
	irc_playbook_slug("Part 1 \xE2\x80\x94 Acquire, Preserve & Document",
	    slug, sizeof slug);
	assert_string_equal(slug, "part-1--acquire-preserve--document");
	irc_playbook_slug("3.1 Detection_and Analysis!", slug, sizeof slug);
	assert_string_equal(slug, "31-detection_and-analysis");
	irc_playbook_slug("\xF0\x9F\x95\xB5\xEF\xB8\x8F Caf\xC3\xA9", slug,
	    sizeof slug);
	assert_string_equal(slug, "-caf\xC3\xA9");
}

static void
nested_tasks_are_substeps(void **state)
{
	struct irc_playbook *pb = load_ok("tests/data/playbooks/substeps.md");
	const struct irc_pb_step *s;

	(void)state;
	assert_int_equal(pb->phases[IRC_PHASE_RESPOND].nsteps, 6);
	s = step_at(pb, IRC_PHASE_RESPOND, 0);
	assert_string_equal(s->title, "Isolate the laptop");
	assert_int_equal(s->depth, 0);
	assert_int_equal(s->parent, -1);
	/* The plain bullet stays in the body; the tasks leave it. */
	assert_non_null(strstr(s->body, "A plain bullet stays in the body"));
	assert_null(strstr(s->body, "Pull the network cable"));
	s = step_at(pb, IRC_PHASE_RESPOND, 1);
	assert_string_equal(s->title, "Pull the network cable");
	assert_int_equal(s->parent, 0);
	assert_int_equal(s->depth, 1);
	s = step_at(pb, IRC_PHASE_RESPOND, 3);
	assert_string_equal(s->title, "Check that it stayed off");
	assert_int_equal(s->parent, 2);
	assert_int_equal(s->depth, 2);
	assert_true(s->checked);
	s = step_at(pb, IRC_PHASE_RESPOND, 4);
	assert_string_equal(s->title, "Disable the account");
	assert_int_equal(s->depth, 0);
	s = step_at(pb, IRC_PHASE_RESPOND, 5);
	assert_int_equal(s->depth, 0);
	assert_int_equal(s->line, 12);
	irc_playbook_free(pb);
}

static void
prose_between_lists_kept(void **state)
{
	struct irc_playbook *pb = load_ok("tests/data/playbooks/guidance.md");
	const size_t want[] = { 0, 0, 2, 2, 0, 0 };
	const struct irc_pb_step *s;

	(void)state;
	assert_counts(pb, want);
	s = step_at(pb, IRC_PHASE_ASSESS, 0);
	assert_string_equal(s->guidance,
	    "Work out what happened before you touch anything.");
	/* Prose after the last list joins the last step's body. */
	s = step_at(pb, IRC_PHASE_ASSESS, 1);
	assert_non_null(strstr(s->body, "treat it the same way"));
	/* A section of prose only is one step named after its heading. */
	s = step_at(pb, IRC_PHASE_RESPOND, 0);
	assert_string_equal(s->title, "Contain");
	assert_non_null(strstr(s->body, "Only prose here"));
	assert_int_equal(s->line, 12);
	s = step_at(pb, IRC_PHASE_RESPOND, 1);
	assert_non_null(strstr(s->body, "Check the restore with the owner."));
	irc_playbook_free(pb);
}

static void
several_playbooks_in_one_file(void **state)
{
	char *path = data_path("tests/data/playbooks/multi-part.md");
	struct irc_pb_limits second = { 0, 0, 2 }, third = { 0, 0, 3 };
	struct irc_playbook *pb = NULL;
	struct irc_error err;
	const size_t want1[] = { 0, 0, 1, 1, 0, 0 };
	const size_t want2[] = { 0, 0, 2, 1, 0, 0 };

	(void)state;
	assert_int_equal(irc_playbook_load(path, NULL, &pb, &err), IRC_OK);
	assert_int_equal(pb->nparts, 2);
	assert_int_equal(pb->part, 1);
	assert_string_equal(pb->title, "Playbook: First thing");
	assert_counts(pb, want1);
	irc_playbook_free(pb);
	assert_int_equal(irc_playbook_load(path, &second, &pb, &err), IRC_OK);
	assert_string_equal(pb->title, "Playbook: Second thing");
	assert_counts(pb, want2);
	assert_string_equal(step_at(pb, IRC_PHASE_RESPOND, 0)->title, "Five");
	irc_playbook_free(pb);
	assert_int_equal(irc_playbook_load(path, &third, &pb, &err),
	    IRC_ERR_INVALID);
	assert_null(pb);
	assert_non_null(strstr(err.msg, "holds 2 playbooks"));
	free(path);
}

static void
html_table_columns_give_phases(void **state)
{
	struct irc_playbook *pb = load_ok("tests/data/playbooks/html-columns.md");
	const size_t want[] = { 0, 0, 2, 2, 0, 0 };

	(void)state;
	assert_counts(pb, want);
	assert_int_equal(pb->nheadings, 2);
	assert_string_equal(pb->headings[1].text, "Remediate");
	assert_string_equal(step_at(pb, IRC_PHASE_ASSESS, 1)->title,
	    "Pull the logs");
	assert_string_equal(step_at(pb, IRC_PHASE_RESPOND, 1)->title,
	    "Reset the password");
	assert_int_equal(step_at(pb, IRC_PHASE_RESPOND, 1)->line, 12);
	irc_playbook_free(pb);
}

static void
folder_name_gives_phase(void **state)
{
	char *dir = temp_dir(), sub[512];
	char *path;
	struct irc_playbook *pb = NULL;
	struct irc_error err;
	const size_t want[] = { 2, 0, 0, 0, 0, 0 };

	(void)state;
	snprintf(sub, sizeof sub, "%s/01. Prepare (Pre-Event)", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	path = write_file(sub, "pe05.md", "# PE05\n\n- Keep an offline copy\n"
	    "- Test a restore\n", 45);
	assert_int_equal(irc_playbook_load(path, NULL, &pb, &err), IRC_OK);
	assert_counts(pb, want);
	assert_int_equal(pb->nheadings, 1);
	assert_string_equal(pb->headings[0].text, "01. Prepare (Pre-Event)");
	irc_playbook_free(pb);
	unlink(path);
	rmdir(sub);
	rmdir(dir);
	free(path);
	free(dir);
}

static void
front_matter_phase_map(void **state)
{
	struct irc_playbook *pb = load_ok("tests/data/playbooks/phase-map.md");
	const size_t want[] = { 1, 1, 1, 0, 0, 0 };
	struct irc_pb_diag *diags = NULL;
	size_t n = 0;

	(void)state;
	assert_counts(pb, want);
	assert_string_equal(pb->tlp, "TLP:AMBER+STRICT");
	assert_int_equal(pb->niso, 2);
	assert_string_equal(pb->iso_controls[1], "A.5.26");
	assert_int_equal(pb->nmap, 4);
	assert_int_equal(pb->nrefs, 1);
	assert_string_equal(pb->refs[0].title, "Glossary of odd words");
	irc_playbook_lint(pb, &diags, &n);
	/* Respond, Learn and Evidence have no steps; the TLP is valid. */
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++)
		assert_false(diags[i].error);
	irc_playbook_diags_free(diags, n);
	irc_playbook_free(pb);
}

static void
heading_names_several_phases(void **state)
{
	const char *text = "## Detection and Reporting\n\n- Read it\n\n"
	    "## Contain / Eradicate\n\n- Stop it\n";
	struct irc_playbook *pb = parse_ok("multi.md", text, strlen(text), NULL);

	(void)state;
	assert_int_equal(pb->nheadings, 2);
	assert_int_equal(pb->headings[0].phase, IRC_PHASE_ASSESS);
	assert_int_equal(pb->headings[0].phases,
	    (1u << IRC_PHASE_ASSESS) | (1u << IRC_PHASE_REPORT));
	assert_int_equal(pb->headings[1].phases, 1u << IRC_PHASE_RESPOND);
	assert_string_equal(step_at(pb, IRC_PHASE_RESPOND, 0)->group,
	    "Contain / Eradicate");
	irc_playbook_free(pb);
}

static void
lint_reports_errors(void **state)
{
	const char *text = "---\ntlp: purple\n---\n# Nothing to do\n\nProse.\n";
	struct irc_playbook *pb = parse_ok("bad.md", text, strlen(text), NULL);
	struct irc_pb_diag *diags = NULL;
	size_t n = 0;

	(void)state;
	irc_playbook_lint(pb, &diags, &n);
	assert_int_equal(n, 2);
	assert_true(diags[0].error);
	assert_true(diags[1].error);
	assert_non_null(strstr(diags[0].message, "no steps") != NULL ?
	    diags[0].message : diags[1].message);
	irc_playbook_diags_free(diags, n);
	irc_playbook_free(pb);
}

/*
 * Appends pathological Markdown to b until it holds size bytes: deep
 * nesting, runs of '[' and '*', a long table and a summary-like list.
 */
static size_t
pathological(char *b, size_t size)
{
	size_t n = 0;
	int round = 0;

	while (n + 4096 < size) {
		int k;

		n += (size_t)snprintf(b + n, size - n, "## Contain %d\n\n", round++);
		for (k = 0; k < 40 && n + 256 < size; k++)
			n += (size_t)snprintf(b + n, size - n, "%*s- [ ] level %d "
			    "[see](#contain-%d)\n", 2 * k, "", k, k);
		for (k = 0; k < 400 && n + 8 < size; k++)
			b[n++] = '[';
		b[n++] = '\n';
		for (k = 0; k < 60 && n + 16 < size; k++)
			n += (size_t)snprintf(b + n, size - n, "*a **b _c ");
		b[n++] = '\n';
		b[n++] = '\n';
		n += (size_t)snprintf(b + n, size - n, "| a | b |\n|---|---|\n");
		for (k = 0; k < 80 && n + 32 < size; k++)
			n += (size_t)snprintf(b + n, size - n, "| %d | x*y |\n", k);
		b[n++] = '\n';
	}
	return n;
}

static void
loader_work_is_linear(void **state)
{
	size_t big = IRC_PLAYBOOK_MAX_SIZE, small = big / 4, n1, n4;
	char *text = malloc(big);
	struct irc_playbook *pb;
	size_t work1, work4;

	(void)state;
	assert_non_null(text);
	n1 = pathological(text, small);
	pb = parse_ok("p1.md", text, n1, NULL);
	work1 = pb->work;
	irc_playbook_free(pb);
	n4 = pathological(text, big);
	pb = parse_ok("p4.md", text, n4, NULL);
	work4 = pb->work;
	irc_playbook_free(pb);
	print_message("work: %zu for %zu bytes, %zu for %zu bytes\n", work1,
	    n1, work4, n4);
	/* Four times the input: about four times the work, never sixteen. */
	assert_true(work1 > n1 / 64);
	assert_true((double)work4 / (double)work1 <
	    1.25 * (double)n4 / (double)n1);
	free(text);
}

static void
thehive_templates_round_trip(void **state)
{
	char *dir = unit_shared_path("thehive-templates");
	struct dirent *de;
	size_t done = 0;
	DIR *d;

	(void)state;
	if (dir == NULL) {
		print_message("IRCASE_SHARED is not set; skipping\n");
		skip();
	}
	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		json_t *orig, *back, *ot, *bt;
		struct irc_playbook *pb = NULL;
		struct irc_error err;
		char path[4096], *md = NULL, *raw;
		json_error_t jerr;

		if (len < 6 || strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		orig = json_load_file(path, 0, &jerr);
		assert_non_null(orig);
		raw = json_dumps(orig, 0);
		assert_int_equal(irc_playbook_from_thehive(path, raw,
		    strlen(raw), &md, &err), IRC_OK);
		pb = parse_ok(path, md, strlen(md), NULL);
		back = irc_playbook_to_thehive(pb);
		assert_string_equal(json_string_value(json_object_get(back,
		    "name")), json_string_value(json_object_get(orig, "name")));
		assert_int_equal(json_integer_value(json_object_get(back,
		    "severity")), json_integer_value(json_object_get(orig,
		    "severity")));
		assert_int_equal(json_integer_value(json_object_get(back, "tlp")),
		    json_integer_value(json_object_get(orig, "tlp")));
		ot = json_object_get(orig, "tasks");
		bt = json_object_get(back, "tasks");
		assert_int_equal(json_array_size(bt), json_array_size(ot));
		for (size_t i = 0; i < json_array_size(ot); i++) {
			json_t *o = json_array_get(ot, i), *b = json_array_get(bt, i);
			char *oh, *bh;
			const char *od = json_string_value(json_object_get(o,
			    "description"));
			const char *bd = json_string_value(json_object_get(b,
			    "description"));

			assert_string_equal(json_string_value(json_object_get(b,
			    "title")), json_string_value(json_object_get(o, "title")));
			assert_string_equal(json_string_value(json_object_get(b,
			    "group")), json_string_value(json_object_get(o, "group")));
			assert_int_equal(json_integer_value(json_object_get(b,
			    "order")), json_integer_value(json_object_get(o, "order")));
			/* The same Markdown meaning: the same HTML. */
			oh = cmark_markdown_to_html(od, strlen(od), 0);
			bh = cmark_markdown_to_html(bd, strlen(bd), 0);
			if (strcmp(oh, bh) != 0)
				print_error("%s task %zu:\n%s\n---\n%s\n", path, i,
				    oh, bh);
			assert_string_equal(oh, bh);
			free(oh);
			free(bh);
		}
		json_decref(back);
		json_decref(orig);
		irc_playbook_free(pb);
		free(md);
		free(raw);
		done++;
	}
	closedir(d);
	assert_true(done >= 4);
	free(dir);
}

static void
case_stores_step_tree(void **state)
{
	struct case_fixture *f = *state;
	struct irc_playbook *pb = load_ok("tests/data/playbooks/substeps.md");
	struct irc_error err;
	int64_t id;
	char sql[256];

	assert_int_equal(irc_case_create(f->db, pb, "Tree", 2, &f->actor, &id,
	    &err), IRC_OK);
	irc_playbook_free(pb);
	/* Step 4, "Check that it stayed off", is under step 3 at depth 2. */
	snprintf(sql, sizeof sql, "SELECT parent_seq FROM step WHERE case_id = "
	    "%lld AND seq = 4", (long long)id);
	assert_int_equal(case_fixture_int(f, sql), 3);
	snprintf(sql, sizeof sql, "SELECT depth FROM step WHERE case_id = "
	    "%lld AND seq = 4", (long long)id);
	assert_int_equal(case_fixture_int(f, sql), 2);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM step WHERE case_id = "
	    "%lld AND parent_seq IS NULL", (long long)id);
	assert_int_equal(case_fixture_int(f, sql), 3);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM step WHERE case_id = "
	    "%lld AND seq = 1 AND anchor = 'isolate-the-laptop'",
	    (long long)id);
	assert_int_equal(case_fixture_int(f, sql), 1);
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
		cmocka_unit_test(emoji_in_headings_and_steps),
		cmocka_unit_test(unbalanced_html_and_open_comment),
		cmocka_unit_test(long_line_loads),
		cmocka_unit_test(nesting_200_deep),
		cmocka_unit_test(summary_lists_are_not_steps),
		cmocka_unit_test(anchor_links_resolve),
		cmocka_unit_test(slug_follows_github),
		cmocka_unit_test(nested_tasks_are_substeps),
		cmocka_unit_test(prose_between_lists_kept),
		cmocka_unit_test(several_playbooks_in_one_file),
		cmocka_unit_test(html_table_columns_give_phases),
		cmocka_unit_test(folder_name_gives_phase),
		cmocka_unit_test(front_matter_phase_map),
		cmocka_unit_test(heading_names_several_phases),
		cmocka_unit_test(lint_reports_errors),
		cmocka_unit_test(loader_work_is_linear),
		cmocka_unit_test(thehive_templates_round_trip),
		cmocka_unit_test_setup_teardown(case_stores_step_tree,
		    case_fixture_setup, case_fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
