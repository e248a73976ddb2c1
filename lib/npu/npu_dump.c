// SPDX-License-Identifier: MIT
/*
 * npu_dump.c — reading, writing and rebasing captured command streams
 * (format: docs/regcmd-dump.md).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "npu/npu_dump.h"
#include "npu/regcmd.h"

static const char *const cmp_names[] = {
	[NPU_DUMP_CMP_BYTES] = "bytes",
	[NPU_DUMP_CMP_S8] = "s8",
	[NPU_DUMP_CMP_S32] = "s32",
};

const char *npu_dump_cmp_name(enum npu_dump_cmp cmp)
{
	return (unsigned int)cmp <= NPU_DUMP_CMP_S32 ? cmp_names[cmp] : "?";
}

static int fail(char *err, size_t len, unsigned int line, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, len, "line %u: ", line);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < len)
		vsnprintf(err + n, len - n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!s)
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || *end ? -1 : 0;
}

static int copy_path(char *dst, const char *src)
{
	if (!src || strlen(src) >= NPU_DUMP_PATH_MAX)
		return -1;
	strcpy(dst, src);
	return 0;
}

/* "[iova X]" trailing an entry */
static int parse_iova(char **save, struct npu_dump_buffer *b)
{
	char *kw = strtok_r(NULL, " \t", save);

	if (!kw)
		return 0;
	if (strcmp(kw, "iova") || parse_u64(strtok_r(NULL, " \t", save), &b->iova))
		return -1;
	b->has_iova = true;
	return strtok_r(NULL, " \t", save) ? -1 : 0;
}

static int parse_line(struct npu_dump *d, char *line, unsigned int n, char *err, size_t len)
{
	char *save = NULL, *kw = strtok_r(line, " \t", &save);
	char *a = strtok_r(NULL, " \t", &save);
	uint64_t x, y;
	int slot;

	if (!kw)
		return 0;
	if (!strcmp(kw, "soc")) {
		if (!a || strlen(a) >= sizeof(d->soc))
			return fail(err, len, n, "bad soc");
		strcpy(d->soc, a);
	} else if (!strcmp(kw, "job")) {
		if (!a || (strcmp(a, "one") && strcmp(a, "per-task")))
			return fail(err, len, n, "job must be 'one' or 'per-task'");
		d->one_job = !strcmp(a, "one");
	} else if (!strcmp(kw, "regcmd")) {
		if (copy_path(d->buf[NPU_SLOT_REGCMD].file, a) ||
		    parse_iova(&save, &d->buf[NPU_SLOT_REGCMD]))
			return fail(err, len, n, "usage: regcmd FILE [iova X]");
		d->buf[NPU_SLOT_REGCMD].present = true;
	} else if (!strcmp(kw, "task")) {
		struct npu_task_desc *t;

		if (parse_u64(a, &x) || parse_u64(strtok_r(NULL, " \t", &save), &y) ||
		    x % 8 || !y || y > UINT32_MAX || x > UINT32_MAX)
			return fail(err, len, n, "usage: task BYTE_OFFSET(8-aligned) COUNT(>0)");
		if (d->prog.n_tasks == NPU_DUMP_MAX_TASKS)
			return fail(err, len, n, "too many tasks");
		t = realloc(d->prog.tasks, (d->prog.n_tasks + 1) * sizeof(*t));
		if (!t)
			return -ENOMEM;
		d->prog.tasks = t;
		t[d->prog.n_tasks].offset = (uint32_t)x;
		t[d->prog.n_tasks].first = (uint32_t)(x / 8);
		t[d->prog.n_tasks].count = (uint32_t)y;
		d->prog.n_tasks++;
	} else if (!strcmp(kw, "buffer")) {
		struct npu_dump_buffer *b;

		slot = a ? npu_slot_by_name(a) : -1;
		if (slot <= NPU_SLOT_REGCMD)
			return fail(err, len, n, "unknown buffer slot '%s'", a ? a : "");
		b = &d->buf[slot];
		if (copy_path(b->file, strtok_r(NULL, " \t", &save)) ||
		    parse_u64(strtok_r(NULL, " \t", &save), &b->size) || !b->size ||
		    b->size > UINT32_MAX || parse_iova(&save, b))
			return fail(err, len, n, "usage: buffer SLOT FILE|- SIZE [iova X]");
		b->present = true;
		d->prog.slot_size[slot] = b->size;
	} else if (!strcmp(kw, "reloc")) {
		char *s = strtok_r(NULL, " \t", &save);

		slot = s ? npu_slot_by_name(s) : -1;
		if (parse_u64(a, &x) || slot < 0 || parse_u64(strtok_r(NULL, " \t", &save), &y) ||
		    x > UINT32_MAX || y > UINT32_MAX)
			return fail(err, len, n, "usage: reloc ENTRY SLOT OFFSET");
		if (npu_program_add_reloc(&d->prog, (uint32_t)x, slot, (uint32_t)y))
			return -ENOMEM;
	} else if (!strcmp(kw, "expect")) {
		char *mode = strtok_r(NULL, " \t", &save), *tol = strtok_r(NULL, " \t", &save);
		uint64_t t = 0;

		if (copy_path(d->expect_file, a))
			return fail(err, len, n, "usage: expect FILE [bytes|s8|s32 [TOLERANCE]]");
		d->cmp = NPU_DUMP_CMP_BYTES;
		if (mode) {
			if (!strcmp(mode, "s8"))
				d->cmp = NPU_DUMP_CMP_S8;
			else if (!strcmp(mode, "s32"))
				d->cmp = NPU_DUMP_CMP_S32;
			else if (strcmp(mode, "bytes"))
				return fail(err, len, n, "compare mode must be bytes, s8 or s32");
		}
		if (tol && (parse_u64(tol, &t) || t > INT32_MAX))
			return fail(err, len, n, "bad tolerance");
		d->tolerance = (int64_t)t;
		d->has_expect = true;
	} else {
		return fail(err, len, n, "unknown directive '%s'", kw);
	}
	return 0;
}

