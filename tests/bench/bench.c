/*
 * bench: what a recompute costs, what a whole `gradscope --dump` costs, and
 * how the engine compares with a plain numpy version of the same model
 * (tests/bench/numpy_ref.py). A measurement, not a test: it exits 0 unless
 * a run failed or crashed.
 *
 * The machine is shared and noisy, so every time reported is a median.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE 1 /* wait4 */
#endif

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"

extern char **environ;

/* A row takes about this long per measured quantity, with at least
 * MIN_RUNS runs. */
#define TARGET_MS 1000.0
#define MIN_RUNS 5
#define MAX_RECOMPUTES 100000
#define MAX_DUMPS 50
/* numpy rows estimated to take longer than this are not run. */
#define NUMPY_LIMIT_MS 30000.0
/* Probes at a fraction of the depth stop once they take this long. */
#define NUMPY_PROBE_MS 200.0

static const struct {
	int depth;
	int width;
} shapes[] = {
    {150, 2},
    {100, 512},
    {1000, 64},
    {1000, 1024},
    {10000, 256},
};

static const EngineInit inits[] = {
    ENGINE_INIT_IDENTITY,
    ENGINE_INIT_GAUSSIAN,
    ENGINE_INIT_ORTHOGONAL,
};

typedef struct {
	const char *gradscope;
	const char *python;
	const char *numpy_ref;
} BenchPaths;

static int failed; /* set by any failed run; the exit code */

/* ---------------------------------------------------------------- time */

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* This process's CPU time: what the engine costs, whatever else the
 * machine runs (wall time on a loaded shared machine counts the waits
 * for a core too). */
static double cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Sorts v in place. */
static double median(double *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Fixed-width text for a time in ms: more decimals for small ones. */
static const char *fmt_ms(char *buf, size_t len, double ms)
{
	snprintf(buf, len, ms < 1 ? "%.4f" : ms < 100 ? "%.2f" : "%.1f", ms);
	return buf;
}

/* ------------------------------------------------------------- engine */

/* Median ms of engine_compute for cfg after one warm-up call; -1 on
 * failure. Lambda alternates 1.0 / 1.001 so every call recomputes. */
static double time_recompute_on(Engine *eng, EngineConfig cfg, double *samples,
    double (*clock_ms)(void))
{
	EngineResult res;
	char err[256];
	size_t n = 0;
	double start;

	cfg.lambda = 1.0;
	if (engine_compute(eng, &cfg, &res, err, sizeof err) < 0) {
		fprintf(stderr, "bench: engine_compute: %s\n", err);
		return -1;
	}
	start = now_ms();
	while (n < MIN_RUNS ||
	    (n < MAX_RECOMPUTES && now_ms() - start < TARGET_MS)) {
		double t0;

		cfg.lambda = n % 2 ? 1.0 : 1.001;
		t0 = clock_ms();
		if (engine_compute(eng, &cfg, &res, err, sizeof err) < 0) {
			fprintf(stderr, "bench: engine_compute: %s\n", err);
			return -1;
		}
		samples[n++] = clock_ms() - t0;
	}
	return median(samples, n);
}

static double time_recompute(Engine *eng, EngineConfig cfg, double *samples)
{
	return time_recompute_on(eng, cfg, samples, now_ms);
}

/* ----------------------------------------------------------- children */

/*
 * Runs argv[0] (a path) with stdout into out_fd, or into /dev/null when
 * out_fd is -1. Sets *ms to the wall time from spawn to reaping and
 * *maxrss_kib to the child's peak RSS. Returns 0 if it exited with 0, else
 * -1 after saying why on stderr.
 */
static int run_child(char *const argv[], int out_fd, double *ms,
    long *maxrss_kib)
{
	posix_spawn_file_actions_t fa;
	struct rusage ru;
	pid_t pid;
	int rc, status;
	double t0;

	posix_spawn_file_actions_init(&fa);
	if (out_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, out_fd, STDOUT_FILENO);
	else
		posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO,
		    "/dev/null", O_WRONLY, 0);
	t0 = now_ms();
	rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		fprintf(stderr, "bench: %s: %s\n", argv[0], strerror(rc));
		return -1;
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("bench: wait4");
			return -1;
		}
	}
	*ms = now_ms() - t0;
	*maxrss_kib = ru.ru_maxrss;
	if (WIFSIGNALED(status)) {
		fprintf(stderr, "bench: %s: killed by signal %d\n", argv[0],
		    WTERMSIG(status));
		return -1;
	}
	if (WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench: %s: exit status %d\n", argv[0],
		    WEXITSTATUS(status));
		return -1;
	}
	return 0;
}

