#!/usr/bin/env bash
# Regenerates the public API baseline's PublicAPI.Unshipped.txt of every src project from the current code (after a
# merge that changed public API, or before a release). PublicAPI.Shipped.txt files are left alone: they change only
# at a release (move the Unshipped lines there). A symbol that is in Shipped but no longer in the code still fails the
# build (RS0017): removing released API is a breaking change, recorded by hand as a "*REMOVED*" line in Unshipped.
#
# Usage: build/update-public-api.sh [src/X/X.csproj ...]   (default: every src project with a baseline; a few
#        minutes per project on two busy cores, as dotnet format loads each project with its references)
# Then review `git diff -- '*PublicAPI*.txt'`: every added or removed line is a public API change.
set -euo pipefail
cd "$(dirname "$0")/.."

projects=("$@")
if [ ${#projects[@]} -eq 0 ]; then
  for dir in src/*/; do
    if [ -f "${dir}PublicAPI.Shipped.txt" ]; then projects+=("$(ls "${dir}"*.csproj)"); fi
  done
fi

for project in "${projects[@]}"; do
  unshipped="$(dirname "$project")/PublicAPI.Unshipped.txt"
  echo "== $project"
  # Start from an empty Unshipped list, then let the analyzer's code fix declare every public symbol that is not in
  # Shipped (RS0016) with its nullable annotations (RS0036 / RS0037). One project per call: dotnet format's
  # solution-wide fix-all fills only the first project's file.
  printf '#nullable enable\n' > "$unshipped"
  dotnet format analyzers "$project" --diagnostics RS0016 RS0036 RS0037 --severity info
  # Stable order, no blank lines: a regenerated file differs only where the API did.
  { head -n 1 "$unshipped"; tail -n +2 "$unshipped" | sed '/^$/d' | LC_ALL=C sort -u; } > "$unshipped.tmp"
  mv "$unshipped.tmp" "$unshipped"
  echo "   $(($(wc -l < "$unshipped") - 1)) public symbols not in PublicAPI.Shipped.txt"
done

# The baseline now matches the code: building reports any symbol the code fix could not declare (RS0016 / RS0017).
for project in "${projects[@]}"; do
  dotnet build "$project" -c Release -nologo -v quiet
done
echo "public API baseline updated; review: git diff -- '*PublicAPI*.txt'"
