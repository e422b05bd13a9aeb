#!/bin/sh
# selftest.sh CHECKER WORKDIR: a two-layer part that keeps its layers
# passes; the same part with an upward include, an upward call or a file in
# no layer fails, each with its own message; with an 'api' line, an include
# of the lower layer's private header or a call of a function its public
# header does not name fails too.
set -eu
checker=$1 work=$2
rm -rf "$work" && mkdir -p "$work/part/low" "$work/part/high" "$work/obj/low" "$work/obj/high"
p=$work/part
printf 'low   low/*\nhigh  high/*\n' > "$p/layers"
printf 'int low_fn(void);\n' > "$p/low/low.h"
printf '#include "low/low.h"\nint low_fn(void) { return 1; }\n' > "$p/low/low.c"
printf 'int high_fn(void);\n' > "$p/high/high.h"
printf '#include "low/low.h"\n#include "high/high.h"\nint high_fn(void) { return low_fn(); }\n' > "$p/high/high.c"
build() {
	cc -c -I"$p" "$p/low/low.c" -o "$work/obj/low/low.o"
	cc -c -I"$p" "$p/high/high.c" -o "$work/obj/high/high.o"
}
expect() {	# expect STATUS PATTERN: run the checker, match its output
	set +e
	out=$("$checker" "$p" --objects "$work/obj" 2>&1)
	st=$?
	set -e
	if [ "$st" != "$1" ] || ! printf '%s\n' "$out" | grep -q -- "$2"; then
		echo "not ok: expected status $1 and '$2', got $st:"
		printf '%s\n' "$out"
		exit 1
	fi
	echo "ok: status $1, '$2'"
}
build
expect 0 "each looks only down"
printf '#include "high/high.h"\nint low_fn(void) { return 1; }\n' > "$p/low/low.c"
build
expect 1 "include: low (low/low.c) includes high/high.h of the higher layer high"
printf 'int high_fn(void);\nint low_fn(void) { return high_fn(); }\n' > "$p/low/low.c"
build
expect 1 "call: low (low/low.c) uses high_fn() of high/high.c in the higher layer high"
printf 'int low_fn(void) { return 1; }\n' > "$p/low/low.c"
build
printf 'int x;\n' > "$p/stray.c"
expect 1 "stray.c: unknown: in no layer"
rm "$p/stray.c"
# An api line: the higher layer reaches low through low/low.h alone.
printf 'low   low/*\nhigh  high/*\napi   low low/low.h\n' > "$p/layers"
printf 'int low_hidden(void);\n' > "$p/low/internal.h"
printf '#include "low/internal.h"\nint low_fn(void) { return 1; }\nint low_hidden(void) { return 2; }\n' > "$p/low/low.c"
build
expect 0 "each looks only down"
printf '#include "low/internal.h"\nint high_fn(void) { return 0; }\n' > "$p/high/high.c"
build
expect 1 "api: high (high/high.c) includes low/internal.h of the layer low"
printf 'int low_hidden(void);\nint high_fn(void) { return low_hidden(); }\n' > "$p/high/high.c"
build
expect 1 "api: high (high/high.c) uses low_hidden() of low/low.c"
echo "check-layers selftest: 7 cases passed"
