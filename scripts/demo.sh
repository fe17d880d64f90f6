#!/usr/bin/env bash
# make demo: serve the bundled mirror on loopback, refresh it into data/foi.db, then
# serve the archive with Datasette until Ctrl-C; the mirror is stopped on exit.
# If the mirror's port is taken, a free port is used instead (and said so): the demo
# never crawls whatever else happens to listen there.
set -euo pipefail
fixture_port=${1:-8765}
port=${2:-8001}
bin=${FOILOG_BIN:-.venv/bin}
mkdir -p data

port_free() {
  "$bin/python" - "$1" <<'PY'
import socket, sys
s = socket.socket()
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
finally:
    s.close()
PY
}

if ! port_free "$fixture_port"; then
  taken=$fixture_port
  fixture_port=$("$bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  echo "port $taken is in use by another program; serving the mirror on free port $fixture_port instead"
fi
log=data/fixture-site.log
"$bin/foilog" fixture-site --host 127.0.0.1 --port "$fixture_port" --quiet >"$log" 2>&1 &
fixture_pid=$!
trap 'kill "$fixture_pid" 2>/dev/null || true' EXIT INT TERM
site="http://127.0.0.1:$fixture_port"
# Ours is answering when our process is alive and says it listens on that port.
for _ in $(seq 100); do
  if ! kill -0 "$fixture_pid" 2>/dev/null; then
    echo "error: the mirror could not start on port $fixture_port: $(tail -n 1 "$log")" >&2
    exit 2
  fi
  grep -q "fixture site on $site/" "$log" && break
  sleep 0.1
done
if ! grep -q "fixture site on $site/" "$log"; then
  echo "error: the mirror did not come up on port $fixture_port (see $log)" >&2
  exit 2
fi
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
