# linux-source.sh — files from Debian's linux-source-6.1 tarball, for the
# checks that read rkval's output with the kernel's own tools (POSIX sh,
# sourced).
#
# Contract: linux_source_extract DEST PATH... unpacks PATH (relative to
# the kernel tree, e.g. tools/testing/kunit/kunit_parser.py) into DEST,
# keeping its directories; returns non-zero with a message on stderr if
# the tarball is missing or lacks a PATH.  LINUX_SOURCE_TAR names the
# tarball (default: where the linux-source-6.1 package installs it).
# Nothing is downloaded; the kernel's files are never copied into rkval.

LINUX_SOURCE_TAR=${LINUX_SOURCE_TAR:-/usr/src/linux-source-6.1.tar.xz}
# The tarball's top directory.
LINUX_SOURCE_TOP=linux-source-6.1

linux_source_extract() {
	lse_dest=$1
	shift
	if [ ! -r "$LINUX_SOURCE_TAR" ]; then
		echo "linux-source.sh: $LINUX_SOURCE_TAR not readable (Debian package linux-source-6.1)" >&2
		return 1
	fi
	lse_paths=
	for lse_p in "$@"; do
		lse_paths="$lse_paths $LINUX_SOURCE_TOP/$lse_p"
	done
	mkdir -p "$lse_dest" || return 1
	# shellcheck disable=SC2086 # one word per path, none with spaces
	tar -xJf "$LINUX_SOURCE_TAR" -C "$lse_dest" --strip-components=1 \
		$lse_paths || {
		echo "linux-source.sh: cannot extract$lse_paths from $LINUX_SOURCE_TAR" >&2
		return 1
	}
}
