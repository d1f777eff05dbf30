/*
 * bench.h: what the benchmarks in tests/bench share: failing with a
 * message, a monotonic clock, sorting timings and running a command with
 * its time and peak memory.  Each benchmark defines BENCH_NAME first.
 */
#ifndef IRC_BENCH_H
#define IRC_BENCH_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>

/* Prints "NAME: WHAT: MSG" on stderr and exits with status 1. */
static inline void
die(const char *what, const char *msg)
{
	fprintf(stderr, "%s: %s: %s\n", BENCH_NAME, what, msg);
	exit(1);
}

/* Returns the monotonic clock in microseconds. */
static inline int64_t
mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Orders two int64_t values for qsort(). */
static inline int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Sorts v and returns its middle value. */
static inline int64_t
median(int64_t *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_i64);
	return v[n / 2];
}

/*
 * Runs argv with stdout to out_path and returns its wall time in µs, with
 * its peak RSS in KiB in *maxrss_kib.  Exits when it fails.
 */
static inline int64_t
run(char *const argv[], const char *out_path, long *maxrss_kib)
{
	struct rusage ru;
	int64_t start = mono_us();
	int status, fd;
	pid_t pid = fork();

	if (pid < 0)
		die("fork", strerror(errno));
	if (pid == 0) {
		fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0)
			_exit(127);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0)
		die("wait4", strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		die(argv[0], "exited with an error");
	*maxrss_kib = ru.ru_maxrss;
	return mono_us() - start;
}

#endif