int npu_dump_parse(const char *text, struct npu_dump *d, char *err, size_t errlen)
{
	char *copy = strdup(text), *save = NULL, *line;
	unsigned int n = 0;
	int ret = 0, version;
	char magic[32];

	memset(d, 0, sizeof(*d));
	npu_program_init(&d->prog, npu_soc_rk3588());
	snprintf(d->soc, sizeof(d->soc), "rk3588");
	if (!copy)
		return -ENOMEM;
	for (line = strtok_r(copy, "\n", &save); line && !ret; line = strtok_r(NULL, "\n", &save)) {
		char *hash = strchr(line, '#');

		n++;
		if (hash)
			*hash = '\0';
		if (n == 1) {
			if (sscanf(line, "%31s %d", magic, &version) != 2 ||
			    strcmp(magic, NPU_DUMP_MAGIC))
				ret = fail(err, errlen, n, "not an %s manifest", NPU_DUMP_MAGIC);
			else if (version != NPU_DUMP_VERSION)
				ret = fail(err, errlen, n, "unsupported version %d", version);
			d->version = version;
			continue;
		}
		ret = parse_line(d, line, n, err, errlen);
	}
	free(copy);
	if (!ret && !n)
		ret = fail(err, errlen, 1, "empty manifest");
	if (!ret && (!d->buf[NPU_SLOT_REGCMD].present || !d->prog.n_tasks))
		ret = fail(err, errlen, n, "a regcmd line and at least one task are required");
	if (!ret && !npu_soc_variant(d->soc))
		ret = fail(err, errlen, n, "unknown soc '%s'", d->soc);
	if (!ret)
		d->prog.soc = npu_soc_variant(d->soc);
	d->prog.one_job = d->one_job;
	return ret;
}

