#!/usr/bin/env bash
# Shared by the bench scripts: the machine line and the generated sections of the report.
#   machine_summary                    prints "N CPUs (model), N GiB RAM, kernel X"
#   write_section NAME CONTENT_FILE    (uses $DOC)
# Replaces the text between <!-- bench:NAME:start --> and <!-- bench:NAME:end -->, appending the markers at the end of
# the file when they are missing; everything outside the markers is kept.
machine_summary() {
  printf '%s CPUs (%s), %s, kernel %s' "$(nproc)" \
    "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')" \
    "$(awk '/MemTotal/ {printf "%.0f GiB RAM", $2 / 1048576}' /proc/meminfo)" "$(uname -r)"
}

write_section() { # name content-file
  local content=$2 start="<!-- bench:$1:start -->" end="<!-- bench:$1:end -->" tmp
  mkdir -p "$(dirname "$DOC")"
  if [ ! -f "$DOC" ]; then
    # shellcheck disable=SC2016  # backquotes are Markdown here
    printf '# Benchmarks\n\nGenerated sections below are rewritten by `bench/run.sh`; edit only outside the markers.\n\n' >"$DOC"
  fi
  if ! grep -qF "$start" "$DOC" || ! grep -qF "$end" "$DOC"; then
    printf '\n%s\n%s\n' "$start" "$end" >>"$DOC"
  fi
  tmp=$(mktemp)
  awk -v s="$start" -v e="$end" -v f="$content" '
    $0 == s { print; while ((getline l < f) > 0) print l; skip = 1; next }
    $0 == e { skip = 0 }
    !skip { print }' "$DOC" >"$tmp"
  mv "$tmp" "$DOC"
}