/* Runs argv and reads its stdout (truncated to len - 1 bytes) into buf.
 * Returns 0 or -1 like run_child. */
static int run_capture(char *const argv[], char *buf, size_t len)
{
	double ms;
	long rss;
	size_t used = 0;
	ssize_t got;
	int fd[2], rc;

	if (pipe(fd) < 0) {
		perror("bench: pipe");
		return -1;
	}
	/* Close-on-exec, so the child holds only its stdout copy (dup2 clears
	 * the flag there) and EOF comes when it exits. The pipe is drained
	 * after the child exits: fine for the one line these children print,
	 * well under a pipe buffer. */
	fcntl(fd[0], F_SETFD, FD_CLOEXEC);
	fcntl(fd[1], F_SETFD, FD_CLOEXEC);
	rc = run_child(argv, fd[1], &ms, &rss);
	close(fd[1]);
	while ((got = read(fd[0], buf + used, len - 1 - used)) > 0)
		used += (size_t)got;
	close(fd[0]);
	buf[used] = '\0';
	return rc;
}

/* Median ms and peak RSS (MiB, max over runs) of a headless dump; -1 on
 * failure. */
static double time_dump(const char *gradscope, int depth, int width,
    EngineInit init, double *samples, double *peak_mib)
{
	char ds[16], ws[16];
	char *argv[] = {
	    (char *)gradscope,
	    "--dump",
	    "--lambda",
	    "1",
	    "--depth",
	    ds,
	    "--width",
	    ws,
	    "--init",
	    (char *)engine_init_name(init),
	    "--act",
	    "tanh",
	    NULL,
	};
	long peak = 0, rss;
	size_t n = 0;
	double start = now_ms();

	snprintf(ds, sizeof ds, "%d", depth);
	snprintf(ws, sizeof ws, "%d", width);
	while (n < MIN_RUNS ||
	    (n < MAX_DUMPS && now_ms() - start < TARGET_MS)) {
		if (run_child(argv, -1, &samples[n], &rss) < 0)
			return -1;
		if (rss > peak)
			peak = rss;
		n++;
	}
	*peak_mib = peak / 1024.0;
	return median(samples, n);
}

/* ---------------------------------------------------------------- numpy */

/* numpy_ref.py's median ms over at least runs runs and seconds seconds at
 * the given shape; -1 on failure. */
static double numpy_run(const BenchPaths *p, int depth, int width,
    EngineInit init, int runs, double seconds)
{
	char ds[16], ws[16], rs[16], ss[32], out[256];
	char *argv[] = {
	    (char *)p->python,
	    (char *)p->numpy_ref,
	    "--depth",
	    ds,
	    "--width",
	    ws,
	    "--init",
	    (char *)engine_init_name(init),
	    "--act",
	    "tanh",
	    "--lambda",
	    "1",
	    "--seed",
	    "1",
	    "--runs",
	    rs,
	    "--seconds",
	    ss,
	    NULL,
	};
	double ms;

	snprintf(ds, sizeof ds, "%d", depth);
	snprintf(ws, sizeof ws, "%d", width);
	snprintf(rs, sizeof rs, "%d", runs);
	snprintf(ss, sizeof ss, "%g", seconds);
	if (run_capture(argv, out, sizeof out) < 0)
		return -1;
	if (sscanf(out, "median_ms=%lf", &ms) != 1) {
		fprintf(stderr, "bench: %s: unexpected output '%s'\n",
		    p->numpy_ref, out);
		return -1;
	}
	return ms;
}

/*
 * numpy's median ms for the row, 0 when the row is estimated to take more
 * than NUMPY_LIMIT_MS, -1 on failure. The estimate comes from single runs
 * at depth 1, 10, 100, ... (time scales linearly with depth), stopped as
 * soon as a probe is long enough to trust or the full depth is reached.
 */
static double numpy_time(const BenchPaths *p, int depth, int width,
    EngineInit init)
{
	double probe, per_run;
	int d = 1, runs;

	for (;;) {
		probe = numpy_run(p, d, width, init, 1, 0);
		if (probe < 0)
			return -1;
		if (d == depth || probe >= NUMPY_PROBE_MS)
			break;
		d = d * 10 < depth ? d * 10 : depth;
	}
	per_run = probe * depth / d;
	if (per_run > NUMPY_LIMIT_MS)
		return 0;
	/* At least one run and as many of MIN_RUNS as fit in the limit. */
	runs = (int)(NUMPY_LIMIT_MS / per_run);
	runs = runs < 1 ? 1 : runs > MIN_RUNS ? MIN_RUNS : runs;
	return numpy_run(p, depth, width, init, runs, TARGET_MS / 1e3);
}

