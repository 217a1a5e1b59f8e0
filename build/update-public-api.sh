#!/usr/bin/env bash
# Records the SDK's public API in PublicAPI.Unshipped.txt: adds every public symbol the PublicApiAnalyzers report as
# undeclared (RS0016) and drops unshipped entries that no longer exist (RS0017). Shipped entries are never touched:
# removing one is a breaking change. Run after a deliberate SDK change and review the diff like any API change.
set -euo pipefail
cd "$(dirname "$0")/../sdk/MPM.Sdk"
out=$(dotnet build --no-incremental -p:TreatWarningsAsErrors=false 2>&1 || true)
added=$(grep -o "RS0016[^']*'[^']*'" <<<"$out" | sed "s/^[^']*'//; s/'\$//" | sort -u || true)
removed=$(grep -o "RS0017[^']*'[^']*'" <<<"$out" | sed "s/^[^']*'//; s/'\$//" | sort -u || true)
{
  echo "#nullable enable"
  { tail -n +2 PublicAPI.Unshipped.txt; [ -n "$added" ] && echo "$added"; } | grep -vxF -f <(echo "${removed:-__none__}") | grep -v '^$' | sort -u
} > PublicAPI.tmp
mv PublicAPI.tmp PublicAPI.Unshipped.txt
