#!/bin/sh
# dump-malformed.sh — the dump tools refuse every malformed input
# (docs/regcmd-dump.md, "Strict reading"): one case per defect found by
# mutating dumps.  For each, rkval-regcmd-disasm -m exits 1 and
# rkval-replay exits 3, each with exactly one line on stderr naming the
# manifest and the line at fault, nothing on stdout and no saved output.
# Raw disassembly refuses a directory, a FIFO and a partial entry.  With
# valgrind (host builds only) the refusals and rkval-npu-example leak
# nothing.  No device is touched: a refused dump never reaches one.
#
# Environment: BUILD_DIR, EXEC (selftests/lib/build-env.sh).
set -u
cd "$(dirname "$0")/.." || exit 2

# shellcheck source=selftests/lib/tap.sh
. selftests/lib/tap.sh
# shellcheck source=selftests/lib/build-env.sh
. selftests/lib/build-env.sh
tools=$build/tools
# A FIFO must be refused at once; a hang is caught by this bound.
limit=20

run() {
	# shellcheck disable=SC2086 # exec_prefix is empty or one word
	timeout "$limit" $exec_prefix "$@"
}

for t in rkval-npu-example rkval-regcmd-disasm rkval-replay; do
	if [ ! -x "$tools/$t" ]; then
		not_ok "$tools/$t is not built"
		exit 1
	fi
done

base=$tmp/base
if ! run "$tools/rkval-npu-example" conv-8x8 "$base" > /dev/null; then
	not_ok "rkval-npu-example conv-8x8 writes the base dump"
	exit 1
fi
case=$tmp/case
m=$case/manifest

# fresh: a new copy of the valid base dump in $case.
fresh() {
	rm -rf "$case"
	cp -R "$base" "$case"
}

# edit SED-SCRIPT: apply a sed script to the manifest.
edit() {
	sed -e "$1" "$m" > "$m.new" && mv "$m.new" "$m"
}

# edit_awk AWK-PROGRAM: rewrite the manifest with awk (inserted lines).
edit_awk() {
	awk "$1" "$m" > "$m.new" && mv "$m.new" "$m"
}

# one_error TOOL STATUS WANT: run the tool on $m; true when it exits with
# STATUS, prints nothing on stdout, one stderr line containing WANT, and
# saves no output file.
one_error() {
	rm -f "$tmp/saved"
	if [ "$1" = disasm ]; then
		run "$tools/rkval-regcmd-disasm" -m "$m" > "$tmp/out" 2> "$tmp/err"
	else
		run "$tools/rkval-replay" --device vnpu:rk3588 --save-output "$tmp/saved" \
			"$m" > "$tmp/out" 2> "$tmp/err"
	fi
	st=$?
	lines=$(wc -l < "$tmp/err")
	if [ "$st" -ne "$2" ] || [ -s "$tmp/out" ] || [ "$lines" -ne 1 ] ||
	   [ -e "$tmp/saved" ] || ! grep -qF -e "$3" "$tmp/err"; then
		echo "# $1: exit $st (want $2), $lines stderr line(s), want '$3':"
		sed -e 's/^/#   /' "$tmp/err" "$tmp/out" | head -n 5
		return 1
	fi
}

# refused DESC LINE: both tools refuse the dump in $case naming LINE.
refused() {
	want="$m: line $2:"
	if one_error disasm 1 "$want" && one_error replay 3 "$want"; then
		ok "refused: $1"
		sed -e 's/^/# /' "$tmp/err"
	else
		not_ok "refused: $1"
	fi
}

fresh
check "the base dump is accepted" sh -c \
	"$exec_prefix '$tools/rkval-regcmd-disasm' -m '$m' > /dev/null"