/* --------------------------------------------------------------- header */

static void print_machine(const BenchPaths *p)
{
	char line[512], *model = "unknown", *v;
	char *argv[] = {(char *)p->python, (char *)p->numpy_ref, "--info",
	    NULL};
	FILE *f = fopen("/proc/cpuinfo", "r");

	while (f && fgets(line, sizeof line, f)) {
		if (strncmp(line, "model name", 10) == 0 &&
		    (v = strchr(line, ':'))) {
			model = v + 1 + strspn(v + 1, " \t");
			model[strcspn(model, "\n")] = '\0';
			break;
		}
	}
	if (f)
		fclose(f);
	printf("machine: %ld cpus online, %s\n", sysconf(_SC_NPROCESSORS_ONLN),
	    model);
	if (run_capture(argv, line, sizeof line) < 0) {
		failed = 1;
		snprintf(line, sizeof line, "numpy: not available\n");
	}
	printf("numpy:   %s", line);
	printf("engine:  median of >= %d recomputes over ~%.0f s after a "
	       "warm-up, lambda alternating 1.0/1.001\n",
	    MIN_RUNS, TARGET_MS / 1e3);
	printf("dump:    median of >= %d runs of %s --dump ... --act tanh, "
	       "stdout to /dev/null\n\n",
	    MIN_RUNS, p->gradscope);
}

/* ------------------------------------------------------------- blocks */

/* The blocks at depth 1000 x width 1024, gaussian tanh, exact: the
 * issue's bounds are 10 ms for the plain chain and 15 ms for residual
 * blocks with layer norm. */
static const struct {
	EngineArch arch;
	EngineNorm norm;
	double limit_ms; /* 0: no bound */
} blocks[] = {
    {ENGINE_ARCH_PLAIN, ENGINE_NORM_NONE, 10},
    {ENGINE_ARCH_RESIDUAL, ENGINE_NORM_NONE, 0},
    {ENGINE_ARCH_PLAIN, ENGINE_NORM_LAYER, 0},
    {ENGINE_ARCH_RESIDUAL, ENGINE_NORM_LAYER, 15},
    {ENGINE_ARCH_RESIDUAL, ENGINE_NORM_RMS, 0},
};
#define BLOCKS ((int)(sizeof blocks / sizeof blocks[0]))
#define BLOCK_ROUNDS 3

/* Each block's recompute median in BLOCK_ROUNDS interleaved rounds (so
 * a slow spell of a shared machine falls on every row alike), and the
 * median of those; a row over its bound fails the run. */
static void bench_blocks(Engine *eng, double *samples)
{
	double med[BLOCKS][BLOCK_ROUNDS], cpu[BLOCKS][BLOCK_ROUNDS], m, c;
	char buf[16], mbuf[16], cbuf[16];
	int b, r;

	printf("\nblocks: depth 1000 x width 1024, gaussian tanh, exact, "
	       "input random; median of %d interleaved rounds' medians;\n"
	       "the bounds are on CPU time\n",
	    BLOCK_ROUNDS);
	printf("%-9s %-6s %20s %16s %10s\n", "arch", "norm",
	    "recompute_ms(median)", "cpu_ms(median)", "bound_ms");
	for (r = 0; r < BLOCK_ROUNDS; r++)
		for (b = 0; b < BLOCKS; b++) {
			EngineConfig cfg;

			engine_config_default(&cfg);
			cfg.depth = 1000;
			cfg.width = 1024;
			cfg.init = ENGINE_INIT_GAUSSIAN;
			cfg.act = ENGINE_ACT_TANH;
			cfg.arch = blocks[b].arch;
			cfg.norm = blocks[b].norm;
			/* With input ones a layer norm of a residual net
			 * meets constant vectors only (N = 0: the branch
			 * is tanh(0)), which would time nothing. */
			cfg.input = ENGINE_INPUT_RANDOM;
			med[b][r] = time_recompute(eng, cfg, samples);
			cpu[b][r] = time_recompute_on(eng, cfg, samples,
			    cpu_ms);
		}
	for (b = 0; b < BLOCKS; b++) {
		m = median(med[b], BLOCK_ROUNDS);
		c = median(cpu[b], BLOCK_ROUNDS);
		/* The bound is on CPU time: a shared machine's load must not
		 * fail the run, and the engine's own cost is what is bounded. */
		if (m < 0 || c < 0 ||
		    (blocks[b].limit_ms > 0 && c > blocks[b].limit_ms))
			failed = 1;
		snprintf(buf, sizeof buf, "%g", blocks[b].limit_ms);
		printf("%-9s %-6s %20s %16s %10s%s\n",
		    engine_arch_name(blocks[b].arch),
		    engine_norm_name(blocks[b].norm),
		    m < 0 ? "failed" : fmt_ms(mbuf, sizeof mbuf, m),
		    c < 0 ? "failed" : fmt_ms(cbuf, sizeof cbuf, c),
		    blocks[b].limit_ms > 0 ? buf : "-",
		    blocks[b].limit_ms > 0 && c > blocks[b].limit_ms ?
		        "  OVER" :
		        "");
	}
}

