#!/usr/bin/env python3
# kunit-flat.py — read a KTAP file with the kernel's own parser and print
# its results in the same shape as selftests/lib/ktap-strict.awk, so the
# two readings can be compared line for line.
#
#   python3 selftests/lib/kunit-flat.py KUNIT_DIR FILE
#
# KUNIT_DIR holds kunit_parser.py and kunit_printer.py from a kernel tree
# (tools/testing/kunit/; selftests/ktap.sh extracts Debian's
# linux-source-6.1 copy).  Prints "PATH RESULT" per result, children
# before their parent (PATH = parent.child; RESULT = pass, fail, skip,
# crash or none), and the parser's own "[ERROR]" lines on stderr prefixed
# by FILE; exits 1 if the parser recorded any error.
import io
import sys

STATUS = {
	'SUCCESS': 'pass',
	'FAILURE': 'fail',
	'SKIPPED': 'skip',
	'TEST_CRASHED': 'crash',
	'NO_TESTS': 'none',
	'FAILURE_TO_PARSE_TESTS': 'unparsed',
}


def walk(test, prefix, out):
	"""Children first, then the test itself, as the awk reader prints."""
	for sub in test.subtests:
		walk(sub, prefix + sub.name + '.', out)
		out.append(f'{prefix}{sub.name} {STATUS.get(sub.status.name, sub.status.name)}')


def main():
	if len(sys.argv) != 3:
		print('usage: kunit-flat.py KUNIT_DIR FILE', file=sys.stderr)
		return 2
	sys.path.insert(0, sys.argv[1])
	import kunit_parser  # noqa: E402 (the kernel's, from KUNIT_DIR)
	import kunit_printer  # noqa: E402

	path = sys.argv[2]
	chatter = io.StringIO()
	# The parser reports through kunit_printer's module-level Printer,
	# which holds the sys.stdout of import time: point it at a buffer.
	kunit_printer.stdout._output = chatter
	with open(path, encoding='utf-8', errors='replace') as f:
		test = kunit_parser.parse_run_tests(f.readlines())
	for line in chatter.getvalue().splitlines():
		if '[ERROR]' in line:
			print(f'{path}: {line}', file=sys.stderr)
	out = []
	walk(test, '', out)
	for line in out:
		print(line)
	if test.counts.errors:
		print(f'{path}: kunit_parser recorded {test.counts.errors} error(s)',
		      file=sys.stderr)
		return 1
	return 0


if __name__ == '__main__':
	sys.exit(main())
