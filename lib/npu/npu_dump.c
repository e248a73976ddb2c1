// SPDX-License-Identifier: MIT
/*
 * npu_dump.c — reading, writing and rebasing captured command streams
 * (format: docs/regcmd-dump.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "npu/npu_dump.h"
#include "npu/npu_layout.h"
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

/*
 * A number is plain decimal without a leading zero ("026" could be read as
 * octal 22 or as 26: refused) or 0x followed by hex digits; no sign, no
 * spaces, at most @max.
 */
static int parse_num(const char *s, uint64_t max, uint64_t *v)
{
	unsigned int base = 10;
	uint64_t x = 0;

	if (!s || !*s)
		return -1;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		if (!*s)
			return -1;
	} else if (s[0] == '0' && s[1]) {
		return -1;
	}
	for (; *s; s++) {
		unsigned int digit;

		if (*s >= '0' && *s <= '9')
			digit = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			digit = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			digit = *s - 'A' + 10;
		else
			return -1;
		if (digit > max || x > (max - digit) / base)
			return -1;
		x = x * base + digit;
	}
	*v = x;
	return 0;
}

static int copy_path(char *dst, const char *src)
{
	if (!src || !*src || strlen(src) >= NPU_DUMP_PATH_MAX)
		return -1;
	strcpy(dst, src);
	return 0;
}

#define MAX_WORDS	8

struct words {
	unsigned int n;
	char *w[MAX_WORDS + 1];
};

