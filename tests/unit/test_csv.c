/*
 * test_csv.c: the RFC 4180 reader (quotes, line breaks inside quotes,
 * CRLF, a byte order mark, errors with their line) and the asset
 * inventory built on it (column mapping, defaults, duplicate ids).
 */
#include <stdbool.h>

#include "unit.h"

#include "asset.h"
#include "csv.h"

/* Reads every record of text and joins them as "a|b;c|d;" for comparing. */
static char *
csv_flatten(const char *text, size_t len, enum irc_status *st, char *msg)
{
	struct irc_csv csv;
	struct irc_csv_record rec;
	struct irc_error err;
	size_t cap = 4096, used = 0;
	char *out = calloc(1, cap);

	irc_csv_init(&csv, "t.csv", text, len);
	for (;;) {
		*st = irc_csv_next(&csv, &rec, &err);
		if (*st != IRC_OK) {
			snprintf(msg, IRC_ERROR_MAX, "%s", err.msg);
			irc_csv_record_free(&rec);
			break;
		}
		if (rec.nfields == 0)
			break;
		for (size_t i = 0; i < rec.nfields && used < cap; i++)
			used += (size_t)snprintf(out + used, cap - used, "%s%s",
			    rec.fields[i], i + 1 < rec.nfields ? "|" : ";");
		irc_csv_record_free(&rec);
	}
	return out;
}

static void
check_csv(const char *text, const char *want)
{
	char msg[IRC_ERROR_MAX] = "";
	enum irc_status st;
	char *got = csv_flatten(text, strlen(text), &st, msg);

	if (st != IRC_OK)
		fail_msg("'%s' failed: %s", text, msg);
	assert_string_equal(got, want);
	free(got);
}

static void
check_csv_error(const char *text, const char *want)
{
	char msg[IRC_ERROR_MAX] = "";
	enum irc_status st;

	free(csv_flatten(text, strlen(text), &st, msg));
	assert_int_equal(st, IRC_ERR_INVALID);
	if (strstr(msg, want) == NULL)
		fail_msg("message '%s' lacks '%s'", msg, want);
}

static void
csv_plain_and_quoted(void **state)
{
	check_csv("a,b,c\n1,2,3\n", "a|b|c;1|2|3;");
	check_csv("a,b\n1,2", "a|b;1|2;");
	check_csv("\"x, y\",\"say \"\"hi\"\"\",z\n", "x, y|say \"hi\"|z;");
	check_csv(",,\n", "||;");
	check_csv("a,\n", "a|;");
	check_csv("\"\"\n", ";");
}

static void
csv_line_ends_and_bom(void **state)
{
	check_csv("a,b\r\n1,2\r\n", "a|b;1|2;");
	check_csv("\xef\xbb\xbfid,name\n1,web\n", "id|name;1|web;");
	check_csv("a\r1\r", "a;1;");
	check_csv("a\n\n\r\n1\n", "a;1;");
	check_csv("\"two\nlines\",x\n2,y\n", "two\nlines|x;2|y;");
	check_csv("\"crlf\r\ninside\"\r\n", "crlf\r\ninside;");
}

static void
csv_errors_name_line(void **state)
{
	check_csv_error("a\n\"open\nstill", "t.csv:2: the quote opened here");
	check_csv_error("a\n\"x\"y,z\n", "t.csv:2: text after a closing quote");
	check_csv_error("a\n\"two\nlines\"bad\n", "t.csv:3: text after");
}

static void
csv_nul_rejected(void **state)
{
	char msg[IRC_ERROR_MAX] = "";
	enum irc_status st;

	free(csv_flatten("a\nb\0c\n", 6, &st, msg));
	assert_int_equal(st, IRC_ERR_INVALID);
	assert_non_null(strstr(msg, "t.csv:2: NUL byte"));
}

static const char inventory_csv[] =
    "\xef\xbb\xbf" "Asset Tag,Hostname,Owner,Class,Location\r\n"
    "A-1,mail01,\"Ops, Mail\",confidential,DC1\r\n"
    "A-2,\"web\n01\",Web team,internal,DC2\r\n"
    ",,,,\r\n";

static void
inventory_mapped_columns(void **state)
{
	struct irc_config_column cols[] = {
		{ "id", "asset tag" }, { "name", "Hostname" },
		{ "classification", "Class" },
	};
	struct irc_config_assets cfg = { "inv.csv", cols, 3, 1 };
	struct irc_inventory *inv;
	const struct irc_asset_row *row;
	struct irc_error err;

	assert_int_equal(irc_inventory_parse(&cfg, "inv.csv", inventory_csv,
	    sizeof inventory_csv - 1, &inv, &err), IRC_OK);
	assert_int_equal(inv->nrows, 2);
	row = irc_inventory_find(inv, "A-1");
	assert_non_null(row);
	assert_string_equal(row->name, "mail01");
	assert_string_equal(row->owner, "Ops, Mail");
	assert_string_equal(row->classification, "confidential");
	row = irc_inventory_find(inv, "A-2");
	assert_string_equal(row->name, "web\n01");
	assert_int_equal(row->line, 3);
	assert_null(irc_inventory_find(inv, "A-3"));
	irc_inventory_free(inv);
}

static void
inventory_defaults_and_errors(void **state)
{
	static const char plain[] = "NAME,owner\nmail01,ops\n";
	static const char dup[] = "id,name\n1,a\n2,b\n1,c\n";
	static const char no_name[] = "id,host\n1,a\n";
	struct irc_config_column cols[] = { { "owner", "Custodian" } };
	struct irc_config_assets mapped = { "inv.csv", cols, 1, 1 };
	struct irc_inventory *inv;
	struct irc_error err;

	/* Without a mapping, columns are found by their own names; the
	 * name stands in for a missing id. */
	assert_int_equal(irc_inventory_parse(NULL, "inv.csv", plain,
	    sizeof plain - 1, &inv, &err), IRC_OK);
	assert_string_equal(inv->rows[0].id, "mail01");
	assert_string_equal(inv->rows[0].owner, "ops");
	assert_string_equal(inv->rows[0].classification, "");
	irc_inventory_free(inv);

	assert_int_equal(irc_inventory_parse(NULL, "inv.csv", dup,
	    sizeof dup - 1, &inv, &err), IRC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "inv.csv:4: asset id '1' is also on line 2"));
	assert_int_equal(irc_inventory_parse(NULL, "inv.csv", no_name,
	    sizeof no_name - 1, &inv, &err), IRC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "no column 'name'"));
	assert_int_equal(irc_inventory_parse(&mapped, "inv.csv", plain,
	    sizeof plain - 1, &inv, &err), IRC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "no column 'Custodian'"));
	assert_int_equal(irc_inventory_parse(NULL, "inv.csv", "", 0, &inv,
	    &err), IRC_ERR_INVALID);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(csv_plain_and_quoted),
		cmocka_unit_test(csv_line_ends_and_bom),
		cmocka_unit_test(csv_errors_name_line),
		cmocka_unit_test(csv_nul_rejected),
		cmocka_unit_test(inventory_mapped_columns),
		cmocka_unit_test(inventory_defaults_and_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