/* ----------------------------------------------------------------- main */

static void usage(FILE *out)
{
	fprintf(out,
	    "usage: gradscope_bench [--gradscope PATH] "
	    "[--python PATH] [--numpy-ref PATH] [--blocks-only]\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"gradscope", required_argument, NULL, 'g'},
	    {"python", required_argument, NULL, 'p'},
	    {"numpy-ref", required_argument, NULL, 'r'},
	    {"help", no_argument, NULL, 'h'},
	    {"blocks-only", no_argument, NULL, 'b'},
	    {NULL, 0, NULL, 0},
	};
	BenchPaths paths = {
	    "./gradscope",
	    "/usr/bin/python3",
	    "tests/bench/numpy_ref.py",
	};
	double *samples;
	Engine *eng;
	int c, blocks_only = 0;

	while ((c = getopt_long(argc, argv, "g:p:r:hb", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 'b':
			blocks_only = 1;
			break;
		case 'g':
			paths.gradscope = optarg;
			break;
		case 'p':
			paths.python = optarg;
			break;
		case 'r':
			paths.numpy_ref = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	/* One core for numpy, like the engine. */
	setenv("OPENBLAS_NUM_THREADS", "1", 1);
	setenv("OMP_NUM_THREADS", "1", 1);

	samples = malloc(MAX_RECOMPUTES * sizeof *samples);
	eng = engine_new();
	if (!samples || !eng) {
		fprintf(stderr, "bench: out of memory\n");
		return 1;
	}
	if (blocks_only) {
		bench_blocks(eng, samples);
		engine_free(eng);
		free(samples);
		return failed;
	}
	print_machine(&paths);
	printf("%6s %5s %-10s %20s %15s %12s %16s %22s\n", "L", "n", "init",
	    "recompute_ms(median)", "dump_ms(median)", "peak_rss_MiB",
	    "numpy_ms", "ratio(numpy/recompute)");
	for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
		for (size_t i = 0; i < sizeof inits / sizeof inits[0]; i++) {
			EngineConfig cfg;
			char rbuf[32], dbuf[32], nbuf[32], ratio[32];
			double rec, dump, rss = 0, np;

			engine_config_default(&cfg);
			cfg.depth = shapes[s].depth;
			cfg.width = shapes[s].width;
			cfg.init = inits[i];
			cfg.act = ENGINE_ACT_TANH;
			cfg.precision = ENGINE_PRECISION_EXACT;
			cfg.input = ENGINE_INPUT_ONES;
			cfg.seed = 1;
			rec = time_recompute(eng, cfg, samples);
			dump = time_dump(paths.gradscope, cfg.depth, cfg.width,
			    cfg.init, samples, &rss);
			np = numpy_time(&paths, cfg.depth, cfg.width, cfg.init);
			if (rec < 0 || dump < 0 || np < 0)
				failed = 1;

			snprintf(ratio, sizeof ratio, "-");
			if (np < 0)
				snprintf(nbuf, sizeof nbuf, "failed");
			else if (np == 0)
				snprintf(nbuf, sizeof nbuf, "skipped (>30 s)");
			else {
				fmt_ms(nbuf, sizeof nbuf, np);
				if (rec > 0)
					snprintf(ratio, sizeof ratio, "%.1f",
					    np / rec);
			}
			printf("%6d %5d %-10s %20s %15s %12.1f %16s %22s\n",
			    cfg.depth, cfg.width, engine_init_name(cfg.init),
			    rec < 0 ? "failed" : fmt_ms(rbuf, sizeof rbuf, rec),
			    dump < 0 ? "failed" :
			               fmt_ms(dbuf, sizeof dbuf, dump),
			    rss, nbuf, ratio);
			fflush(stdout);
		}
	}
	bench_blocks(eng, samples);
	engine_free(eng);
	free(samples);
	return failed;
}
