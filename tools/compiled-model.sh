#!/usr/bin/env bash
# Writes the compiled data model again (docs/adr/0037), for SQLite and PostgreSQL, after any change to the entity
# configurations; CompiledModelTests fails until it is run. Needs only the SDK: dotnet-ef comes from the repository's
# tool manifest (dotnet-tools.json).
#
# The project is built without the old compiled model first (WithoutCompiledModel=true), so that a change which breaks
# the old generated code (a property removed, a type renamed) does not stop the new one from being written. EF's
# generated assembly attributes are removed: the product picks its compiled model itself, one per column key
# (CompiledModel/CompiledModels.cs), and a context made without a key must build its model as before.
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet tool restore >/dev/null
dotnet build src/Rectify -c Debug -p:WithoutCompiledModel=true >/dev/null
for provider in Sqlite Postgres; do
  rm -rf "src/Rectify/CompiledModel/$provider"
  dotnet ef dbcontext optimize --no-build --project src/Rectify --configuration Debug \
    --context "${provider}RectifyDbContext" \
    --output-dir "CompiledModel/$provider" --namespace "Rectify.CompiledModel.$provider" >/dev/null
  rm -f "src/Rectify/CompiledModel/$provider/${provider}RectifyDbContextAssemblyAttributes.cs"
  echo "CompiledModel/$provider: $(ls "src/Rectify/CompiledModel/$provider" | wc -l) files"
done
echo "Now: dotnet build, and dotnet test tests/Rectify.UnitTests --filter CompiledModelTests"
