/*
 * unit.h: what every cmocka unit test includes.
 */
#ifndef IRC_UNIT_H
#define IRC_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

/*
 * Returns the path of a file under ../shared, or NULL when that folder is
 * absent (a user's clone has none), in which case tests that need it skip.
 * The caller frees the result.
 */
static inline char *
unit_shared_path(const char *rel)
{
	const char *dir = getenv("IRCASE_SHARED");
	char *path;
	size_t n;

	if (dir == NULL || *dir == '\0')
		return NULL;
	n = strlen(dir) + strlen(rel) + 2;
	path = malloc(n);
	if (path != NULL)
		snprintf(path, n, "%s/%s", dir, rel);
	return path;
}

#endif
