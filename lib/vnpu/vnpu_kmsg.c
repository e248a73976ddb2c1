// SPDX-License-Identifier: MIT
/*
 * vnpu_kmsg.c — the model's kernel log: an in-memory ring of records in
 * /dev/kmsg form ("prio,seq,usec,flags;text"), mirrored line by line to
 * the RKVAL_VNPU_KMSG file when set (the runner's dmesg on vnpu).
 *
 * prio is facility << 3 | level as in /dev/kmsg: kernel records use
 * facility 0, records written by user space (plat_kmsg_write) facility 1
 * ("user"), as the kernel's devkmsg_write() does.  Readers get one record
 * per read(), starting at the end of the log when they open.
 * Callers hold vnpu->lock (the ring has no lock of its own).
 *
 * Under igt_runner, which reads the host's /dev/kmsg and nothing else,
 * the model's records would be lost and a fault's kernel warnings with
 * them (rkval-run's dmesg-warn/dmesg-fail become pass/fail).  So on
 * request -- RKVAL_VNPU_HOST_KMSG=1, or a file name to write instead of
 * /dev/kmsg -- every record is also written to the host's kernel log, one
 * write() per record as devkmsg_write() wants: the test's own records
 * (the [IGT] markers, which IGT writes there on any machine) as they are,
 * the model's invented kernel records at their level with a "vnpu: "
 * prefix, so no reader mistakes them for the host kernel's.  The prefix
 * would defeat a "^"-anchored ignore regex, so the anchors of a mirrored
 * "add ignored dmesg regex: RE" record also accept it.  Never by default:
 * the host's kernel log is not the model's to write.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "util/regex_scan.h"
#include "vnpu/vnpu.h"

#define VNPU_KMSG_RECORDS	8192	/* ring size; oldest records drop first */
#define VNPU_KMSG_TEXT		480
#define VNPU_KMSG_READERS	32
#define VNPU_KMSG_FACILITY_USER	1
/* default_message_loglevel for a write without "<N>" (printk defaults). */
#define VNPU_KMSG_DEFAULT_LEVEL	4

#define VNPU_HOST_KMSG_ENV	"RKVAL_VNPU_HOST_KMSG"
#define VNPU_HOST_KMSG_DEV	"/dev/kmsg"
/* Marks the model's kernel records in the host's log. */
#define VNPU_HOST_KMSG_PREFIX	"vnpu: "
/*
 * Host copies go out at KERN_ERR at most: the model's KERN_EMERG..KERN_CRIT
 * records (an SError splat is KERN_EMERG) would otherwise be broadcast to
 * every terminal by the host's syslog.  Still a warning to every reader
 * that counts levels up to KERN_WARNING, igt_runner's default.
 */
#define VNPU_HOST_KMSG_MAX_PRIO	3
/* What the harness writes before an ignore regex (igt_core.c). */
#define VNPU_IGNORE_REGEX_TAG	"add ignored dmesg regex: "

struct vnpu_kmsg_record {
	uint64_t seq;
	uint64_t usec;
	int prio;
	char text[VNPU_KMSG_TEXT];
};

struct vnpu_kmsg_reader {
	int fd;
	uint64_t next_seq;
};

static struct vnpu_kmsg_record kmsg_ring[VNPU_KMSG_RECORDS];
static uint64_t kmsg_next_seq;
static struct vnpu_kmsg_reader kmsg_readers[VNPU_KMSG_READERS];
static FILE *kmsg_mirror;
static int host_kmsg_fd = -1;

static void host_kmsg_open(void)
{
	const char *v = getenv(VNPU_HOST_KMSG_ENV);
	const char *path;

	if (!v || !v[0] || !strcmp(v, "0"))
		return;
	path = strcmp(v, "1") ? v : VNPU_HOST_KMSG_DEV;
	host_kmsg_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (host_kmsg_fd < 0)
		fprintf(stderr, "vnpu: %s=%s: cannot open %s: %s\n",
			VNPU_HOST_KMSG_ENV, v, path, strerror(errno));
}

void vnpu_kmsg_init(const char *file)
{
	if (file && file[0] && !kmsg_mirror) {
		kmsg_mirror = fopen(file, "a");
		if (kmsg_mirror)
			setvbuf(kmsg_mirror, NULL, _IOLBF, 0);
	}
	if (host_kmsg_fd < 0)
		host_kmsg_open();
}

