#!/usr/bin/env bash
# Fails when a source file includes from a folder above its own layer (README "Layers"):
# engine <- schemas, gateway/storage <- gateway/{transport,pipeline,session} <-
# gateway/replication <- tools <- bench, tests. Usage: layering.sh SOURCE_DIR
set -euo pipefail
cd "$1"

# folder: the folders its files may include from (besides the system and packages)
declare -A allowed=(
  [engine]="engine"
  [schemas]="engine schemas"
  [gateway/storage]="engine gateway/storage"
  [gateway/transport]="gateway/transport"
  [gateway/pipeline]="engine schemas gateway/storage gateway/transport gateway/pipeline"
  [gateway/session]="engine schemas gateway/storage gateway/transport gateway/pipeline gateway/session"
  [gateway/replication]="engine gateway/storage gateway/pipeline gateway/replication"
  [tools/orderlog]="engine tools/orderlog"
  [tools/client]="engine schemas tools/client"
  [tools/web]="engine schemas tools/client tools/web"
  [tools/gpux]="engine schemas gateway/storage tools/orderlog tools/client tools/gpux"
  [tools/gpuxd]="engine schemas gateway/storage gateway/transport gateway/pipeline gateway/session gateway/replication tools/orderlog tools/web tools/gpuxd"
)

bad=0
checked=0
for folder in "${!allowed[@]}"; do
  for file in "$folder"/*.hpp "$folder"/*.cpp; do
    [ -e "$file" ] || continue
    checked=$((checked + 1))
    while IFS= read -r target; do
      ok=0
      for a in ${allowed[$folder]}; do
        # the including folder itself, or an allowed folder (not one of its subfolders)
        [ "$(dirname "$target")" = "$a" ] && ok=1
      done
      # the generated protocol header is the protocol's
      [ "$target" = "schemas/gpux_generated.h" ] && [[ " ${allowed[$folder]} " == *" schemas "* ]] && ok=1
      if [ "$ok" -eq 0 ]; then
        echo "layering: $file includes \"$target\", above its layer ($folder may include: ${allowed[$folder]})"
        bad=1
      fi
    done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$file")
  done
done
# every source folder is in the table, so a new one cannot slip past unchecked
while IFS= read -r dir; do
  [ -n "${allowed[$dir]+x}" ] || { echo "layering: $dir has sources but no layer in tests/layering.sh"; bad=1; }
done < <(find engine schemas gateway tools -name '*.[ch]pp' -printf '%h\n' | sort -u)
[ "$checked" -gt 50 ] || { echo "layering: only $checked files checked"; bad=1; }
[ "$bad" -eq 0 ] && echo "layering: $checked files, every include points down"
exit "$bad"