# numbers: plain decimal or 0x-hex, nothing strtoull(base 0) would bend
fresh; edit '5s/.*/task 0 -18446744073709551486/'
refused "a negative number that wraps to a valid count" 5
fresh; edit '5s/.*/task 0 0130/'
refused "a leading zero (octal or decimal?)" 5
fresh; edit '5s/.*/task 0 +130/'
refused "a signed number" 5
fresh; edit '5s/.*/task 0 130x/'
refused "trailing garbage in a number" 5
fresh; edit '6s/2048/99999999999999999999999/'
refused "a number beyond 64 bits" 6

# extra words on every directive
fresh; edit '2s/$/ extra/'
refused "extra word on soc" 2
fresh; edit '3s/$/ extra/'
refused "extra word on job" 3
fresh; edit '5s/$/ extra/'
refused "extra word on task" 5
fresh; edit '10s/$/ extra/'
refused "extra word on reloc" 10
fresh; edit '14s/$/ extra/'
refused "extra word on expect" 14
fresh; edit '6s/$/ iova/'
refused "iova without a value on buffer" 6

# line numbers count blank and comment lines
fresh; edit_awk 'NR == 1 { print; print ""; print ""; next }
	NR == 5 { print "# a comment"; print $0 " extra"; next } { print }'
refused "line numbers count blank and comment lines" 8

# the magic: line 1 only, exactly
fresh; edit_awk 'NR == 1 { print "" } { print }'
refused "magic on line 2" 1
for v in 1x 01 +1 0x2 "2 # comment" "2 "; do
	fresh; edit "1s/.*/rkval-regcmd-dump $v/"
	refused "magic version '$v'" 1
done
fresh; edit '1s/.*/rkval-regcmd-dump 3/'
refused "an unknown version" 1
fresh; : > "$m"
refused "an empty manifest" 1

# a NUL byte does not end the manifest silently
fresh
head -n 4 "$base/manifest" > "$m"
printf 'task 0 130\000garbage\n' >> "$m"
tail -n +6 "$base/manifest" >> "$m"
refused "a NUL byte" 5

# repeated directives
fresh; edit_awk '{ print } NR == 2 { print }'
refused "a second soc line" 3
fresh; edit_awk '{ print } NR == 9 { print "buffer input input.bin 2048" }'
refused "a second input buffer" 10

# an unknown soc is refused on its own line, whatever follows
fresh; edit '2s/.*/soc rk9999/'
refused "an unknown soc" 2

# the expected file must cover the output buffer
fresh; : > "$case/expected.bin"
refused "an empty expected file" 14
fresh; head -c 2047 "$base/expected.bin" > "$case/expected.bin"
refused "a short expected file" 14
fresh; edit '9d;12d'
refused "expect without an output buffer" 12
fresh; edit '15s/.*/output-shape 8 8 48/'
refused "an output shape larger than the output buffer" 15
fresh; edit '1s/.*/rkval-regcmd-dump 1/'
refused "output-shape in a version 1 manifest" 15

# sizes and ranges
fresh; edit '6s/2048/4294967296/'
refused "a 4 GiB buffer" 6
fresh; edit '6s/2048/67108865/'
refused "a buffer above the 64 MiB tool limit" 6
fresh; edit '6s/iova 0x11000000/iova 0xffffff00/'
refused "a buffer ending above 4 GiB" 6
fresh; edit '10s/.*/reloc 26 input 2048/'
refused "a reloc past its buffer's end" 10
fresh; edit '10s/.*/reloc 130 input 0/'
refused "a reloc entry past the regcmd file" 10
fresh; edit '10s/.*/reloc 26 ew 0/'
refused "a reloc into a slot without a buffer" 10
fresh; edit '5s/.*/task 8 130/'
refused "a task past the regcmd file" 5
fresh; head -c 2049 /dev/zero > "$case/input.bin"
refused "a buffer file larger than its buffer" 6
fresh; printf 'abc' >> "$case/regcmd.bin"
refused "a regcmd file with a partial entry" 4

