// SPDX-License-Identifier: MIT
/*
 * fuzz_dump — bounded fuzzer of the regcmd dump reader (lib/npu/npu_dump.c,
 * docs/regcmd-dump.md), following selftests/fuzz/README.md.
 *
 * Seeds: three valid dumps written in-process the way rkval-npu-example
 * writes them (npu_dump_write(): a 1x1 conv, a conv with 20 output
 * channels and an output-shape line, a DPU-only add).  Each iteration
 * takes one, mutates its manifest text (lines deleted, duplicated or
 * swapped, words replaced by edge-case tokens, bytes inserted or flipped,
 * NUL, truncation) and every fourth iteration also its files (truncated,
 * extended, emptied, deleted, replaced by a directory or a FIFO), then
 * reads it with npu_dump_parse_buf() or npu_dump_load().
 *
 * Rules (a broken one is a defect):
 *  - a refused dump leaves nothing allocated in the struct (the reader's
 *    contract) and an error naming the manifest line ("line N: " from the
 *    parser, "MANIFEST: " from the loader);
 *  - an accepted dump satisfies every invariant the format states (tasks
 *    inside the regcmd file, relocs inside their buffers, sizes within the
 *    limits, the expected file exactly the output's size, the shape inside
 *    it, a known soc);
 *  - an accepted, loaded dump survives a round trip: written again with
 *    npu_dump_write() and read back it is the same dump; its expected
 *    output compared with itself is exact; rebasing it does not crash.
 * Crashes and leaks are found by the process dying and by the sanitizer
 * build running this program.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "npu/npu_conv.h"
#include "npu/npu_dump.h"
#include "npu/npu_ew.h"
#include "npu/npu_layout.h"
#include "npu/npu_ref.h"

#define NAME			"fuzz_dump"
#define EXIT_DEFECT		1
#define EXIT_USAGE		2
#define MAX_REPORTED		10
#define MAX_MUTATIONS		4
/* Every FILE_EVERY-th iteration goes through the files (slower). */
#define FILE_EVERY		4
#define TEXT_MAX		(64 * 1024)
#define N_SEEDS			3
/* Capture IOVAs of the seeds, as rkval-npu-example's. */
#define SEED_IOVA_BASE		0x10000000ull
#define SEED_IOVA_STEP		0x01000000ull

static const char *const files[] = {
	"manifest", "regcmd.bin", "input.bin", "weights.bin", "bias.bin", "ew.bin",
	"expected.bin",
};
#define N_FILES	(sizeof(files) / sizeof(files[0]))

/* Tokens a mutation puts in place of a word: the edges of the format. */
static const char *const tokens[] = {
	"0", "1", "8", "130", "2048", "-1", "+1", "026", "0x", "0x10", "0X1f", "1x",
	"4294967295", "4294967296", "18446744073709551615", "18446744073709551616",
	"-18446744073709551590", "67108864", "67108865", "s8", "s32", "bytes", "one",
	"per-task", "input", "output", "weights", "bias", "ew", "regcmd", "iova", "-",
	"rk3588", "rk3568", "rk9999", "rk3568-c2-16-banks-12", "expected.bin",
	"regcmd.bin", "input.bin", ".", "..", "output-shape", "task", "reloc", "buffer",
	"expect", "soc", "job", "#", "rkval-regcmd-dump", "2", "3",
};
#define N_TOKENS	(sizeof(tokens) / sizeof(tokens[0]))
static const char bytes_of_interest[] = { '\0', '\n', '\t', '\r', ' ', '#', '0', 'x', '-' };

struct seed {
	char *file[N_FILES];	/* contents; NULL = absent */
	size_t size[N_FILES];
};

static struct seed seeds[N_SEEDS];
static char dir_seed[256], dir_work[256], dir_round[256];
static unsigned int defects;
/* How many mutated dumps were read / accepted, by parse and by load. */
static unsigned int n_parsed, n_parse_ok, n_loaded, n_load_ok;
static uint64_t run_seed;
static unsigned int iteration;

