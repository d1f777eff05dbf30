/*
 * fuzz_csv.c: libFuzzer target for the CSV reader and the asset inventory
 * built on it.
 *
 * Reads every record of the input, checks that each field is a string of
 * the length strlen() finds, then parses the same bytes as an inventory
 * with a column mapping.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "asset.h"
#include "csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irc_config_column cols[] = { { "id", "Tag" }, { "name", "Host" } };
	struct irc_config_assets cfg = { "fuzz.csv", cols, 2, 1 };
	struct irc_inventory *inv = NULL;
	struct irc_csv_record rec;
	struct irc_error err;
	struct irc_csv csv;
	size_t total = 0;

	irc_csv_init(&csv, "fuzz.csv", (const char *)data, size);
	while (irc_csv_next(&csv, &rec, &err) == IRC_OK && rec.nfields > 0) {
		for (size_t i = 0; i < rec.nfields; i++)
			total += strlen(rec.fields[i]);
		if (rec.line < 1 || total > size)
			__builtin_trap();
		irc_csv_record_free(&rec);
	}
	irc_csv_record_free(&rec);

	if (irc_inventory_parse(&cfg, "fuzz.csv", (const char *)data, size, &inv,
	    &err) == IRC_OK) {
		for (size_t i = 0; i < inv->nrows; i++)
			if (inv->rows[i].id[0] == '\0' ||
			    irc_inventory_find(inv, inv->rows[i].id) == NULL)
				__builtin_trap();
		irc_inventory_free(inv);
	}
	return 0;
}
