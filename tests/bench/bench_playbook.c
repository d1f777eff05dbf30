/*
 * bench_playbook.c: loading every playbook of a folder with
 * irc_playbook_load(), against the cmark-gfm command-line tool turning
 * the same files into HTML, in the same run.
 *
 * One pass of the ircase side loads each *.md file of FOLDER in this
 * process (read, check, hash, parse, map, free).  One pass of the
 * baseline runs `cmark-gfm -e table -e tasklist -e strikethrough
 * FILE...` once over all the files, its HTML sent to /dev/null.  The
 * passes alternate, PASSES times each (default 50); the bench prints
 * the total wall time of each side and their ratio, and exits 1 when
 * the ratio is over 1.5.
 *
 * usage: bench_playbook FOLDER [PASSES]
 */
#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BENCH_NAME "bench_playbook"
#include "bench.h"

#include "mem.h"
#include "playbook.h"

#define FILES_MAX 256

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Fills files with the paths of the *.md files of dir, sorted. */
static size_t
files_list(const char *dir, char **files)
{
	struct dirent *de;
	size_t n = 0;
	DIR *d = opendir(dir);

	if (d == NULL)
		die(dir, "cannot open the folder");
	while ((de = readdir(d)) != NULL && n < FILES_MAX) {
		size_t len = strlen(de->d_name);

		if (len > 3 && strcmp(de->d_name + len - 3, ".md") == 0)
			files[n++] = irc_xasprintf("%s/%s", dir, de->d_name);
	}
	closedir(d);
	qsort(files, n, sizeof *files, name_cmp);
	return n;
}

/* Loads every file once; returns the steps found, so none is skipped. */
static size_t
pass_ircase(char **files, size_t n)
{
	size_t steps = 0;

	for (size_t i = 0; i < n; i++) {
		struct irc_playbook *pb = NULL;
		struct irc_error err;

		if (irc_playbook_load(files[i], NULL, &pb, &err) != IRC_OK)
			die(files[i], err.msg);
		steps += irc_playbook_step_count(pb);
		irc_playbook_free(pb);
	}
	return steps;
}

/* Runs cmark-gfm once over every file, output to /dev/null. */
static void
pass_cmark(char **files, size_t n)
{
	char *argv[FILES_MAX + 8];
	int status, fd;
	size_t k = 0;
	pid_t pid;

	argv[k++] = "cmark-gfm";
	argv[k++] = "-e";
	argv[k++] = "table";
	argv[k++] = "-e";
	argv[k++] = "tasklist";
	argv[k++] = "-e";
	argv[k++] = "strikethrough";
	for (size_t i = 0; i < n; i++)
		argv[k++] = files[i];
	argv[k] = NULL;
	pid = fork();
	if (pid < 0)
		die("fork", "failed");
	if (pid == 0) {
		fd = open("/dev/null", O_WRONLY);
		if (fd >= 0)
			dup2(fd, STDOUT_FILENO);
		execvp("cmark-gfm", argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		die("cmark-gfm", "failed or not installed (Debian package "
		    "cmark-gfm)");
}

int
main(int argc, char **argv)
{
	char *files[FILES_MAX];
	int64_t t, ours = 0, theirs = 0;
	size_t n, steps = 0;
	long passes = 50;
	double ratio;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: bench_playbook FOLDER [PASSES]\n");
		return 2;
	}
	if (argc == 3 && (passes = strtol(argv[2], NULL, 10)) < 1)
		die(argv[2], "PASSES must be a positive number");
	n = files_list(argv[1], files);
	if (n == 0)
		die(argv[1], "no *.md files");

	/* One untimed pass each, so both start with warm caches. */
	pass_ircase(files, n);
	pass_cmark(files, n);
	for (long p = 0; p < passes; p++) {
		t = mono_us();
		steps += pass_ircase(files, n);
		ours += mono_us() - t;
		t = mono_us();
		pass_cmark(files, n);
		theirs += mono_us() - t;
	}
	ratio = (double)ours / (double)theirs;
	printf("files: %zu, passes: %ld, steps loaded: %zu\n", n, passes, steps);
	printf("ircase load:       %8.1f ms\n", ours / 1000.0);
	printf("cmark-gfm to HTML: %8.1f ms\n", theirs / 1000.0);
	printf("ratio:             %8.2f (target at most 1.50)\n", ratio);
	for (size_t i = 0; i < n; i++)
		free(files[i]);
	return ratio <= 1.5 ? 0 : 1;
}