/*
 * Copy regex re to out with every "^" that starts an alternative (at the
 * start, after "|" or "(", outside a bracket expression) made to accept
 * the host prefix too: "^X" becomes "^(vnpu: )?X".
 */
static void regex_accept_prefix(const char *re, char *out, size_t size)
{
	static const char anchor[] = "^(" VNPU_HOST_KMSG_PREFIX ")?";
	enum regex_token kind;
	bool alt_start = true;
	size_t n = 0, len;

	for (const char *p = re; *p; p += len) {
		len = regex_token(p, &kind);
		/* never closed: the reader rejects it whatever we do */
		if (!len)
			len = strlen(p);
		if (n + len + sizeof(anchor) + 1 > size)
			break;
		if (kind == REGEX_TOKEN_CHAR && *p == '^' && alt_start) {
			memcpy(out + n, anchor, sizeof(anchor) - 1);
			n += sizeof(anchor) - 1;
			alt_start = false;
			continue;
		}
		alt_start = kind == REGEX_TOKEN_CHAR && (*p == '|' || *p == '(');
		memcpy(out + n, p, len);
		n += len;
	}
	out[n] = '\0';
}

/* One record to the host's kernel log (see the top of this file). */
static void host_kmsg_write(const struct vnpu_kmsg_record *r)
{
	char line[3 * VNPU_KMSG_TEXT], re[2 * VNPU_KMSG_TEXT];
	const char *tag = strstr(r->text, VNPU_IGNORE_REGEX_TAG);
	int level = r->prio & 7, len;

	if (level < VNPU_HOST_KMSG_MAX_PRIO)
		level = VNPU_HOST_KMSG_MAX_PRIO;
	if (r->prio >> 3 == 0) {
		len = snprintf(line, sizeof(line), "<%d>%s%s\n", level,
			       VNPU_HOST_KMSG_PREFIX, r->text);
	} else if (tag) {
		regex_accept_prefix(tag + strlen(VNPU_IGNORE_REGEX_TAG), re,
				    sizeof(re));
		len = snprintf(line, sizeof(line), "<%d>%.*s%s\n", level,
			       (int)(tag - r->text + strlen(VNPU_IGNORE_REGEX_TAG)),
			       r->text, re);
	} else {
		len = snprintf(line, sizeof(line), "<%d>%s\n", level, r->text);
	}
	if (len > (int)sizeof(line) - 1)
		len = sizeof(line) - 1;
	/* A lost record is not a test failure, as for the harness's markers. */
	if (write(host_kmsg_fd, line, len) < 0)
		return;
}

static int kmsg_format(const struct vnpu_kmsg_record *r, char *buf,
		       size_t size)
{
	return snprintf(buf, size, "%d,%llu,%llu,-;%s\n", r->prio,
			(unsigned long long)r->seq,
			(unsigned long long)r->usec, r->text);
}

void vnpu_kmsg_add(int facility, int level, const char *text)
{
	struct vnpu_kmsg_record *r = &kmsg_ring[kmsg_next_seq % VNPU_KMSG_RECORDS];
	struct vnpu *v = vnpu_get();
	char line[VNPU_KMSG_TEXT + 64];

	r->seq = kmsg_next_seq++;
	r->usec = (vnpu_now_ns() - v->boot_ns) / 1000;
	r->prio = facility << 3 | (level & 7);
	snprintf(r->text, sizeof(r->text), "%s", text);
	/* One record is one line: the kernel escapes newlines the same way. */
	for (char *p = r->text; *p; p++)
		if (*p == '\n')
			*p = ' ';
	if (kmsg_mirror) {
		kmsg_format(r, line, sizeof(line));
		fputs(line, kmsg_mirror);
	}
	if (host_kmsg_fd >= 0)
		host_kmsg_write(r);
}

void vnpu_kmsg_tail(unsigned int max, void (*fn)(const char *line, void *arg),
		    void *arg)
{
	uint64_t first = kmsg_next_seq > max ? kmsg_next_seq - max : 0;
	char line[VNPU_KMSG_TEXT + 48];

	if (kmsg_next_seq - first > VNPU_KMSG_RECORDS)
		first = kmsg_next_seq - VNPU_KMSG_RECORDS;
	for (uint64_t seq = first; seq < kmsg_next_seq; seq++) {
		const struct vnpu_kmsg_record *r = &kmsg_ring[seq % VNPU_KMSG_RECORDS];

		/* syslog form with time stamp, as kmsg_dump_get_buffer(syslog=true) */
		snprintf(line, sizeof(line), "<%d>[%5llu.%06llu] %s", r->prio,
			 (unsigned long long)(r->usec / 1000000),
			 (unsigned long long)(r->usec % 1000000), r->text);
		fn(line, arg);
	}
}

