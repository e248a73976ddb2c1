# store.sh — the results store: where runs live, its index, finding a run
# (POSIX sh, sourced by rkval-results).
#
# STORE/FORMAT     "rkval-results store 1"
# STORE/index.txt  one line per run, tab-separated:
#                  id board kernel rkval date path (path relative to STORE)
# STORE/runs/BOARD/KERNEL/RKVAL/DATE-ID/   the run files (docs/results-store.md)
#
# Everything is plain text so that a lab can commit its store to git and
# read a change between two runs with diff.

# Variables cross the files of results-lib and rkval-results, which
# the linter checks one at a time.
# shellcheck disable=SC2034,SC2154


# store_check: $store is a store of our format.
store_check()
{
	[ -e "$store/FORMAT" ] ||
		die "$store: not a results store (no FORMAT file); 'rkval-results import' creates one"
	fmt=$(head -n 1 "$store/FORMAT")
	[ "$fmt" = "$STORE_FORMAT" ] ||
		die_at "$store/FORMAT" 1 "store format \"$fmt\", this rkval-results reads \"$STORE_FORMAT\""
	[ -f "$store/index.txt" ] || die "$store: no index.txt (corrupt store)"
	bad=$(awk -F '\t' 'NF != 6 || $1 !~ /^[0-9a-f]+$/ { print FNR; exit }' "$store/index.txt")
	[ -z "$bad" ] || die_at "$store/index.txt" "$bad" \
		"not \"id<TAB>board<TAB>kernel<TAB>rkval<TAB>date<TAB>path\" (corrupt store)"
}

# Two imports at once (LAVA jobs finishing together) must not lose an
# index line: store_add holds STORE/.lock, a directory because mkdir is
# atomic everywhere (busybox included).  A lock older than LOCK_WAIT_S
# is a crashed import's; the wait then fails with its path.
LOCK_WAIT_S=30

store_lock()
{
	waited=0
	until mkdir "$store/.lock" 2> /dev/null; do
		[ "$waited" -lt "$LOCK_WAIT_S" ] ||
			die "$store/.lock: held for $LOCK_WAIT_S s (another import, or a crashed one: remove it)"
		sleep 1
		waited=$((waited + 1))
	done
	locked=$store/.lock
}

store_unlock()
{
	rmdir "$locked" 2> /dev/null
	locked=''
}

# store_create: a new, empty store at $store unless there is one.  Under
# the lock, FORMAT written last: a store with FORMAT is complete.
store_create()
{
	if [ ! -e "$store/FORMAT" ]; then
		mkdir -p "$store" || die "$store: cannot create the store"
		store_lock
		if [ ! -e "$store/FORMAT" ]; then
			if ! { mkdir -p "$store/runs" && : > "$store/index.txt" &&
				echo "$STORE_FORMAT" > "$store/FORMAT"; }; then
				die "$store: cannot create the store"
			fi
		fi
		store_unlock
	fi
	store_check
}

# store_add RUNDIR: move a normalized run into the store and index it.
# Already there (same id): nothing changes.  Prints what it did.
store_add()
{
	rid=$(meta_value "$1/run.txt" id)
	store_lock
	old=$(awk -F '\t' -v id="$rid" '$1 == id { print $6 }' "$store/index.txt")
	if [ -n "$old" ]; then
		printf 'already in the store: %s (%s), nothing changed\n' "$rid" "$old"
		store_unlock
		return 0
	fi
	b=$(meta_value "$1/run.txt" board)
	k=$(meta_value "$1/run.txt" kernel)
	v=$(meta_value "$1/run.txt" rkval)
	d=$(meta_value "$1/run.txt" date)
	rel=runs/$b/$k/$v/$d-$rid
	mkdir -p "$store/${rel%/*}" || die "$store: cannot write"
	cp -R "$1" "$store/$rel" || die "$store: cannot write $rel"
	{
		cat "$store/index.txt"
		printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$rid" "$b" "$k" "$v" "$d" "$rel"
	} | sort -t "$(printf '\t')" -k2,2 -k3,3 -k5,5 -k1,1 > "$store/index.txt.new" ||
		die "$store: cannot write index.txt"
	mv "$store/index.txt.new" "$store/index.txt" || die "$store: cannot write index.txt"
	store_unlock
	printf 'imported %s as %s\n' "$rid" "$rel"
}

# resolve_run REF: print the directory of the run REF names:
#   a store run directory (has run.txt), an rkval-run results directory
#   (checked and converted on the fly), a run id or unique id prefix, or
#   BOARD/KERNEL (the newest run of that key) from the store's index.
resolve_run()
{
	ref=$1
	if [ -f "$ref/run.txt" ]; then
		f=$(meta_value "$ref/run.txt" format)
		[ "$f" = "$RUN_FORMAT" ] ||
			die_at "$ref/run.txt" 1 "run format \"$f\", this rkval-results reads $RUN_FORMAT"
		printf '%s\n' "$ref"
		return 0
	fi
	if [ -d "$ref" ]; then
		conv=$(mktemp -d "$tmp/run.XXXXXX") || exit "$EXIT_INPUT"
		normalize_run "$ref" "$conv" > /dev/null || exit "$EXIT_INPUT"
		printf '%s\n' "$conv"
		return 0
	fi
	[ -f "$store/index.txt" ] ||
		die "$ref: no such run (not a directory, and no store at $store to look it up in)"
	store_check
	hits=$(awk -F '\t' -v ref="$ref" '
		index($1, ref) == 1 && length(ref) >= 4 { print $6; next }
		$2 "/" $3 == ref { last = $6 }
		END { if (last != "") print last }' "$store/index.txt")
	case $hits in
	"") die "$ref: no such run (not a directory, a run id or BOARD/KERNEL in $store/index.txt)" ;;
	*"
"*) die "$ref: ambiguous run id prefix, it matches: $(printf '%s\n' "$hits" | tr '\n' ' ')" ;;
	esac
	[ -f "$store/$hits/run.txt" ] ||
		die "$store/$hits: listed in index.txt but missing (corrupt store)"
	printf '%s\n' "$store/$hits"
}
