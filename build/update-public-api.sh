#!/usr/bin/env bash
# Records every public SDK symbol the PublicApiAnalyzers reports as undeclared (RS0016) in PublicAPI.Unshipped.txt.
# Run after a deliberate, additive SDK change; review the diff like any other API change.
set -euo pipefail
cd "$(dirname "$0")/../sdk/MPM.Sdk"
dotnet build --no-incremental -p:TreatWarningsAsErrors=false 2>&1 \
  | grep -o "RS0016[^']*'[^']*'" | sed "s/^[^']*'//; s/'\$//" | sort -u >> PublicAPI.Unshipped.txt || true
{ head -1 PublicAPI.Unshipped.txt; tail -n +2 PublicAPI.Unshipped.txt | sort -u; } > PublicAPI.tmp && mv PublicAPI.tmp PublicAPI.Unshipped.txt