static int read_file(const char *dir, const char *name, void **data, uint64_t *size)
{
	char path[2 * NPU_DUMP_PATH_MAX + 2];
	FILE *f;
	long n;
	int ret = 0;

	if (name[0] == '/')
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		return -errno;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return -EIO;
	}
	/* one spare zero byte so a text file is a C string */
	*data = calloc(1, n + 1);
	if (!*data)
		ret = -ENOMEM;
	else if (n && fread(*data, 1, n, f) != (size_t)n)
		ret = -EIO;
	*size = n;
	fclose(f);
	return ret;
}

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static int load_buffers(struct npu_dump *d, char *err, size_t errlen)
{
	struct npu_dump_buffer *r = &d->buf[NPU_SLOT_REGCMD];
	uint64_t size;
	void *data;
	int ret;

	ret = read_file(d->dir, r->file, &data, &size);
	if (ret)
		return snprintf(err, errlen, "%s: %s", r->file, strerror(-ret)), ret;
	if (size % 8 || !size) {
		free(data);
		return snprintf(err, errlen, "%s: not a whole number of 64-bit entries", r->file),
		       -EINVAL;
	}
	d->prog.n_words = size / 8;
	d->prog.words = malloc(size);
	if (!d->prog.words) {
		free(data);
		return -ENOMEM;
	}
	for (size_t i = 0; i < d->prog.n_words; i++)
		d->prog.words[i] = le64((uint8_t *)data + 8 * i);
	free(data);
	r->size = size;
	d->prog.slot_size[NPU_SLOT_REGCMD] = size;
	for (unsigned int i = 0; i < d->prog.n_tasks; i++)
		if (d->prog.tasks[i].first + (uint64_t)d->prog.tasks[i].count > d->prog.n_words)
			return snprintf(err, errlen, "task %u runs past the regcmd file", i),
			       -EINVAL;
	for (unsigned int i = 0; i < d->prog.n_relocs; i++)
		if (d->prog.relocs[i].entry >= d->prog.n_words)
			return snprintf(err, errlen, "reloc %u past the regcmd file", i), -EINVAL;

	for (int s = NPU_SLOT_REGCMD + 1; s < NPU_SLOT_COUNT; s++) {
		struct npu_dump_buffer *b = &d->buf[s];

		if (!b->present)
			continue;
		b->data = calloc(1, b->size);
		if (!b->data)
			return -ENOMEM;
		if (!strcmp(b->file, "-"))
			continue;
		ret = read_file(d->dir, b->file, &data, &size);
		if (ret)
			return snprintf(err, errlen, "%s: %s", b->file, strerror(-ret)), ret;
		if (size > b->size) {
			free(data);
			return snprintf(err, errlen, "%s is larger than its buffer", b->file),
			       -EINVAL;
		}
		memcpy(b->data, data, size);
		free(data);
	}
	if (d->has_expect) {
		ret = read_file(d->dir, d->expect_file, &d->expect_data, &d->expect_size);
		if (ret)
			return snprintf(err, errlen, "%s: %s", d->expect_file, strerror(-ret)), ret;
	}
	return 0;
}

int npu_dump_load(const char *manifest_path, struct npu_dump *d, char *err, size_t errlen)
{
	char dir[NPU_DUMP_PATH_MAX], *slash;
	void *text;
	uint64_t size;
	int ret;

	if (strlen(manifest_path) >= sizeof(dir))
		return -ENAMETOOLONG;
	strcpy(dir, manifest_path);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		strcpy(dir, ".");
	ret = read_file(".", manifest_path, &text, &size);
	if (ret) {
		snprintf(err, errlen, "%s: %s", manifest_path, strerror(-ret));
		return ret;
	}
	ret = npu_dump_parse(text, d, err, errlen);
	free(text);
	strcpy(d->dir, dir);
	if (!ret)
		ret = load_buffers(d, err, errlen);
	return ret;
}