static void defect(const char *fmt, ...)
{
	va_list ap;

	if (++defects > MAX_REPORTED)
		return;
	fprintf(stderr, "%s: seed %" PRIu64 ", iteration %u: ", NAME, run_seed, iteration);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* xorshift64*, one stream per iteration so any iteration is reproducible. */
static uint64_t rng_state;

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static size_t below(size_t n)
{
	return n ? (size_t)(rng() % n) : 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void path_of(char *buf, size_t len, const char *dir, const char *name)
{
	snprintf(buf, len, "%s/%s", dir, name);
}

/* Remove whatever a mutation left in place of a file (file, dir, FIFO). */
static void clear_dir(const char *dir)
{
	char p[512];

	for (size_t i = 0; i < N_FILES; i++) {
		path_of(p, sizeof(p), dir, files[i]);
		if (unlink(p))
			rmdir(p);	/* a directory; fails harmlessly when absent */
	}
}

static int write_bytes(const char *dir, const char *name, const void *data, size_t size)
{
	char p[512];
	FILE *f;
	int ok;

	path_of(p, sizeof(p), dir, name);
	f = fopen(p, "wb");
	if (!f)
		return -errno;
	ok = fwrite(data, 1, size, f) == size;
	return fclose(f) || !ok ? -EIO : 0;
}

static int read_bytes(const char *dir, const char *name, char **data, size_t *size)
{
	char p[512];
	struct stat sb;
	FILE *f;

	*data = NULL;
	*size = 0;
	path_of(p, sizeof(p), dir, name);
	if (stat(p, &sb))
		return 0;	/* absent */
	f = fopen(p, "rb");
	*data = malloc((size_t)sb.st_size + 1);
	if (!f || !*data || fread(*data, 1, (size_t)sb.st_size, f) != (size_t)sb.st_size) {
		if (f)
			fclose(f);
		free(*data);
		*data = NULL;
		return -EIO;
	}
	fclose(f);
	*size = (size_t)sb.st_size;
	return 0;
}

/* Three valid dumps, as rkval-npu-example writes them. */
static int write_conv_seed(const char *dir, unsigned int out_c)
{
	const struct npu_soc *soc = npu_soc_rk3588();
	struct npu_conv2d_params p = {
		.in_h = 8, .in_w = 8, .in_c = 32, .out_c = out_c, .k_h = 1, .k_w = 1,
		.stride = 1, .in_scale = 0.5f, .w_scale = 0.125f, .out_scale = 1.0f,
	};
	struct npu_dump_shape shape = { 8, 8, out_c };
	const void *data[NPU_SLOT_COUNT] = { 0 };
	void *bufs[NPU_SLOT_COUNT] = { 0 };
	uint64_t iova[NPU_SLOT_COUNT];
	struct npu_program prog;
	void *expected = NULL;
	int ret;

	npu_program_init(&prog, soc);
	ret = npu_conv2d_build(soc, &p, &prog);
	for (int s = 0; s < NPU_SLOT_COUNT; s++)
		iova[s] = SEED_IOVA_BASE + s * SEED_IOVA_STEP;
	if (!ret)
		ret = npu_program_relocate(&prog, iova);
	for (int s = NPU_SLOT_INPUT; !ret && s < NPU_SLOT_COUNT; s++) {
		if (!prog.slot_size[s] || s == NPU_SLOT_OUTPUT)
			continue;
		bufs[s] = malloc(prog.slot_size[s]);
		if (!bufs[s]) {
			ret = -ENOMEM;
			break;
		}
		for (size_t i = 0; i < prog.slot_size[s]; i++)
			((uint8_t *)bufs[s])[i] = (uint8_t)(i * 7 + s);
		data[s] = bufs[s];
	}
	if (!ret) {
		expected = calloc(1, prog.slot_size[NPU_SLOT_OUTPUT]);
		ret = expected ? 0 : -ENOMEM;
	}
	if (!ret)
		ret = npu_dump_write(dir, &prog, iova, data, expected,
				     prog.slot_size[NPU_SLOT_OUTPUT], NPU_DUMP_CMP_S8, 2, &shape);
	for (int s = 0; s < NPU_SLOT_COUNT; s++)
		free(bufs[s]);
	free(expected);
	npu_program_fini(&prog);
	return ret;
}

static int write_ew_seed(const char *dir)
{
	const struct npu_soc *soc = npu_soc_rk3588();
	struct npu_ew_params p = { .w = 8, .h = 8, .c = 32 };
	const void *data[NPU_SLOT_COUNT] = { 0 };
	uint64_t iova[NPU_SLOT_COUNT];
	struct npu_feature_layout l;
	struct npu_program prog;
	uint8_t *a = NULL;
	int ret;

	npu_program_init(&prog, soc);
	ret = npu_ew_add_build(soc, &p, &prog);
	npu_ew_layout(soc, &p, &l);
	for (int s = 0; s < NPU_SLOT_COUNT; s++)
		iova[s] = SEED_IOVA_BASE + s * SEED_IOVA_STEP;
	if (!ret)
		ret = npu_program_relocate(&prog, iova);
	if (!ret) {
		a = calloc(1, l.size);
		ret = a ? 0 : -ENOMEM;
	}
	if (!ret) {
		data[NPU_SLOT_INPUT] = a;
		data[NPU_SLOT_EW] = a;
		ret = npu_dump_write(dir, &prog, iova, data, a, l.size, NPU_DUMP_CMP_BYTES, 0,
				     NULL);
	}
	free(a);
	npu_program_fini(&prog);
	return ret;
}

static int make_seeds(void)
{
	for (int i = 0; i < N_SEEDS; i++) {
		int ret;

		clear_dir(dir_seed);
		ret = i == 2 ? write_ew_seed(dir_seed) : write_conv_seed(dir_seed, i ? 20 : 32);
		if (ret)
			return ret;
		for (size_t f = 0; f < N_FILES; f++) {
			ret = read_bytes(dir_seed, files[f], &seeds[i].file[f], &seeds[i].size[f]);
			if (ret)
				return ret;
		}
		if (!seeds[i].file[0])
			return -ENOENT;
	}
	clear_dir(dir_seed);
	return 0;
}

/* ---- text mutations ---- */

struct text {
	char *b;
	size_t n;
};

/* [start, end) of line @k (0-based), or false when there is none. */
static bool line_range(const struct text *t, size_t k, size_t *start, size_t *end)
{
	size_t s = 0;

	for (size_t i = 0; i < k; i++) {
		const char *nl = memchr(t->b + s, '\n', t->n - s);

		if (!nl)
			return false;
		s = (size_t)(nl - t->b) + 1;
	}
	if (s > t->n)
		return false;
	*start = s;
	*end = memchr(t->b + s, '\n', t->n - s) ?
	       (size_t)((char *)memchr(t->b + s, '\n', t->n - s) - t->b) + 1 : t->n;
	return true;
}

static size_t count_lines(const struct text *t)
{
	size_t n = 1;

	for (size_t i = 0; i < t->n; i++)
		n += t->b[i] == '\n';
	return n;
}

static void replace(struct text *t, size_t start, size_t end, const char *with, size_t len)
{
	if (t->n - (end - start) + len > TEXT_MAX)
		return;
	memmove(t->b + start + len, t->b + end, t->n - end);
	memcpy(t->b + start, with, len);
	t->n = t->n - (end - start) + len;
}

/* A word of line [s, e): [ws, we), or false. */
static bool pick_word(const struct text *t, size_t s, size_t e, size_t *ws, size_t *we)
{
	size_t words = 0, k, i;

	for (size_t j = s; j < e; j++)
		if (t->b[j] != ' ' && t->b[j] != '\n' && (j == s || t->b[j - 1] == ' '))
			words++;
	if (!words)
		return false;
	k = below(words);
	for (i = s; i < e; i++)
		if (t->b[i] != ' ' && t->b[i] != '\n' && (i == s || t->b[i - 1] == ' ') && !k--)
			break;
	*ws = i;
	for (*we = i; *we < e && t->b[*we] != ' ' && t->b[*we] != '\n'; (*we)++)
		;
	return true;
}

static void mutate_text(struct text *t)
{
	size_t lines = count_lines(t), s, e, s2, e2, ws, we;
	char line[TEXT_MAX];
	const char *tok;
	char c;

	switch (below(13)) {
	case 10:	/* nudge a number across a boundary: +-1, +-8, x2, /2 */
	case 11:
	case 12:
		if (line_range(t, below(lines), &s, &e) && pick_word(t, s, e, &ws, &we) &&
		    t->b[ws] >= '1' && t->b[ws] <= '9' && we - ws < 20) {
			static const int64_t delta[] = { 1, -1, 8, -8 };
			unsigned long long v = strtoull(t->b + ws, NULL, 10);
			size_t k = below(6);

			v = k < 4 ? v + (unsigned long long)delta[k] : k == 4 ? v * 2 : v / 2;
			snprintf(line, sizeof(line), "%llu", v);
			replace(t, ws, we, line, strlen(line));
		}
		break;
	case 0:		/* delete a line */
		if (line_range(t, below(lines), &s, &e))
			replace(t, s, e, "", 0);
		break;
	case 1:		/* duplicate a line */
		if (line_range(t, below(lines), &s, &e) && e - s < sizeof(line)) {
			memcpy(line, t->b + s, e - s);
			replace(t, s, s, line, e - s);
		}
		break;
	case 2:		/* move a line elsewhere */
		if (line_range(t, below(lines), &s, &e) && e - s < sizeof(line)) {
			size_t len = e - s;

			memcpy(line, t->b + s, len);
			replace(t, s, e, "", 0);
			if (line_range(t, below(count_lines(t)), &s2, &e2))
				replace(t, s2, s2, line, len);
		}
		break;
	case 3:		/* replace a word by a token */
	case 4:
		if (line_range(t, below(lines), &s, &e) && pick_word(t, s, e, &ws, &we)) {
			tok = tokens[below(N_TOKENS)];
			replace(t, ws, we, tok, strlen(tok));
		}
		break;
	case 5:		/* append a word */
		if (line_range(t, below(lines), &s, &e)) {
			tok = tokens[below(N_TOKENS)];
			snprintf(line, sizeof(line), " %s", tok);
			e2 = e > s && t->b[e - 1] == '\n' ? e - 1 : e;
			replace(t, e2, e2, line, strlen(line));
		}
		break;
	case 6:		/* insert a byte of interest */
		c = bytes_of_interest[below(sizeof(bytes_of_interest))];
		s = below(t->n + 1);
		replace(t, s, s, &c, 1);
		break;
	case 7:		/* flip a bit */
		if (t->n)
			t->b[below(t->n)] ^= (char)(1u << below(8));
		break;
	case 8:		/* truncate */
		t->n = below(t->n + 1);
		break;
	default:	/* a blank or comment line */
		tok = below(2) ? "\n" : "# c\n";
		if (line_range(t, below(lines), &s, &e))
			replace(t, s, s, tok, strlen(tok));
		break;
	}
}

/* ---- file mutations ---- */

static void mutate_files(const char *dir)
{
	size_t f = 1 + below(N_FILES - 1);
	char p[512], *data;
	size_t size;

	path_of(p, sizeof(p), dir, files[f]);
	switch (below(6)) {
	case 0:		/* truncate */
		if (!read_bytes(dir, files[f], &data, &size) && data) {
			write_bytes(dir, files[f], data, below(size + 1));
			free(data);
		}
		break;
	case 1:		/* extend by 1..9 bytes */
		if (!read_bytes(dir, files[f], &data, &size) && data) {
			char *more = realloc(data, size + 9);

			if (more) {
				data = more;
				memset(data + size, 0x5a, 9);
				write_bytes(dir, files[f], data, size + 1 + below(9));
			}
			free(data);
		}
		break;
	case 2:
		write_bytes(dir, files[f], "", 0);
		break;
	case 3:
		unlink(p);
		break;
	case 4:
		unlink(p);
		mkdir(p, 0755);
		break;
	default:
		unlink(p);
		mkfifo(p, 0600);
		break;
	}
}

/* ---- rules ---- */

static bool zeroed(const struct npu_dump *d)
{
	static const struct npu_dump zero;

	return !memcmp(d, &zero, sizeof(*d));
}

/* The format's invariants; NULL when all hold, else the one broken. */
static const char *invariant(const struct npu_dump *d, bool loaded)
{
	const struct npu_program *p = &d->prog;

	if (d->version < NPU_DUMP_VERSION_MIN || d->version > NPU_DUMP_VERSION)
		return "version out of range";
	if (!npu_soc_variant(d->soc) || p->soc != npu_soc_variant(d->soc))
		return "unknown soc accepted";
	if (!d->buf[NPU_SLOT_REGCMD].present || !p->n_tasks || p->n_tasks > NPU_DUMP_MAX_TASKS)
		return "task count or regcmd line";
	if (p->n_relocs > NPU_DUMP_MAX_RELOCS)
		return "too many relocs";
	for (unsigned int i = 0; i < p->n_tasks; i++)
		if (!p->tasks[i].count || p->tasks[i].offset % 8 ||
		    p->tasks[i].first != p->tasks[i].offset / 8 ||
		    (loaded && p->tasks[i].first + (uint64_t)p->tasks[i].count > p->n_words))
			return "a task outside the regcmd file";
	for (int s = NPU_SLOT_REGCMD + 1; s < NPU_SLOT_COUNT; s++)
		if (d->buf[s].present && (!d->buf[s].size || d->buf[s].size > NPU_DUMP_MAX_BUFFER ||
		    (d->buf[s].has_iova && d->buf[s].iova + d->buf[s].size > (1ull << 32))))
			return "a buffer size out of range";
	for (unsigned int i = 0; i < p->n_relocs; i++) {
		const struct npu_reloc *r = &p->relocs[i];

		if (r->slot >= NPU_SLOT_COUNT || !d->buf[r->slot].present ||
		    (loaded && r->entry >= p->n_words) ||
		    ((loaded || r->slot != NPU_SLOT_REGCMD) && r->offset >= d->buf[r->slot].size))
			return "a reloc outside its buffer";
	}
	if (d->has_expect && !d->buf[NPU_SLOT_OUTPUT].present)
		return "expect without output";
	if (d->has_shape && (!d->has_expect || !d->shape.w || !d->shape.h || !d->shape.c))
		return "bad output-shape";
	if (loaded && d->has_expect && d->expect_size != d->buf[NPU_SLOT_OUTPUT].size)
		return "expected file not the output's size";
	if (loaded && d->has_shape) {
		struct npu_feature_layout l;

		npu_feature_layout_init(&l, p->soc, d->shape.w, d->shape.h, d->shape.c,
					d->cmp == NPU_DUMP_CMP_S32 ? 4 : 1);
		if (l.size > d->buf[NPU_SLOT_OUTPUT].size)
			return "output-shape larger than the output";
	}
	return NULL;
}

static bool same_dump(const struct npu_dump *a, const struct npu_dump *b)
{
	if (a->prog.n_words != b->prog.n_words || a->prog.n_tasks != b->prog.n_tasks ||
	    a->prog.n_relocs != b->prog.n_relocs || a->one_job != b->one_job ||
	    a->prog.soc != b->prog.soc || a->has_expect != b->has_expect ||
	    a->has_shape != b->has_shape)
		return false;
	if (memcmp(a->prog.words, b->prog.words, a->prog.n_words * 8) ||
	    memcmp(a->prog.tasks, b->prog.tasks, a->prog.n_tasks * sizeof(*a->prog.tasks)) ||
	    (a->prog.n_relocs &&
	     memcmp(a->prog.relocs, b->prog.relocs, a->prog.n_relocs * sizeof(*a->prog.relocs))))
		return false;
	for (int s = NPU_SLOT_REGCMD + 1; s < NPU_SLOT_COUNT; s++) {
		if (a->buf[s].present != b->buf[s].present || a->buf[s].size != b->buf[s].size)
			return false;
		if (s != NPU_SLOT_OUTPUT && a->buf[s].present &&
		    memcmp(a->buf[s].data, b->buf[s].data, a->buf[s].size))
			return false;
	}
	if (a->has_expect && (a->cmp != b->cmp || a->tolerance != b->tolerance ||
			      a->expect_size != b->expect_size ||
			      memcmp(a->expect_data, b->expect_data, a->expect_size)))
		return false;
	return !a->has_shape || !memcmp(&a->shape, &b->shape, sizeof(a->shape));
}

/* An accepted, loaded dump: round trip, self-compare, rebase. */
static void check_loaded(struct npu_dump *d)
{
	const void *data[NPU_SLOT_COUNT] = { 0 };
	uint64_t iova[NPU_SLOT_COUNT];
	char manifest[512], err[512];
	struct npu_dump back;
	int ret;

	for (int s = 0; s < NPU_SLOT_COUNT; s++) {
		iova[s] = d->buf[s].iova;
		if (s != NPU_SLOT_REGCMD && s != NPU_SLOT_OUTPUT && d->buf[s].present)
			data[s] = d->buf[s].data;
	}
	clear_dir(dir_round);
	ret = npu_dump_write(dir_round, &d->prog, iova, data, d->expect_data,
			     d->has_expect ? d->expect_size : 0, d->cmp, d->tolerance,
			     d->has_shape ? &d->shape : NULL);
	if (ret) {
		defect("an accepted dump cannot be written again (%d)", ret);
		return;
	}
	path_of(manifest, sizeof(manifest), dir_round, "manifest");
	ret = npu_dump_load(manifest, &back, err, sizeof(err));
	if (ret)
		defect("an accepted dump, written again, is refused: %s", err);
	else if (!same_dump(d, &back))
		defect("an accepted dump, written again, reads back differently");
	npu_dump_free(&back);

	if (d->has_expect) {
		struct npu_compare_stats st;

		npu_dump_compare(d, d->expect_data, d->expect_size, &st);
		if (!npu_compare_ok(&st) || st.exact != st.total)
			defect("the expected output compared with itself is not exact");
	}
	for (int s = 0; s < NPU_SLOT_COUNT; s++)
		iova[s] = SEED_IOVA_BASE + 2 * s * SEED_IOVA_STEP;
	npu_dump_rebase(d, iova);
}

static void one_iteration(void)
{
	const struct seed *sd = &seeds[below(N_SEEDS)];
	bool through_files = iteration % FILE_EVERY == 0;
	struct text t = { malloc(TEXT_MAX), 0 };
	char manifest[512], err[512] = "", prefix[600];
	unsigned int n = 1 + (unsigned int)below(MAX_MUTATIONS);
	struct npu_dump d;
	const char *why;
	int ret;

	if (!t.b) {
		defect("out of memory");
		return;
	}
	t.n = sd->size[0] < TEXT_MAX ? sd->size[0] : TEXT_MAX;
	memcpy(t.b, sd->file[0], t.n);
	for (unsigned int i = 0; i < n; i++)
		mutate_text(&t);

	if (!through_files) {
		ret = npu_dump_parse_buf(t.b, t.n, &d, err, sizeof(err));
		n_parsed++;
		n_parse_ok += !ret;
		if (ret && (!zeroed(&d) || strncmp(err, "line ", 5)))
			defect("parse refused without a clean struct or a line: '%s'", err);
		if (!ret && (why = invariant(&d, false)))
			defect("parse accepted an invalid manifest: %s", why);
		npu_dump_free(&d);
		free(t.b);
		return;
	}

	clear_dir(dir_work);
	for (size_t f = 1; f < N_FILES; f++)
		if (sd->file[f])
			write_bytes(dir_work, files[f], sd->file[f], sd->size[f]);
	write_bytes(dir_work, files[0], t.b, t.n);
	free(t.b);
	if (below(2))
		mutate_files(dir_work);
	path_of(manifest, sizeof(manifest), dir_work, "manifest");
	snprintf(prefix, sizeof(prefix), "%s: ", manifest);
	ret = npu_dump_load(manifest, &d, err, sizeof(err));
	n_loaded++;
	n_load_ok += !ret;
	if (ret) {
		if (!zeroed(&d) || strncmp(err, prefix, strlen(prefix)))
			defect("load refused without a clean struct or naming the manifest: '%s'",
			       err);
	} else if ((why = invariant(&d, true))) {
		defect("load accepted an invalid dump: %s", why);
	} else {
		check_loaded(&d);
	}
	npu_dump_free(&d);
}

static int make_dirs(void)
{
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char base[200];

	snprintf(base, sizeof(base), "%s/" NAME "-XXXXXX", tmp);
	if (!mkdtemp(base))
		return -errno;
	snprintf(dir_seed, sizeof(dir_seed), "%s/seed", base);
	snprintf(dir_work, sizeof(dir_work), "%s/work", base);
	snprintf(dir_round, sizeof(dir_round), "%s/round", base);
	if (mkdir(dir_seed, 0755) || mkdir(dir_work, 0755) || mkdir(dir_round, 0755))
		return -errno;
	return 0;
}

static void remove_dirs(void)
{
	char base[256], *slash;

	clear_dir(dir_seed);
	clear_dir(dir_work);
	clear_dir(dir_round);
	rmdir(dir_seed);
	rmdir(dir_work);
	rmdir(dir_round);
	snprintf(base, sizeof(base), "%s", dir_seed);
	slash = strrchr(base, '/');
	if (slash) {
		*slash = '\0';
		rmdir(base);
	}
}

static int parse_arg(const char *s, uint64_t *v)
{
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno || *end ? -1 : 0;
}

int main(int argc, char **argv)
{
	uint64_t iterations = 0, max_seconds = 0;
	bool have_seed = false, have_it = false, have_max = false;
	double start, elapsed;
	unsigned int done = 0;
	int ret;

	for (int i = 1; i < argc; i += 2) {
		uint64_t *v = !strcmp(argv[i], "--seed") ? &run_seed :
			      !strcmp(argv[i], "--iterations") ? &iterations :
			      !strcmp(argv[i], "--max-seconds") ? &max_seconds : NULL;

		if (!v || i + 1 >= argc || parse_arg(argv[i + 1], v)) {
			fprintf(stderr, "usage: %s --seed N --iterations N --max-seconds N\n",
				NAME);
			return EXIT_USAGE;
		}
		have_seed |= v == &run_seed;
		have_it |= v == &iterations;
		have_max |= v == &max_seconds;
	}
	if (!have_seed || !have_it || !have_max) {
		fprintf(stderr, "usage: %s --seed N --iterations N --max-seconds N\n", NAME);
		return EXIT_USAGE;
	}
	ret = make_dirs();
	if (!ret)
		ret = make_seeds();
	if (ret) {
		fprintf(stderr, "%s: cannot write the seed dumps: %s\n", NAME, strerror(-ret));
		remove_dirs();
		return EXIT_DEFECT;
	}
	start = now_s();
	for (iteration = 0; iteration < iterations; iteration++) {
		if (now_s() - start > (double)max_seconds)
			break;
		/* one stream per (seed, iteration): never 0 for xorshift */
		rng_state = (run_seed + 1) * 0x9e3779b97f4a7c15ull ^
			    (iteration + 1ull) * 0xbf58476d1ce4e5b9ull;
		if (!rng_state)
			rng_state = 1;
		one_iteration();
		done++;
	}
	elapsed = now_s() - start;
	remove_dirs();
	for (int i = 0; i < N_SEEDS; i++)
		for (size_t f = 0; f < N_FILES; f++)
			free(seeds[i].file[f]);
	printf("%s: parse accepted %u of %u mutated manifests, load %u of %u mutated dumps\n",
	       NAME, n_parse_ok, n_parsed, n_load_ok, n_loaded);
	printf("%s: seed %" PRIu64 ", %u iterations, %.1f s, %u defects\n", NAME, run_seed, done,
	       elapsed, defects);
	return defects ? EXIT_DEFECT : 0;
}
