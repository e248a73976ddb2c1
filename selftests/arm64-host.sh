#!/bin/sh
# arm64-host.sh — `make check` and `make run` on an arm64 host, without one.
#
# scripts/deps.sh asks for what the host needs and says what it will do
# before doing it, checked without touching this machine's packages:
# uname, id, dpkg, dpkg-query and apt-get are stubs on PATH that fake the
# architecture, root, the installed packages and record every dpkg/apt-get
# call.
#   - arm64 host: no cross compiler, no qemu-user-static, no arm64 foreign
#     architecture; libdrm-dev:arm64 is the native libdrm-dev
#   - amd64 host: the cross packages and the arm64 architecture, as before
#   - RKVAL_NO_APT=1 as root and a non-root user only print the commands
#     and change nothing; as root the commands are printed before they run
#   - nothing missing: silent, status 0, nothing run
# selftests/check.sh, run in an empty tree with stubs for make, the
# runner, qemu and the shell linter, skips the cross build and the qemu pass with that
# reason on an arm64 host, and does both on an amd64 host.
set -u
cd "$(dirname "$0")/.." || exit 2

# shellcheck source=selftests/lib/tap.sh
. selftests/lib/tap.sh
# shellcheck source=selftests/lib/build-env.sh
. selftests/lib/build-env.sh

# Packages that only make sense when the host is not arm64 (Debian 12).
CROSS_ONLY="gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static"

# The lists as scripts/deps.sh spells them, so packages added later count.
RUN_PKGS=$(sed -n -e 's/^RUN_PKGS="\(.*\)"$/\1/p' scripts/deps.sh)
CHECK_PKGS=$(sed -n -e 's/^CHECK_PKGS="\(.*\)"$/\1/p' scripts/deps.sh)
# Installed by check too, in a step of their own (no Recommends).
NOREC_PKGS=$(sed -n -e 's/^NO_RECOMMENDS_PKGS="\(.*\)"$/\1/p' scripts/deps.sh)
if [ -z "$RUN_PKGS" ] || [ -z "$CHECK_PKGS" ]; then
	not_ok "cannot read RUN_PKGS/CHECK_PKGS from scripts/deps.sh"
	tap_plan
	tap_exit
fi

