// SPDX-License-Identifier: MIT
/*
 * rkval-regcmd-disasm — print an NPU register-command stream, one entry a
 * line: index, raw hex, block, register, value, decoded fields.  Unknown
 * registers print as REG_0x<offset>, unknown targets as "?".
 *
 *   rkval-regcmd-disasm FILE            raw little-endian 64-bit entries ("-": stdin);
 *                                       a regular file, a whole number of entries
 *   rkval-regcmd-disasm -m MANIFEST     a dump (docs/regcmd-dump.md): task headers too
 *   --state                             after each task, every register it wrote
 *
 * Names and fields come from lib/npu/npu_regs.def, the same table the
 * builders and vnpu use.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "npu/npu_disasm.h"
#include "npu/npu_dump.h"
#include "npu/regcmd.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: rkval-regcmd-disasm [--state] FILE|-\n"
		   "       rkval-regcmd-disasm [--state] -m MANIFEST\n");
}

/*
 * Read every entry before printing anything, so that a bad file prints
 * only its error.  A path must be a regular file (a directory or a FIFO is
 * refused, O_NONBLOCK so a FIFO cannot block the open); "-" is stdin, read
 * to its end.  A trailing partial entry is an error, not dropped.
 */
static int read_words(const char *path, uint64_t **words, size_t *n, const char **why)
{
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC) : 0;
	size_t cap = 0, count = 0, have = 0;
	struct stat sb;
	uint8_t b[8];
	uint64_t *w = NULL;
	int ret = 0;

	*why = NULL;
	if (fd < 0)
		return -errno;
	if (fd && (fstat(fd, &sb) || !S_ISREG(sb.st_mode))) {
		*why = "not a regular file";
		ret = -EINVAL;
	}
	while (!ret) {
		ssize_t r = read(fd, b + have, sizeof(b) - have);
		uint64_t v = 0;

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ret = -errno;
			break;
		}
		if (!r)
			break;
		have += (size_t)r;
		if (have < sizeof(b))
			continue;
		have = 0;
		if (count == NPU_DUMP_MAX_BUFFER / 8) {
			*why = "larger than the tools' limit";
			ret = -EFBIG;
			break;
		}
		if (count == cap) {
			uint64_t *nw = realloc(w, (cap = cap ? cap * 2 : 1024) * sizeof(*w));

			if (!nw) {
				ret = -ENOMEM;
				break;
			}
			w = nw;
		}
		for (int i = 7; i >= 0; i--)
			v = v << 8 | b[i];
		w[count++] = v;
	}
	if (!ret && have) {
		*why = "ends with a partial entry (size not a multiple of 8 bytes)";
		ret = -EINVAL;
	}
	if (fd)
		close(fd);
	if (ret) {
		free(w);
		return ret;
	}
	*words = w;
	*n = count;
	return 0;
}

static void print_state(const uint64_t *words, size_t n)
{
	struct npu_reg_state *st = calloc(1, sizeof(*st));
	unsigned int count;
	const struct npu_reg_desc *t = npu_reg_table(&count);

	if (!st)
		return;
	npu_reg_state_apply(st, words, n);
	printf("# state: %u entries, %u zero, %u unknown, op_en %s0x%02" PRIx32 "%s\n",
	       st->n_entries, st->n_zero, st->n_unknown, st->op_en_seen ? "" : "(none) ",
	       st->op_en, st->op_en_seen && !st->op_en_after_marker ?
	       " (no 0x0041 marker before it)" : "");
	for (unsigned int i = 0; i < count; i++) {
		if (t[i].block == NPU_BLOCK_GLOBAL || !npu_reg_state_written(st, t[i].offset))
			continue;
		printf("#   %s_%s = 0x%08" PRIx32 "\n", t[i].block_name, t[i].name,
		       npu_reg_state_get(st, t[i].offset));
	}
	free(st);
}

static void print_range(const uint64_t *words, size_t first, size_t n, int state)
{
	char line[1024];

	for (size_t i = first; i < first + n; i++) {
		npu_regcmd_format(i, words[i], line, sizeof(line));
		puts(line);
	}
	if (state)
		print_state(words + first, n);
}

int main(int argc, char **argv)
{
	const char *manifest = NULL, *file = NULL;
	int state = 0, ret;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--state"))
			state = 1;
		else if (!strcmp(argv[i], "-m") && i + 1 < argc)
			manifest = argv[++i];
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return usage(stdout), 0;
		else if (!file && (argv[i][0] != '-' || !strcmp(argv[i], "-")))
			file = argv[i];
		else
			return usage(stderr), 2;
	}
	if (!!manifest == !!file)
		return usage(stderr), 2;

	if (manifest) {
		struct npu_dump d;
		char err[256] = "";

		ret = npu_dump_load(manifest, &d, err, sizeof(err));
		if (ret) {
			fprintf(stderr, "rkval-regcmd-disasm: %s\n", err);
			return 1;
		}
		for (unsigned int t = 0; t < d.prog.n_tasks; t++) {
			const struct npu_task_desc *td = &d.prog.tasks[t];

			printf("# task %u: offset %" PRIu32 ", regcmd_count %" PRIu32
			       ", kernel PC amount %" PRIu32
			       ", vendor scale-1 amount %" PRIu32 "\n",
			       t, td->offset, td->count, npu_pc_amount_kernel(td->count),
			       npu_pc_amount_vendor(td->count, 1));
			print_range(d.prog.words, td->first, td->count, state);
		}
		npu_dump_free(&d);
		return 0;
	}

	{
		uint64_t *words = NULL;
		const char *why;
		size_t n = 0;

		ret = read_words(file, &words, &n, &why);
		if (ret) {
			fprintf(stderr, "rkval-regcmd-disasm: %s: %s\n", file,
				why ? why : strerror(-ret));
			return 1;
		}
		print_range(words, 0, n, state);
		free(words);
	}
	return 0;
}