void vnpu_printk(int level, const char *fmt, ...)
{
	char text[VNPU_KMSG_TEXT];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	vnpu_kmsg_add(0, level, text);
}

/* dev_printk(): "<driver or bus name> <device name>: message". */
void vnpu_dev_printk(int level, const char *driver, const char *dev,
		     const char *fmt, ...)
{
	char text[VNPU_KMSG_TEXT], msg[VNPU_KMSG_TEXT - 64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(text, sizeof(text), "%s %s: %s", driver, dev, msg);
	vnpu_kmsg_add(0, level, text);
}

/*
 * pstate of a kernel-mode WARN on arm64 (EL1h, PAN on, C and Z set), as
 * print_pstate() decodes it (arch/arm64/kernel/process.c); the value is
 * illustrative, the format is the kernel's.
 */
#define VNPU_SPLAT_PSTATE	0x60400009u
#define VNPU_SPLAT_SP		0xffff800082b3bd30ull
/* __show_regs(): x29 down to x0, "x%-2d: %016llx", three a line. */
#define VNPU_SPLAT_TOP_REG	29
#define VNPU_SPLAT_REGS_PER_LINE 3

static void splat_registers(void)
{
	char line[160];
	int i = VNPU_SPLAT_TOP_REG;
	size_t len;

	while (i >= 0) {
		/* Register contents are not modelled: a stack-like value. */
		len = (size_t)snprintf(line, sizeof(line), "x%-2d: %016llx", i,
				       VNPU_SPLAT_SP + 16ull * (unsigned int)i);
		while (i-- % VNPU_SPLAT_REGS_PER_LINE)
			len += (size_t)snprintf(line + len, sizeof(line) - len,
						" x%-2d: %016llx", i,
						VNPU_SPLAT_SP + 16ull * (unsigned int)i);
		vnpu_printk(VNPU_LOGLEVEL_WARNING, "%s", line);
	}
}

/*
 * A WARN() splat as an arm64 kernel prints it, every line at level 4:
 * __warn() (kernel/panic.c), then __show_regs() (arch/arm64/kernel/
 * process.c: the dump_stack_print_info() header with "Workqueue: " when
 * a worker WARNs, pstate, pc, lr, sp, x29..x0) and dump_backtrace()
 * (arch/arm64/kernel/stacktrace.c).  The taint W bit is set like
 * add_taint(TAINT_WARN).  where = "file:line function+off/size";
 * workqueue = "<wq name> <work function>" or NULL outside a worker.
 */
void vnpu_warn_splat_wq(const char *where, const char *msg,
			const char *workqueue, const char *const *trace,
			unsigned int ntrace)
{
	struct vnpu *v = vnpu_get();
	char func[128];
	const char *sp = strchr(where, ' ');

	snprintf(func, sizeof(func), "%s", sp ? sp + 1 : where);
	vnpu_printk(VNPU_LOGLEVEL_WARNING, "------------[ cut here ]------------");
	if (msg)
		vnpu_printk(VNPU_LOGLEVEL_WARNING, "%s", msg);
	vnpu_printk(VNPU_LOGLEVEL_WARNING, "WARNING: CPU: 0 PID: 1 at %s", where);
	vnpu_printk(VNPU_LOGLEVEL_WARNING, "Modules linked in: rocket");
	vnpu_printk(VNPU_LOGLEVEL_WARNING,
		    "CPU: 0 UID: 0 PID: 1 Comm: %s Tainted: G        W           (vnpu) #1 PREEMPT",
		    workqueue ? "kworker/u16:1" : "vnpu");
	vnpu_printk(VNPU_LOGLEVEL_WARNING, "Hardware name: %s (DT)",
		    v->board->model);
	if (workqueue)
		vnpu_printk(VNPU_LOGLEVEL_WARNING, "Workqueue: %s", workqueue);
	vnpu_printk(VNPU_LOGLEVEL_WARNING,
		    "pstate: %08x (nZCv daif +PAN -UAO -TCO -DIT -SSBS BTYPE=--)",
		    VNPU_SPLAT_PSTATE);
	vnpu_printk(VNPU_LOGLEVEL_WARNING, "pc : %s", func);
	vnpu_printk(VNPU_LOGLEVEL_WARNING, "lr : %s", ntrace ? trace[0] : func);
	vnpu_printk(VNPU_LOGLEVEL_WARNING, "sp : %016llx", VNPU_SPLAT_SP);
	splat_registers();
	vnpu_printk(VNPU_LOGLEVEL_WARNING, "Call trace:");
	vnpu_printk(VNPU_LOGLEVEL_WARNING, " %s", func);
	for (unsigned int i = 0; i < ntrace; i++)
		vnpu_printk(VNPU_LOGLEVEL_WARNING, " %s", trace[i]);
	vnpu_printk(VNPU_LOGLEVEL_WARNING, "---[ end trace 0000000000000000 ]---");
	v->tainted |= VNPU_TAINT_WARN;
	v->warn_count++;
}

void vnpu_warn_splat(const char *where, const char *msg,
		     const char *const *trace, unsigned int ntrace)
{
	vnpu_warn_splat_wq(where, msg, NULL, trace, ntrace);
}

/* devkmsg_write(): "<N>" sets facility/level, default facility user. */
int vnpu_kmsg_user_write(const char *record)
{
	int level = VNPU_KMSG_DEFAULT_LEVEL, facility = VNPU_KMSG_FACILITY_USER;
	const char *text = record;
	char buf[VNPU_KMSG_TEXT];
	size_t len;

	if (text[0] == '<') {
		char *end;
		long n = strtol(text + 1, &end, 10);

		if (end != text + 1 && *end == '>') {
			level = n & 7;
			if (n >> 3)
				facility = (int)(n >> 3);
			text = end + 1;
		}
	}
	snprintf(buf, sizeof(buf), "%s", text);
	len = strlen(buf);
	while (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	vnpu_kmsg_add(facility, level, buf);
	return 0;
}

int vnpu_kmsg_open_fd(void)
{
	for (int i = 0; i < VNPU_KMSG_READERS; i++) {
		if (kmsg_readers[i].fd > 0)
			continue;
		kmsg_readers[i].fd = eventfd(0, EFD_CLOEXEC);
		if (kmsg_readers[i].fd < 0) {
			kmsg_readers[i].fd = 0;
			return -1;
		}
		kmsg_readers[i].next_seq = kmsg_next_seq;
		return kmsg_readers[i].fd;
	}
	errno = EMFILE;
	return -1;
}

static struct vnpu_kmsg_reader *kmsg_reader(int fd)
{
	for (int i = 0; i < VNPU_KMSG_READERS; i++)
		if (fd > 0 && kmsg_readers[i].fd == fd)
			return &kmsg_readers[i];
	return NULL;
}

bool vnpu_kmsg_is_fd(int fd)
{
	return kmsg_reader(fd) != NULL;
}

/* devkmsg_read(): one record per read, EPIPE when overwritten, EINVAL when too small. */
ssize_t vnpu_kmsg_read(int fd, void *buf, size_t count)
{
	struct vnpu_kmsg_reader *r = kmsg_reader(fd);
	char line[VNPU_KMSG_TEXT + 64];
	int n;

	if (!r) {
		errno = EBADF;
		return -1;
	}
	if (r->next_seq == kmsg_next_seq) {
		errno = EAGAIN;
		return -1;
	}
	if (kmsg_next_seq - r->next_seq > VNPU_KMSG_RECORDS) {
		r->next_seq = kmsg_next_seq - VNPU_KMSG_RECORDS;
		errno = EPIPE;
		return -1;
	}
	n = kmsg_format(&kmsg_ring[r->next_seq % VNPU_KMSG_RECORDS], line,
			sizeof(line));
	if ((size_t)n > count) {
		errno = EINVAL;
		return -1;
	}
	memcpy(buf, line, n);
	r->next_seq++;
	return n;
}

int vnpu_kmsg_close(int fd)
{
	struct vnpu_kmsg_reader *r = kmsg_reader(fd);

	if (!r) {
		errno = EBADF;
		return -1;
	}
	close(r->fd);
	r->fd = 0;
	return 0;
}