/* Split at blanks; more than MAX_WORDS words is an error (-1). */
static int split(char *line, struct words *ws)
{
	char *save = NULL;

	ws->n = 0;
	for (char *t = strtok_r(line, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		if (ws->n == MAX_WORDS)
			return -1;
		ws->w[ws->n++] = t;
	}
	ws->w[ws->n] = NULL;
	return 0;
}

/* "[iova X]" at @i, the last words of the line: an IOVA is 32-bit. */
static int parse_iova(const struct words *ws, unsigned int i, struct npu_dump_buffer *b)
{
	if (ws->n == i)
		return 0;
	if (ws->n != i + 2 || strcmp(ws->w[i], "iova") ||
	    parse_num(ws->w[i + 1], UINT32_MAX, &b->iova))
		return -1;
	b->has_iova = true;
	return 0;
}

struct seen {
	bool soc, job;
};

static int add_task(struct npu_dump *d, const struct words *ws, unsigned int n, char *err,
		    size_t len)
{
	struct npu_task_desc *t;
	unsigned int *l;
	uint64_t x, y;

	if (ws->n != 3 || parse_num(ws->w[1], NPU_DUMP_MAX_BUFFER - 8, &x) || x % 8 ||
	    parse_num(ws->w[2], NPU_DUMP_MAX_BUFFER / 8, &y) || !y)
		return fail(err, len, n, "usage: task BYTE_OFFSET(8-aligned) COUNT(>0)");
	if (d->prog.n_tasks == NPU_DUMP_MAX_TASKS)
		return fail(err, len, n, "more than %d tasks", NPU_DUMP_MAX_TASKS);
	t = realloc(d->prog.tasks, (d->prog.n_tasks + 1) * sizeof(*t));
	if (!t)
		return -ENOMEM;
	d->prog.tasks = t;
	l = realloc(d->task_line, (d->prog.n_tasks + 1) * sizeof(*l));
	if (!l)
		return -ENOMEM;
	d->task_line = l;
	l[d->prog.n_tasks] = n;
	t[d->prog.n_tasks].offset = (uint32_t)x;
	t[d->prog.n_tasks].first = (uint32_t)(x / 8);
	t[d->prog.n_tasks].count = (uint32_t)y;
	d->prog.n_tasks++;
	return 0;
}

static int add_reloc(struct npu_dump *d, const struct words *ws, unsigned int n, char *err,
		     size_t len)
{
	int slot = ws->n == 4 ? npu_slot_by_name(ws->w[2]) : -1;
	unsigned int *l;
	uint64_t x, y;

	if (ws->n != 4 || parse_num(ws->w[1], NPU_DUMP_MAX_BUFFER / 8 - 1, &x) || slot < 0 ||
	    parse_num(ws->w[3], NPU_DUMP_MAX_BUFFER - 1, &y))
		return fail(err, len, n, "usage: reloc ENTRY SLOT OFFSET");
	if (d->prog.n_relocs == NPU_DUMP_MAX_RELOCS)
		return fail(err, len, n, "more than %d relocs", NPU_DUMP_MAX_RELOCS);
	l = realloc(d->reloc_line, (d->prog.n_relocs + 1) * sizeof(*l));
	if (!l)
		return -ENOMEM;
	d->reloc_line = l;
	l[d->prog.n_relocs] = n;
	return npu_program_add_reloc(&d->prog, (uint32_t)x, slot, (uint32_t)y) ? -ENOMEM : 0;
}

static int parse_expect(struct npu_dump *d, const struct words *ws, unsigned int n, char *err,
			size_t len)
{
	uint64_t t = 0;

	if (d->has_expect)
		return fail(err, len, n, "a second expect line");
	if (ws->n < 2 || ws->n > 4 || copy_path(d->expect_file, ws->w[1]))
		return fail(err, len, n, "usage: expect FILE [bytes|s8|s32 [TOLERANCE]]");
	d->cmp = NPU_DUMP_CMP_BYTES;
	if (ws->n > 2) {
		if (!strcmp(ws->w[2], "s8"))
			d->cmp = NPU_DUMP_CMP_S8;
		else if (!strcmp(ws->w[2], "s32"))
			d->cmp = NPU_DUMP_CMP_S32;
		else if (strcmp(ws->w[2], "bytes"))
			return fail(err, len, n, "compare mode must be bytes, s8 or s32");
	}
	if (ws->n > 3 && (d->cmp == NPU_DUMP_CMP_BYTES || parse_num(ws->w[3], INT32_MAX, &t)))
		return fail(err, len, n, "bad tolerance (s8 or s32 only, 0..%d)", INT32_MAX);
	d->tolerance = (int64_t)t;
	d->has_expect = true;
	d->expect_line = n;
	return 0;
}

/* Version 2: the real output cube, so that padding channels are not compared. */
static int parse_shape(struct npu_dump *d, const struct words *ws, unsigned int n, char *err,
		       size_t len)
{
	uint64_t v[3];

	if (d->version < 2)
		return fail(err, len, n, "output-shape needs version 2");
	if (d->has_shape)
		return fail(err, len, n, "a second output-shape line");
	for (int i = 0; i < 3; i++)
		if (ws->n != 4 || parse_num(ws->w[i + 1], NPU_DUMP_MAX_BUFFER, &v[i]) || !v[i])
			return fail(err, len, n, "usage: output-shape WIDTH HEIGHT CHANNELS");
	/* each factor <= 2^26: the first product cannot overflow, nor the second */
	if (v[0] * v[1] > NPU_DUMP_MAX_BUFFER || v[0] * v[1] * v[2] > NPU_DUMP_MAX_BUFFER)
		return fail(err, len, n, "output-shape larger than %u elements",
			    NPU_DUMP_MAX_BUFFER);
	d->shape.w = (unsigned int)v[0];
	d->shape.h = (unsigned int)v[1];
	d->shape.c = (unsigned int)v[2];
	d->has_shape = true;
	d->shape_line = n;
	return 0;
}

static int parse_line(struct npu_dump *d, struct seen *seen, char *line, unsigned int n,
		      char *err, size_t len)
{
	struct words ws;
	const char *kw;
	int slot;

	if (split(line, &ws))
		return fail(err, len, n, "more than %d words", MAX_WORDS);
	if (!ws.n)
		return 0;
	kw = ws.w[0];
	if (!strcmp(kw, "soc")) {
		if (seen->soc)
			return fail(err, len, n, "a second soc line");
		if (ws.n != 2 || strlen(ws.w[1]) >= sizeof(d->soc))
			return fail(err, len, n, "usage: soc NAME");
		if (!npu_soc_variant(ws.w[1]))
			return fail(err, len, n, "unknown soc '%s'", ws.w[1]);
		strcpy(d->soc, ws.w[1]);
		seen->soc = true;
	} else if (!strcmp(kw, "job")) {
		if (seen->job)
			return fail(err, len, n, "a second job line");
		if (ws.n != 2 || (strcmp(ws.w[1], "one") && strcmp(ws.w[1], "per-task")))
			return fail(err, len, n, "job must be 'one' or 'per-task'");
		d->one_job = !strcmp(ws.w[1], "one");
		seen->job = true;
	} else if (!strcmp(kw, "regcmd")) {
		struct npu_dump_buffer *b = &d->buf[NPU_SLOT_REGCMD];

		if (b->present)
			return fail(err, len, n, "a second regcmd line");
		if (ws.n < 2 || copy_path(b->file, ws.w[1]) || !strcmp(b->file, "-") ||
		    parse_iova(&ws, 2, b))
			return fail(err, len, n, "usage: regcmd FILE [iova X]");
		b->present = true;
		d->regcmd_line = n;
	} else if (!strcmp(kw, "task")) {
		return add_task(d, &ws, n, err, len);
	} else if (!strcmp(kw, "buffer")) {
		struct npu_dump_buffer *b;

		slot = ws.n > 1 ? npu_slot_by_name(ws.w[1]) : -1;
		if (slot <= NPU_SLOT_REGCMD)
			return fail(err, len, n, "unknown buffer slot '%s'", ws.n > 1 ? ws.w[1] : "");
		b = &d->buf[slot];
		if (b->present)
			return fail(err, len, n, "a second %s buffer", ws.w[1]);
		if (ws.n < 4 || copy_path(b->file, ws.w[2]) ||
		    parse_num(ws.w[3], NPU_DUMP_MAX_BUFFER, &b->size) || !b->size ||
		    parse_iova(&ws, 4, b))
			return fail(err, len, n, "usage: buffer SLOT FILE|- SIZE(1..%u) [iova X]",
				    NPU_DUMP_MAX_BUFFER);
		if (b->has_iova && b->iova + b->size > (uint64_t)UINT32_MAX + 1)
			return fail(err, len, n, "buffer ends above 4 GiB");
		b->present = true;
		d->buf_line[slot] = n;
		d->prog.slot_size[slot] = b->size;
	} else if (!strcmp(kw, "reloc")) {
		return add_reloc(d, &ws, n, err, len);
	} else if (!strcmp(kw, "expect")) {
		return parse_expect(d, &ws, n, err, len);
	} else if (!strcmp(kw, "output-shape")) {
		return parse_shape(d, &ws, n, err, len);
	} else {
		return fail(err, len, n, "unknown directive '%s'", kw);
	}
	return 0;
}

/* Line 1 is exactly "MAGIC VERSION": no comment, blank or sign around it. */
static int parse_magic(struct npu_dump *d, const char *line, char *err, size_t len)
{
	size_t m = strlen(NPU_DUMP_MAGIC);
	uint64_t v;

	if (strncmp(line, NPU_DUMP_MAGIC, m) || line[m] != ' ' ||
	    parse_num(line + m + 1, INT32_MAX, &v) || line[m + 1] == '0')
		return fail(err, len, 1, "not an %s manifest (the first line must be "
			    "'%s VERSION')", NPU_DUMP_MAGIC, NPU_DUMP_MAGIC);
	if (v < NPU_DUMP_VERSION_MIN || v > NPU_DUMP_VERSION)
		return fail(err, len, 1, "unsupported version %" PRIu64 " (this reader: %d..%d)",
			    v, NPU_DUMP_VERSION_MIN, NPU_DUMP_VERSION);
	d->version = (int)v;
	return 0;
}

/* Checks that need the whole manifest, each naming the line at fault. */
static int parse_finish(struct npu_dump *d, char *err, size_t len)
{
	if (!d->buf[NPU_SLOT_REGCMD].present || !d->prog.n_tasks)
		return fail(err, len, d->last_line,
			    "a regcmd line and at least one task are required");
	for (unsigned int i = 0; i < d->prog.n_relocs; i++) {
		const struct npu_reloc *r = &d->prog.relocs[i];

		if (!d->buf[r->slot].present)
			return fail(err, len, d->reloc_line[i], "reloc into %s, which has no "
				    "buffer line", npu_slot_name(r->slot));
		if (r->slot != NPU_SLOT_REGCMD && r->offset >= d->buf[r->slot].size)
			return fail(err, len, d->reloc_line[i], "reloc offset %" PRIu32
				    " is past the end of %s (%" PRIu64 " bytes)", r->offset,
				    npu_slot_name(r->slot), d->buf[r->slot].size);
	}
	if (d->has_expect && !d->buf[NPU_SLOT_OUTPUT].present)
		return fail(err, len, d->expect_line, "expect without an output buffer");
	if (d->has_shape && !d->has_expect)
		return fail(err, len, d->shape_line, "output-shape without an expect line");
	d->prog.soc = npu_soc_variant(d->soc);
	d->prog.one_job = d->one_job;
	return 0;
}

int npu_dump_parse_buf(const char *text, size_t size, struct npu_dump *d, char *err,
		       size_t errlen)
{
	struct seen seen = { false, false };
	char line[NPU_DUMP_LINE_MAX + 1];
	unsigned int n = 0;
	size_t pos = 0;
	int ret = 0;

	memset(d, 0, sizeof(*d));
	npu_program_init(&d->prog, npu_soc_rk3588());
	snprintf(d->soc, sizeof(d->soc), "rk3588");
	if (!size)
		ret = fail(err, errlen, 1, "empty manifest");
	while (pos < size && !ret) {
		const char *nl = memchr(text + pos, '\n', size - pos);
		size_t end = nl ? (size_t)(nl - text) : size, l = end - pos;
		char *hash;

		n++;
		if (l > NPU_DUMP_LINE_MAX)
			ret = fail(err, errlen, n, "longer than %d bytes", NPU_DUMP_LINE_MAX);
		else if (memchr(text + pos, '\0', l))
			ret = fail(err, errlen, n, "NUL byte");
		if (ret)
			break;
		memcpy(line, text + pos, l);
		line[l] = '\0';
		pos = end + 1;
		if (n == 1) {
			ret = parse_magic(d, line, err, errlen);
			continue;
		}
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		ret = parse_line(d, &seen, line, n, err, errlen);
	}
	d->last_line = n;
	if (!ret)
		ret = parse_finish(d, err, errlen);
	if (ret == -ENOMEM)
		snprintf(err, errlen, "line %u: out of memory", n);
	if (ret)
		npu_dump_free(d);
	return ret;
}

int npu_dump_parse(const char *text, struct npu_dump *d, char *err, size_t errlen)
{
	return npu_dump_parse_buf(text, strlen(text), d, err, errlen);
}

/*
 * Read a regular file of at most @max bytes (plus a zero byte, so a text
 * file is a C string).  O_NONBLOCK: opening a FIFO must not wait for a
 * writer; it is then refused as not a regular file.
 */
static int read_file(const char *dir, const char *name, uint64_t max, void **data,
		     uint64_t *size, const char **why)
{
	char path[2 * NPU_DUMP_PATH_MAX + 2];
	struct stat sb;
	uint8_t *buf;
	size_t got = 0;
	int fd;

	*data = NULL;
	*why = NULL;
	if (name[0] == '/' || !dir)
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &sb)) {
		close(fd);
		return -errno;
	}
	if (!S_ISREG(sb.st_mode)) {
		close(fd);
		*why = "not a regular file";
		return -EINVAL;
	}
	if ((uint64_t)sb.st_size > max) {
		close(fd);
		*why = "larger than the tools' limit";
		return -EFBIG;
	}
	buf = calloc(1, (size_t)sb.st_size + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (got < (size_t)sb.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)sb.st_size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			int e = r < 0 ? -errno : -EIO;

			free(buf);
			close(fd);
			if (!r)
				*why = "file shrank while read";
			return e;
		}
		got += (size_t)r;
	}
	close(fd);
	*data = buf;
	*size = got;
	return 0;
}

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* "MANIFEST: line N: " + message; returns @ret if negative, else -EINVAL. */
static int load_fail(const struct npu_dump *d, char *err, size_t len, unsigned int line,
		     int ret, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, len, "%s: line %u: ", d->manifest, line);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < len)
		vsnprintf(err + n, len - n, fmt, ap);
	va_end(ap);
	return ret < 0 ? ret : -EINVAL;
}