void npu_dump_free(struct npu_dump *d)
{
	for (int s = 0; s < NPU_SLOT_COUNT; s++)
		free(d->buf[s].data);
	free(d->expect_data);
	npu_program_fini(&d->prog);
	memset(d, 0, sizeof(*d));
}

static int write_file(const char *dir, const char *name, const void *data, size_t size)
{
	char path[2 * NPU_DUMP_PATH_MAX + 2];
	FILE *f;
	int ret = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f)
		return -errno;
	if (size && fwrite(data, 1, size, f) != size)
		ret = -EIO;
	if (fclose(f) && !ret)
		ret = -errno;
	return ret;
}

int npu_dump_write(const char *dir, const struct npu_program *prog,
		   const uint64_t iova[NPU_SLOT_COUNT], const void *const data[NPU_SLOT_COUNT],
		   const void *expected, size_t expected_size, enum npu_dump_cmp cmp,
		   int64_t tolerance)
{
	char path[2 * NPU_DUMP_PATH_MAX + 2], name[64];
	uint8_t *le;
	FILE *f;
	int ret;

	if (mkdir(dir, 0755) && errno != EEXIST)
		return -errno;
	le = malloc(prog->n_words * 8);
	if (!le)
		return -ENOMEM;
	for (size_t i = 0; i < prog->n_words; i++)
		for (int b = 0; b < 8; b++)
			le[8 * i + b] = (uint8_t)(prog->words[i] >> (8 * b));
	ret = write_file(dir, "regcmd.bin", le, prog->n_words * 8);
	free(le);
	if (ret)
		return ret;
	for (int s = NPU_SLOT_REGCMD + 1; s < NPU_SLOT_COUNT && !ret; s++) {
		snprintf(name, sizeof(name), "%s.bin", npu_slot_name(s));
		if (prog->slot_size[s] && data[s])
			ret = write_file(dir, name, data[s], prog->slot_size[s]);
	}
	if (!ret && expected)
		ret = write_file(dir, "expected.bin", expected, expected_size);
	if (ret)
		return ret;

	snprintf(path, sizeof(path), "%s/manifest", dir);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fprintf(f, "%s %d\n", NPU_DUMP_MAGIC, NPU_DUMP_VERSION);
	fprintf(f, "soc %s\n", prog->soc->name);
	fprintf(f, "job %s\n", prog->one_job ? "one" : "per-task");
	fprintf(f, "regcmd regcmd.bin iova 0x%" PRIx64 "\n", iova[NPU_SLOT_REGCMD]);
	for (unsigned int i = 0; i < prog->n_tasks; i++)
		fprintf(f, "task %" PRIu32 " %" PRIu32 "\n", prog->tasks[i].offset,
			prog->tasks[i].count);
	for (int s = NPU_SLOT_REGCMD + 1; s < NPU_SLOT_COUNT; s++) {
		if (!prog->slot_size[s])
			continue;
		snprintf(name, sizeof(name), "%s.bin", npu_slot_name(s));
		fprintf(f, "buffer %s %s %" PRIu64 " iova 0x%" PRIx64 "\n", npu_slot_name(s),
			data[s] ? name : "-", prog->slot_size[s], iova[s]);
	}
	for (unsigned int i = 0; i < prog->n_relocs; i++)
		fprintf(f, "reloc %" PRIu32 " %s %" PRIu32 "\n", prog->relocs[i].entry,
			npu_slot_name(prog->relocs[i].slot), prog->relocs[i].offset);
	if (expected)
		fprintf(f, "expect expected.bin %s %" PRId64 "\n", npu_dump_cmp_name(cmp),
			tolerance);
	return fclose(f) ? -errno : 0;
}

/* Entries the chaining owns: not rebased as addresses. */
static bool is_tail_entry(const struct npu_dump *d, size_t i)
{
	for (unsigned int t = 0; t < d->prog.n_tasks; t++) {
		size_t end = d->prog.tasks[t].first + d->prog.tasks[t].count;

		if (i < end && i + NPU_TASK_TAIL_ENTRIES >= end)
			return true;
	}
	return false;
}

