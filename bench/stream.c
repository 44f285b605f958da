/*
 * STREAM-style read kernel: the reference the Go bandwidth probe
 * (internal/probe) is compared with. All cores (OpenMP), a buffer far
 * larger than the caches, each pass a sum over every 64-bit word, timed per
 * pass; prints the median GB/s (10^9 bytes/s) of the passes.
 *
 * Build: gcc -O3 -march=native -fopenmp bench/stream.c -o stream
 * Run:   ./stream [MiB=512] [passes=15]
 *
 * Read-only, like an LLM's decoding step (which reads the weights and
 * writes almost nothing), so it is compared with the probe's read test,
 * not with STREAM's copy/triad.
 */
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b) {
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv) {
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 512;
	int passes = argc > 2 ? atoi(argv[2]) : 15;
	size_t n = mib * 1024 * 1024 / sizeof(uint64_t);
	uint64_t *a = aligned_alloc(4096, n * sizeof(uint64_t));
	if (!a || passes < 1) {
		fprintf(stderr, "stream: cannot allocate %zu MiB\n", mib);
		return 1;
	}
	/* First touch by the threads that later read, as STREAM does. */
#pragma omp parallel for schedule(static)
	for (size_t i = 0; i < n; i++) a[i] = i;

	double *gbps = malloc(sizeof(double) * passes);
	uint64_t check = 0;
	for (int p = -1; p < passes; p++) { /* p = -1: warm-up */
		uint64_t sum = 0;
		double t0 = now();
#pragma omp parallel for schedule(static) reduction(+ : sum)
		for (size_t i = 0; i < n; i++) sum += a[i];
		double t = now() - t0;
		check += sum;
		if (p >= 0) gbps[p] = n * sizeof(uint64_t) / t / 1e9;
	}
	qsort(gbps, passes, sizeof(double), cmp);
	double median = passes % 2 ? gbps[passes / 2] : (gbps[passes / 2 - 1] + gbps[passes / 2]) / 2;
	printf("%.3f\n", median);
	fprintf(stderr, "stream: %d threads, %zu MiB, min %.2f max %.2f GB/s (check %llu)\n",
	        omp_get_max_threads(), mib, gbps[0], gbps[passes - 1], (unsigned long long)(check & 0xff));
	free(gbps);
	free(a);
	return 0;
}
