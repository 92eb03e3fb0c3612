#!/usr/bin/env bash
# Fails when a translation lacks a string the sources have now.
#
#   po/check-complete.sh [LANG...]   (default: every language in po/LINGUAS)
#
# Extracts a fresh template from the files in po/POTFILES.in into a temporary
# folder (the tree is not touched), merges each LANG.po with it the way
# `meson compile esattore-update-po` does, and reports every message that is
# then untranslated or fuzzy. Exit status 1 when there is any.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ $# -gt 0 ]; then
  langs=("$@")
else
  mapfile -t langs < <(sed -e 's/#.*//' "$here/LINGUAS" | tr -s ' \t' '\n' | grep -v '^$')
fi

# The same options as meson's i18n.gettext(preset: 'glib'), which po/meson.build
# uses, so that this template equals the one esattore-pot writes.
xgettext_args=(
  --package-name=esattore -f "$here/POTFILES.in" -D "$root" -k_
  --from-code=UTF-8 --add-comments
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format
  --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format
  --flag=g_print:1:c-format --flag=g_printerr:1:c-format --flag=g_printf:1:c-format
  --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format
)
xgettext "${xgettext_args[@]}" -o "$tmp/esattore.pot"
if [ ! -f "$tmp/esattore.pot" ]; then
  echo "the sources have no translatable strings"
  exit 0
fi

# Prints the msgid of every message in a PO file, one a line, the header left
# out.
msgids () {
  [ -f "$1" ] || return 0
  awk '
    function flush () {
      if (inid && id != "") print (ctx != "" ? "[" ctx "] " : "") id
      inid = 0; inctx = 0; id = ""; ctx = ""
    }
    /^msgctxt "/ { flush(); inctx = 1; ctx = substr($0, 10, length($0) - 10); next }
    /^msgid "/ { inctx = 0; inid = 1; id = substr($0, 8, length($0) - 8); next }
    /^"/ && inctx { ctx = ctx substr($0, 2, length($0) - 2); next }
    /^"/ && inid { id = id substr($0, 2, length($0) - 2); next }
    { flush() }
    END { flush() }
  ' "$1"
}

status=0
for lang in "${langs[@]}"; do
  po="$here/$lang.po"
  if [ ! -f "$po" ]; then
    echo "$lang: po/$lang.po is missing (LINGUAS names it)"
    status=1
    continue
  fi
  msgmerge --quiet -o "$tmp/$lang.po" "$po" "$tmp/esattore.pot"
  msgattrib --untranslated --no-obsolete -o "$tmp/$lang.untranslated" "$tmp/$lang.po"
  msgattrib --only-fuzzy --no-obsolete -o "$tmp/$lang.fuzzy" "$tmp/$lang.po"
  untranslated=$(msgids "$tmp/$lang.untranslated" | grep -c . || true)
  fuzzy=$(msgids "$tmp/$lang.fuzzy" | grep -c . || true)
  echo "$lang: $(msgids "$tmp/esattore.pot" | grep -c . || true) messages, $untranslated untranslated, $fuzzy fuzzy"
  if [ "$untranslated" -gt 0 ]; then
    echo "$lang: untranslated:"
    msgids "$tmp/$lang.untranslated" | sed 's/^/  /'
    status=1
  fi
  if [ "$fuzzy" -gt 0 ]; then
    echo "$lang: fuzzy (check the translation, then remove the fuzzy mark):"
    msgids "$tmp/$lang.fuzzy" | sed 's/^/  /'
    status=1
  fi
done

if [ $status -ne 0 ]; then
  echo "To refresh: po/update-potfiles.sh && meson compile -C BUILDDIR esattore-update-po,"
  echo "then translate the new and fuzzy messages in po/LANG.po (see po/README.md)."
fi
exit $status
