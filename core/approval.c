/*
 * approval.c: which playbook steps need a second responder's approval.
 *
 * A step needs approval when its title ends with the marker "(approval)",
 * which is removed from the stored title, or when the front matter lists
 * its title under "approval:" (a list of titles, or one title).
 * ircase-playbook(5) documents both.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "lifecycle.h"
#include "mem.h"

#define MARKER "(approval)"

/* Returns the front matter of text (between the first two "---" lines), or NULL. */
static const char *
front_matter(const char *text, size_t *len)
{
	const char *start, *end;

	if (strncmp(text, "---\n", 4) != 0 && strncmp(text, "---\r\n", 5) != 0)
		return NULL;
	start = strchr(text, '\n') + 1;
	for (end = start; (end = strstr(end, "\n---")) != NULL; end++) {
		if (end[4] == '\n' || end[4] == '\r' || end[4] == '\0')
			break;
	}
	if (end == NULL)
		return NULL;
	*len = (size_t)(end - start) + 1;
	return start;
}

static void
titles_add(char ***titles, size_t *n, const yaml_node_t *node)
{
	if (node == NULL || node->type != YAML_SCALAR_NODE)
		return;
	*titles = irc_xrealloc(*titles, *n + 1, sizeof **titles);
	(*titles)[(*n)++] = irc_xstrndup((const char *)node->data.scalar.value,
	    node->data.scalar.length);
}

char **
irc_pb_approval_titles(const struct irc_playbook *pb, size_t *count)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;
	const char *yaml;
	char **titles = NULL;
	size_t len = 0, n = 0;

	*count = 0;
	if (pb->text == NULL || (yaml = front_matter(pb->text, &len)) == NULL)
		return NULL;
	if (!yaml_parser_initialize(&parser))
		abort();
	yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, len);
	/* The loader already reported a malformed front matter. */
	if (!yaml_parser_load(&parser, &doc)) {
		yaml_parser_delete(&parser);
		return NULL;
	}
	root = yaml_document_get_root_node(&doc);
	if (root != NULL && root->type == YAML_MAPPING_NODE) {
		for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
		    p < root->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yaml_document_get_node(&doc, p->key);
			yaml_node_t *v = yaml_document_get_node(&doc, p->value);

			if (k->type != YAML_SCALAR_NODE ||
			    strcmp((const char *)k->data.scalar.value,
			    "approval") != 0)
				continue;
			if (v->type != YAML_SEQUENCE_NODE) {
				titles_add(&titles, &n, v);
				continue;
			}
			for (yaml_node_item_t *i = v->data.sequence.items.start;
			    i < v->data.sequence.items.top; i++)
				titles_add(&titles, &n,
				    yaml_document_get_node(&doc, *i));
		}
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	*count = n;
	return titles;
}

bool
irc_pb_step_approval(const char *title, char **titles, size_t ntitles,
    size_t *title_len)
{
	size_t len = strlen(title), m = strlen(MARKER);

	*title_len = len;
	if (len > m && strcasecmp(title + len - m, MARKER) == 0) {
		len -= m;
		while (len > 0 && (title[len - 1] == ' ' || title[len - 1] == '\t'))
			len--;
		if (len > 0) {
			*title_len = len;
			return true;
		}
	}
	for (size_t i = 0; i < ntitles; i++)
		if (strcmp(titles[i], title) == 0)
			return true;
	return false;
}
