#!/usr/bin/env bash
# Writes the compiled data model again (docs/adr/0037), for SQLite and PostgreSQL, after any change to the entity
# configurations; CompiledModelTests fails until it is run. Needs only the SDK: dotnet-ef comes from the repository's
# tool manifest (dotnet-tools.json; keep its version the EF packages' in Directory.Packages.props).
#
# The project is built without the old compiled model first (WithoutCompiledModel=true), so that a change which breaks
# the old generated code (a property removed, a type renamed) does not stop the new one from being written. Each model
# is written beside the old one and replaces it only when written whole. EF's generated assembly attributes are
# removed: the product picks its compiled model itself, one per column key (CompiledModel/CompiledModels.cs), and a
# context made without a key must build its model as before.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
run() { "$@" >"$log" 2>&1 || { cat "$log" >&2; echo "failed: $*" >&2; exit 1; }; }

run dotnet tool restore
run dotnet build src/Rectify -c Debug -p:WithoutCompiledModel=true
for provider in Sqlite Postgres; do
  target="src/Rectify/CompiledModel/$provider"
  rm -rf "$target.new"
  run dotnet ef dbcontext optimize --no-build --project src/Rectify --configuration Debug \
    --context "${provider}RectifyDbContext" \
    --output-dir "CompiledModel/$provider.new" --namespace "Rectify.CompiledModel.$provider"
  rm -f "$target.new/${provider}RectifyDbContextAssemblyAttributes.cs"
  rm -rf "$target"
  mv "$target.new" "$target"
  echo "CompiledModel/$provider: $(ls "$target" | wc -l) files"
done
echo "Now: dotnet build, and dotnet test tests/Rectify.UnitTests --filter CompiledModelTests"