# files that are not regular files
fresh; rm "$case/input.bin"; mkdir "$case/input.bin"
refused "a directory as a buffer file" 6
fresh; rm "$case/weights.bin"; mkfifo "$case/weights.bin"
refused "a FIFO as a buffer file (no hang)" 7
fresh; rm "$case/input.bin"
refused "a missing buffer file" 6
fresh; mv "$m" "$case/real"; mkfifo "$m"
if one_error disasm 1 "$m: not a regular file" &&
   one_error replay 3 "$m: not a regular file"; then
	ok "refused: a FIFO as the manifest (no hang)"
else
	not_ok "refused: a FIFO as the manifest (no hang)"
fi

# raw disassembly
# raw_refused DESC FILE WANT
raw_refused() {
	run "$tools/rkval-regcmd-disasm" "$2" > "$tmp/out" 2> "$tmp/err"
	st=$?
	if [ "$st" -eq 1 ] && [ ! -s "$tmp/out" ] && grep -qF -e "$3" "$tmp/err"; then
		ok "raw disasm refuses $1"
		sed -e 's/^/# /' "$tmp/err"
	else
		not_ok "raw disasm refuses $1 (exit $st)"
		sed -e 's/^/#   /' "$tmp/err" | head -n 3
	fi
}
fresh
raw_refused "a directory" "$case" "$case: not a regular file"
mkfifo "$tmp/fifo"
raw_refused "a FIFO (no hang)" "$tmp/fifo" "$tmp/fifo: not a regular file"
printf 'abc' >> "$case/regcmd.bin"
raw_refused "a partial last entry" "$case/regcmd.bin" "partial entry"
words=$(($(wc -c < "$base/regcmd.bin") / 8))
lines=$(run "$tools/rkval-regcmd-disasm" - < "$base/regcmd.bin" | wc -l)
check "raw disasm reads stdin to its end ($lines lines, $words entries)" \
	[ "$lines" -eq "$words" ]

# no leaks on the error paths, nor in rkval-npu-example
# A sanitizer build checks leaks itself (LeakSanitizer); valgrind cannot run it.
sanitized=0
if ldd "$tools/rkval-regcmd-disasm" 2> /dev/null | grep -q -e libasan -e libubsan; then
	sanitized=1
fi
if [ "$sanitized" -eq 1 ]; then
	skip "valgrind leak checks: a sanitizer build (LeakSanitizer checks every run)"
elif [ -z "$exec_prefix" ] && command -v valgrind > /dev/null; then
	vg="valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible \
		--errors-for-leak-kinds=definite,indirect,possible --error-exitcode=9"
	leaks=0
	fresh; edit '10s/.*/reloc 26 input 2048/'
	for e in '5s/.*/task 0 0130/' '14s/$/ x/' '15s/.*/output-shape 8 8 48/' \
		 '5s/.*/task 8 130/' '1s/.*/rkval-regcmd-dump 3/'; do
		fresh; edit "$e"
		# shellcheck disable=SC2086 # vg is a command line
		$vg "$tools/rkval-regcmd-disasm" -m "$m" > /dev/null 2>&1
		[ $? -eq 9 ] && leaks=$((leaks + 1))
	done
	fresh; : > "$case/expected.bin"
	# shellcheck disable=SC2086
	$vg "$tools/rkval-replay" --dry-run "$m" > /dev/null 2>&1
	[ $? -eq 9 ] && leaks=$((leaks + 1))
	fresh; head -c 2049 /dev/zero > "$case/input.bin"
	# shellcheck disable=SC2086
	$vg "$tools/rkval-replay" --dry-run "$m" > /dev/null 2>&1
	[ $? -eq 9 ] && leaks=$((leaks + 1))
	check "valgrind: no leak on 7 refused dumps ($leaks leaking)" [ "$leaks" -eq 0 ]
	# shellcheck disable=SC2086
	$vg "$tools/rkval-npu-example" conv-3x3 "$tmp/ex" > /dev/null 2>&1
	st=$?
	check "valgrind: rkval-npu-example leaks nothing (exit $st)" [ "$st" -eq 0 ]
else
	skip "valgrind leak checks need a host build and valgrind"
fi

tap_plan
tap_exit