static int rebase_by_address(struct npu_dump *d, const uint64_t iova[NPU_SLOT_COUNT])
{
	for (size_t i = 0; i < d->prog.n_words; i++) {
		struct npu_regcmd_entry e = npu_regcmd_decode(d->prog.words[i]);

		if (!d->prog.words[i] || is_tail_entry(d, i))
			continue;
		for (int s = NPU_SLOT_REGCMD + 1; s < NPU_SLOT_COUNT; s++) {
			const struct npu_dump_buffer *b = &d->buf[s];
			uint64_t v;

			if (!b->present || !b->has_iova || e.value < b->iova ||
			    e.value >= b->iova + b->size)
				continue;
			v = iova[s] + (e.value - b->iova);
			if (v > UINT32_MAX)
				return -EINVAL;
			d->prog.words[i] = npu_regcmd_with_value(d->prog.words[i], (uint32_t)v);
			break;
		}
	}
	return 0;
}

int npu_dump_rebase(struct npu_dump *d, const uint64_t iova[NPU_SLOT_COUNT])
{
	int ret = 0;

	if (d->prog.n_relocs) {
		for (unsigned int i = 0; i < d->prog.n_relocs; i++) {
			const struct npu_reloc *r = &d->prog.relocs[i];

			if (iova[r->slot] + r->offset > UINT32_MAX)
				return -EINVAL;
		}
		for (unsigned int i = 0; i < d->prog.n_relocs; i++) {
			const struct npu_reloc *r = &d->prog.relocs[i];

			d->prog.words[r->entry] = npu_regcmd_with_value(d->prog.words[r->entry],
						(uint32_t)(iova[r->slot] + r->offset));
		}
	} else {
		ret = rebase_by_address(d, iova);
	}
	/* re-chain with the captured amounts: replay what was captured */
	for (unsigned int i = 0; !ret && i + 1 < d->prog.n_tasks; i++) {
		const struct npu_task_desc *t = &d->prog.tasks[i];
		size_t end = t->first + t->count;
		struct npu_regcmd_entry base, amount;

		if (t->count < NPU_TASK_TAIL_ENTRIES)
			continue;
		base = npu_regcmd_decode(d->prog.words[end - 4]);
		amount = npu_regcmd_decode(d->prog.words[end - 3]);
		if (base.reg != REG_PC_BASE_ADDRESS || !d->prog.words[end - 4])
			continue;	/* not chained in the capture */
		ret = npu_regcmd_chain(d->prog.words, end,
				       iova[NPU_SLOT_REGCMD] + d->prog.tasks[i + 1].offset,
				       PC_REGISTER_AMOUNTS_PC_DATA_AMOUNT__GET(amount.value));
	}
	return ret;
}

void npu_dump_compare(const struct npu_dump *d, const void *seen, size_t seen_size,
		      struct npu_compare_stats *st)
{
	size_t n = d->expect_size < seen_size ? d->expect_size : seen_size;

	switch (d->cmp) {
	case NPU_DUMP_CMP_S32: {
		size_t words = n / 4;
		int32_t *a = malloc(words * 4 + 4), *b = malloc(words * 4 + 4);

		if (!a || !b) {
			free(a);
			free(b);
			memset(st, 0, sizeof(*st));
			return;
		}
		memcpy(a, d->expect_data, words * 4);
		memcpy(b, seen, words * 4);
		npu_compare_s32(a, b, 1, (unsigned int)words, 1, d->tolerance, st);
		free(a);
		free(b);
		break;
	}
	case NPU_DUMP_CMP_S8:
		npu_compare_s8(d->expect_data, seen, 1, (unsigned int)n, 1, (int)d->tolerance,
			       0, st);
		break;
	default:
		npu_compare_s8(d->expect_data, seen, 1, (unsigned int)n, 1, 0, 0, st);
		break;
	}
	npu_compare_note_raw(st, seen, seen_size);
}
