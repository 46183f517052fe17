#!/usr/bin/env bash
# Installs the Debian tools the tests use when present (poppler-utils: pdftotext reads the PDFs'
# text layer as a reader would). Tests that need a missing tool say SKIPPED and why.
set -u
need=()
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  { apt-get install -y -qq "${need[@]}" || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"; }; } >/dev/null 2>&1 \
    || echo "ci: could not install ${need[*]}; tests needing them are skipped" >&2
else
  echo "ci: ${need[*]} missing and not root; tests needing them are skipped" >&2
fi
exit 0
