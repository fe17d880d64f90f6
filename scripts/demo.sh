#!/usr/bin/env bash
# make demo: serve the bundled mirror on loopback, refresh it into data/foi.db, then
# serve the archive with Datasette until Ctrl-C; the mirror is stopped on exit.
set -euo pipefail
fixture_port=${1:-8765}
port=${2:-8001}
bin=.venv/bin
mkdir -p data
"$bin/foilog" fixture-site --host 127.0.0.1 --port "$fixture_port" >data/fixture-site.log 2>&1 &
fixture_pid=$!
trap 'kill "$fixture_pid" 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 50); do
  "$bin/python" - "$fixture_port" <<'PY' && break
import socket, sys
s = socket.socket(); s.settimeout(0.2)
sys.exit(0 if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) == 0 else 1)
PY
  sleep 0.1
done
site="http://127.0.0.1:$fixture_port"
echo "mirror on $site; refreshing into data/foi.db"
set +e
# every force the mirror serves (each under /<its host>/ on the mirror)
"$bin/foilog" refresh --site "$site" --force mps --force south-wales-police \
  --force dyfed-powys-police --force gwent-police --force cleveland-police \
  --force north-yorkshire-police --force warwickshire-police --force northamptonshire-police \
  --force essex-police --force devon--cornwall-police \
  --db data/foi.db --pages-db data/pages.db --rate 0 --concurrency 4
status=$?
set -e
# 3: a force's canary tripped (its pages archived all the same): serve, having said so
if [ "$status" -eq 3 ]; then
  echo "refresh: some force changed shape (exit 3, see above); serving what was archived"
elif [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then
  echo "refresh failed with exit $status"; exit "$status"
fi
echo "serving http://127.0.0.1:$port/foi/responses (Ctrl-C to stop)"
"$bin/foilog" serve --db data/foi.db --port "$port"