static int load_one(struct npu_dump *d, const char *name, unsigned int line, void **data,
		    uint64_t *size, char *err, size_t len)
{
	const char *why;
	int ret = read_file(d->dir, name, NPU_DUMP_MAX_BUFFER, data, size, &why);

	if (ret)
		return load_fail(d, err, len, line, ret, "%s: %s", name,
				 why ? why : strerror(-ret));
	return 0;
}

static int load_regcmd(struct npu_dump *d, char *err, size_t errlen)
{
	struct npu_dump_buffer *r = &d->buf[NPU_SLOT_REGCMD];
	uint64_t size;
	void *data;
	int ret;

	ret = load_one(d, r->file, d->regcmd_line, &data, &size, err, errlen);
	if (ret)
		return ret;
	if (size % 8 || !size) {
		free(data);
		return load_fail(d, err, errlen, d->regcmd_line, 0, "%s: %" PRIu64 " bytes, not a "
				 "whole number of 64-bit entries", r->file, size);
	}
	d->prog.n_words = size / 8;
	d->prog.words = malloc(size);
	if (!d->prog.words) {
		free(data);
		return load_fail(d, err, errlen, d->regcmd_line, -ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < d->prog.n_words; i++)
		d->prog.words[i] = le64((uint8_t *)data + 8 * i);
	free(data);
	r->size = size;
	d->prog.slot_size[NPU_SLOT_REGCMD] = size;
	for (unsigned int i = 0; i < d->prog.n_tasks; i++)
		if (d->prog.tasks[i].first + (uint64_t)d->prog.tasks[i].count > d->prog.n_words)
			return load_fail(d, err, errlen, d->task_line[i], 0, "task runs past the "
					 "end of %s (%zu entries)", r->file, d->prog.n_words);
	for (unsigned int i = 0; i < d->prog.n_relocs; i++) {
		const struct npu_reloc *rl = &d->prog.relocs[i];

		if (rl->entry >= d->prog.n_words)
			return load_fail(d, err, errlen, d->reloc_line[i], 0, "reloc entry %" PRIu32
					 " is past the end of %s (%zu entries)", rl->entry,
					 r->file, d->prog.n_words);
		if (rl->slot == NPU_SLOT_REGCMD && rl->offset >= size)
			return load_fail(d, err, errlen, d->reloc_line[i], 0, "reloc offset %" PRIu32
					 " is past the end of %s", rl->offset, r->file);
	}
	return 0;
}

/* The expected file must cover the output exactly (and the shape fit in it). */
static int check_expect(struct npu_dump *d, char *err, size_t errlen)
{
	uint64_t out = d->buf[NPU_SLOT_OUTPUT].size;
	unsigned int elem = d->cmp == NPU_DUMP_CMP_S32 ? 4 : 1;

	if (d->expect_size != out)
		return load_fail(d, err, errlen, d->expect_line, 0, "%s has %" PRIu64 " bytes, the "
				 "output buffer %" PRIu64, d->expect_file, d->expect_size, out);
	if (d->expect_size % elem)
		return load_fail(d, err, errlen, d->expect_line, 0, "%s: not a whole number of "
				 "int32 elements", d->expect_file);
	if (d->has_shape) {
		struct npu_feature_layout l;

		npu_feature_layout_init(&l, d->prog.soc, d->shape.w, d->shape.h, d->shape.c, elem);
		if (l.size > out)
			return load_fail(d, err, errlen, d->shape_line, 0, "a %ux%ux%u cube needs "
					 "%zu bytes on %s, the output buffer has %" PRIu64,
					 d->shape.w, d->shape.h, d->shape.c, l.size, d->soc, out);
	}
	return 0;
}

static int load_buffers(struct npu_dump *d, char *err, size_t errlen)
{
	uint64_t size;
	void *data;
	int ret = load_regcmd(d, err, errlen);

	for (int s = NPU_SLOT_REGCMD + 1; s < NPU_SLOT_COUNT && !ret; s++) {
		struct npu_dump_buffer *b = &d->buf[s];

		if (!b->present)
			continue;
		b->data = calloc(1, b->size);
		if (!b->data)
			return load_fail(d, err, errlen, d->buf_line[s], -ENOMEM, "out of memory");
		if (!strcmp(b->file, "-"))
			continue;
		ret = load_one(d, b->file, d->buf_line[s], &data, &size, err, errlen);
		if (!ret && size > b->size)
			ret = load_fail(d, err, errlen, d->buf_line[s], 0, "%s has %" PRIu64
					" bytes, more than its buffer's %" PRIu64, b->file, size,
					b->size);
		if (!ret)
			memcpy(b->data, data, size);
		free(data);
	}
	if (!ret && d->has_expect) {
		ret = load_one(d, d->expect_file, d->expect_line, &d->expect_data, &d->expect_size,
			       err, errlen);
		if (!ret)
			ret = check_expect(d, err, errlen);
	}
	return ret;
}

int npu_dump_load(const char *manifest_path, struct npu_dump *d, char *err, size_t errlen)
{
	char dir[NPU_DUMP_PATH_MAX], *slash, perr[256];
	const char *why;
	void *text;
	uint64_t size;
	int ret;

	memset(d, 0, sizeof(*d));
	if (strlen(manifest_path) >= sizeof(dir)) {
		snprintf(err, errlen, "%.64s...: path longer than %d bytes", manifest_path,
			 NPU_DUMP_PATH_MAX - 1);
		return -ENAMETOOLONG;
	}
	strcpy(dir, manifest_path);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		strcpy(dir, ".");
	ret = read_file(NULL, manifest_path, NPU_DUMP_MAX_MANIFEST, &text, &size, &why);
	if (ret) {
		snprintf(err, errlen, "%s: %s", manifest_path, why ? why : strerror(-ret));
		return ret;
	}
	ret = npu_dump_parse_buf(text, size, d, perr, sizeof(perr));
	free(text);
	if (ret) {
		snprintf(err, errlen, "%s: %s", manifest_path, perr);
		return ret;
	}
	strcpy(d->dir, dir);
	strcpy(d->manifest, manifest_path);
	ret = load_buffers(d, err, errlen);
	if (ret)
		npu_dump_free(d);
	return ret;
}

void npu_dump_free(struct npu_dump *d)
{
	for (int s = 0; s < NPU_SLOT_COUNT; s++)
		free(d->buf[s].data);
	free(d->expect_data);
	free(d->task_line);
	free(d->reloc_line);
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
		   int64_t tolerance, const struct npu_dump_shape *shape)
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
	if (expected && cmp == NPU_DUMP_CMP_BYTES)
		fprintf(f, "expect expected.bin bytes\n");
	else if (expected)
		fprintf(f, "expect expected.bin %s %" PRId64 "\n", npu_dump_cmp_name(cmp),
			tolerance);
	if (expected && shape)
		fprintf(f, "output-shape %u %u %u\n", shape->w, shape->h, shape->c);
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

/* Only the real channels: unpack both sides from the device layout. */
static void compare_shape(const struct npu_dump *d, const void *seen,
			  struct npu_compare_stats *st)
{
	const struct npu_dump_shape *sh = &d->shape;
	unsigned int elem = d->cmp == NPU_DUMP_CMP_S32 ? 4 : 1;
	size_t n = (size_t)sh->w * sh->h * sh->c;
	struct npu_feature_layout l;
	void *a = malloc(n * elem), *b = malloc(n * elem);

	memset(st, 0, sizeof(*st));
	npu_feature_layout_init(&l, d->prog.soc, sh->w, sh->h, sh->c, elem);
	if (a && b && elem == 4) {
		npu_feature_unpack_s32(&l, d->expect_data, sh->c, a);
		npu_feature_unpack_s32(&l, seen, sh->c, b);
		npu_compare_s32(a, b, sh->h, sh->w, sh->c, d->tolerance, st);
	} else if (a && b) {
		npu_feature_unpack_s8(&l, d->expect_data, sh->c, a);
		npu_feature_unpack_s8(&l, seen, sh->c, b);
		npu_compare_s8(a, b, sh->h, sh->w, sh->c,
			       d->cmp == NPU_DUMP_CMP_S8 ? (int)d->tolerance : 0, 0, st);
	}
	free(a);
	free(b);
}

void npu_dump_compare(const struct npu_dump *d, const void *seen, size_t seen_size,
		      struct npu_compare_stats *st)
{
	size_t n = d->expect_size < seen_size ? d->expect_size : seen_size;

	if (d->has_shape) {
		compare_shape(d, seen, st);
		npu_compare_note_raw(st, seen, seen_size);
		return;
	}
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