stubs=$tmp/bin
mkdir -p "$stubs"
calls=$tmp/calls
cat > "$stubs/uname" <<'STUB'
#!/bin/sh
[ "$1" = -m ] && { echo "$STUB_MACHINE"; exit 0; }
echo Linux
STUB
cat > "$stubs/id" <<'STUB'
#!/bin/sh
echo "$STUB_UID"
STUB
cat > "$stubs/dpkg-query" <<'STUB'
#!/bin/sh
# dpkg-query -W -f FORMAT PKG: "installed" for the packages in STUB_INSTALLED.
for p; do pkg=$p; done
case " $STUB_INSTALLED " in
*" $pkg "*) printf 'install ok installed' ;;
*) exit 1 ;;
esac
STUB
cat > "$stubs/dpkg" <<'STUB'
#!/bin/sh
case $1 in
--print-foreign-architectures) [ -n "$STUB_FOREIGN" ] && echo "$STUB_FOREIGN"; exit 0 ;;
esac
echo "dpkg $*" >> "$STUB_CALLS"
STUB
cat > "$stubs/apt-get" <<'STUB'
#!/bin/sh
echo "apt-get $*" >> "$STUB_CALLS"
STUB
chmod +x "$stubs"/*

# deps MACHINE UID INSTALLED NO_APT WHAT: run scripts/deps.sh with the
# stubs; output in $tmp/out, status in $status, dpkg/apt calls in $calls.
deps() {
	: > "$calls"
	PATH="$stubs:$PATH" STUB_MACHINE=$1 STUB_UID=$2 STUB_INSTALLED=$3 \
		STUB_FOREIGN='' STUB_CALLS=$calls RKVAL_NO_APT=$4 \
		sh scripts/deps.sh "$5" > "$tmp/out" 2>&1
	status=$?
}

# words LIST...: one word a line, sorted and unique.
words() {
	for w in "$@"; do printf '%s\n' "$w"; done | sort -u
}

# native_list: RUN + CHECK as an arm64 host needs them (with its own
# kernel package for libguestfs).
native_list() {
	for p in $RUN_PKGS $CHECK_PKGS $NOREC_PKGS linux-image-arm64; do
		case " $CROSS_ONLY " in *" $p "*) continue ;; esac
		printf '%s\n' "${p%:arm64}"
	done | sort -u
}

# installed_by FILE: the packages of the "apt-get install" line in FILE.
installed_by() {
	sed -n -e 's/.*apt-get install -y\( -qq\)\{0,1\}//p' "$1" | tr ' ' '\n' |
		grep -v -e '^$' -e '^-' | sort -u
}

same() {
	if cmp -s "$2" "$3"; then
		ok "$1"
	else
		not_ok "$1 (- expected, + seen)"
		diff -u "$2" "$3" | sed -n -e 's/^\([-+][^-+]\)/# \1/p'
	fi
}

# ---- arm64 host ------------------------------------------------------------
native_list > "$tmp/want-arm64"
# shellcheck disable=SC2086 # one word per package
words $RUN_PKGS > "$tmp/want-run"

deps aarch64 0 "" 1 check
check "arm64, root, RKVAL_NO_APT=1: exits 1 (missing packages)" [ "$status" -eq 1 ]
installed_by "$tmp/out" > "$tmp/seen"
same "arm64: the printed install line asks for exactly the native packages" \
	"$tmp/want-arm64" "$tmp/seen"
check "arm64: nothing cross, qemu or :arm64 is asked for" \
	sh -c "! grep -Eq 'aarch64-linux-gnu|qemu-user|arm64-cross|:arm64' '$tmp/out'"
check "arm64: no dpkg --add-architecture is printed" \
	sh -c "! grep -q add-architecture '$tmp/out'"
check "arm64, RKVAL_NO_APT=1: no dpkg or apt-get ran" [ ! -s "$calls" ]

deps aarch64 0 "" 0 check
check "arm64, root: exits 0 after installing" [ "$status" -eq 0 ]
check "arm64, root: says what it installs before running apt-get" \
	grep -q '^  apt-get install -y ' "$tmp/out"
installed_by "$calls" > "$tmp/seen"
same "arm64, root: apt-get installs exactly the native packages" "$tmp/want-arm64" "$tmp/seen"
check "arm64, root: the arm64 architecture is not added" \
	sh -c "! grep -q add-architecture '$calls'"

deps arm64 1000 "" 0 run
check "arm64, user: exits 1 and prints sudo commands" \
	sh -c "[ $status -eq 1 ] && grep -q '^  sudo apt-get install -y' '$tmp/out'"
installed_by "$tmp/out" > "$tmp/seen"
same "arm64, run: only the run packages" "$tmp/want-run" "$tmp/seen"
check "arm64, user: no dpkg or apt-get ran" [ ! -s "$calls" ]

deps aarch64 0 "$(tr '\n' ' ' < "$tmp/want-arm64")" 0 check
check "arm64, all installed: silent, status 0, nothing ran" \
	sh -c "[ $status -eq 0 ] && [ ! -s '$tmp/out' ] && [ ! -s '$calls' ]"

# ---- amd64 host ------------------------------------------------------------
# shellcheck disable=SC2086 # one word per package
words $RUN_PKGS $CHECK_PKGS $NOREC_PKGS linux-image-amd64 > "$tmp/want-amd64"

deps x86_64 0 "" 1 check
installed_by "$tmp/out" > "$tmp/seen"
same "amd64, RKVAL_NO_APT=1: the printed line asks for the cross packages too" \
	"$tmp/want-amd64" "$tmp/seen"
check "amd64, RKVAL_NO_APT=1: prints dpkg --add-architecture arm64" \
	grep -q '^  dpkg --add-architecture arm64$' "$tmp/out"
check "amd64, RKVAL_NO_APT=1: no dpkg or apt-get ran" [ ! -s "$calls" ]

deps x86_64 0 "" 0 check
check "amd64, root: adds the arm64 architecture" \
	grep -q '^dpkg --add-architecture arm64$' "$calls"
installed_by "$calls" > "$tmp/seen"
same "amd64, root: apt-get installs run, check and cross packages" \
	"$tmp/want-amd64" "$tmp/seen"

# ---- selftests/check.sh ----------------------------------------------------
tree=$tmp/tree
mkdir -p "$tree/selftests" "$tree/runner"
cp selftests/check.sh "$tree/selftests/"
printf '#!/bin/sh\necho "ok 1 - stub"\n' > "$tree/selftests/harness.sh"
printf '#!/bin/sh\necho "1 passed, 0 failed, 0 skipped"\n' > "$tree/runner/rkval-run"
cat > "$stubs/make" <<'STUB'
#!/bin/sh
echo "make $*" >> "$STUB_CALLS"
STUB
printf '#!/bin/sh\nexit 0\n' > "$stubs/shellcheck"
printf '#!/bin/sh\nexit 0\n' > "$stubs/git"
printf '#!/bin/sh\nexit 0\n' > "$stubs/qemu-aarch64-static"
chmod +x "$stubs"/*

# check_sh MACHINE: run the copied check.sh; output in $tmp/check.out.
check_sh() {
	: > "$calls"
	PATH="$stubs:$PATH" STUB_MACHINE=$1 STUB_CALLS=$calls \
		sh "$tree/selftests/check.sh" > "$tmp/check.out" 2>&1
}

check_sh aarch64
check "check.sh, arm64 host: the cross build is skipped with its reason" \
	grep -q '^skip build arm64 (cross): the host is arm64' "$tmp/check.out"
check "check.sh, arm64 host: the qemu pass is skipped with its reason" \
	grep -q '^skip arm64 under qemu-aarch64-static: the host is arm64' "$tmp/check.out"
check "check.sh, arm64 host: make never runs with ARCH=arm64" \
	sh -c "! grep -q 'ARCH=arm64' '$calls'"
check "check.sh, arm64 host: the native build is build arm64" \
	grep -q '^ok   build arm64: ' "$tmp/check.out"

check_sh x86_64
check "check.sh, amd64 host: the cross build runs" grep -q 'make .*ARCH=arm64' "$calls"
check "check.sh, amd64 host: the qemu pass runs" \
	grep -q '^ok   arm64 harness: ' "$tmp/check.out"
check "check.sh, amd64 host: nothing skipped for being arm64" \
	sh -c "! grep -q 'the host is arm64' '$tmp/check.out'"

tap_plan
tap_exit
