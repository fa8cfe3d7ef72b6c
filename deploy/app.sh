#!/bin/sh
# The one start command of an app process. deploy/serve.py runs it once per process on this machine;
# the Dockerfile makes it the image's command, so compose and Kubernetes run it too.
#
# Environment:
#   STREAMLIT_SERVER_COOKIE_SECRET  required: one secret shared by every process behind the proxy, so a
#                                   cookie Streamlit signs in one process is valid in the next
#   BACKPROP_ADDRESS                address to bind (default 127.0.0.1; the image sets 0.0.0.0)
#   BACKPROP_PORT                   port (default 8501)
#   BACKPROP_PYTHON                 the Python that has requirements.txt installed (default: python)
# Everything else comes from .streamlit/config.toml, as with `make run`.
set -eu
cd "$(dirname "$0")/.."
: "${STREAMLIT_SERVER_COOKIE_SECRET:?set STREAMLIT_SERVER_COOKIE_SECRET, the same value for every app process}"
exec "${BACKPROP_PYTHON:-python}" -m streamlit run dashboard.py \
  --server.address "${BACKPROP_ADDRESS:-127.0.0.1}" \
  --server.port "${BACKPROP_PORT:-8501}" \
  --server.headless true \
  --browser.gatherUsageStats false
