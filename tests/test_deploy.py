"""The container files are on paper here (no Docker engine), so they must share what the tested script runs.

``deploy/serve.py`` (``make serve``, the proxy tests, ``bench/load.py --proxy``) starts every app process
with ``deploy/app.sh`` and renders ``deploy/nginx/backprop.conf.template``. These tests check that the
Dockerfile, compose and Kubernetes files use that same command and that same template, with values that
fill it, rather than copies that could drift.
"""

from __future__ import annotations

import os
import re
import subprocess

import pytest

from deploy.serve import APP_SH, HOST, MAIN_CONF, PLACEHOLDERS, TEMPLATE, render
from tests.support import proxy
from tests.support.proxy import require_nginx
from tests.support.streamlit_ws import ROOT

DEPLOY = ROOT / "deploy"
DOCKERFILE = (DEPLOY / "Dockerfile").read_text()
COMPOSE = (DEPLOY / "compose.yaml").read_text()
KUBE = (DEPLOY / "kubernetes.yaml").read_text()
START = "deploy/app.sh"


def compose_service(name: str) -> str:
    """The text of one service in compose.yaml (its indented block)."""
    match = re.search(rf"^  {name}:\n((?:    .*\n|\s*\n)+)", COMPOSE, re.M)
    assert match, name
    return match.group(1)


def test_one_start_command_everywhere():
    assert APP_SH == ROOT / START and os.access(APP_SH, os.X_OK)
    assert re.search(r'^CMD \["deploy/app.sh"\]$', DOCKERFILE, re.M)
    app = compose_service("app")
    assert "dockerfile: deploy/Dockerfile" in app and "command:" not in app and "entrypoint:" not in app
    assert re.search(r'^\s+command: \["deploy/app.sh"\]', KUBE, re.M)
    assert "command:" not in KUBE.replace('command: ["deploy/app.sh"]', "")


def test_app_sh_refuses_to_start_without_the_shared_cookie_secret():
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    done = subprocess.run([str(APP_SH)], env=env, capture_output=True, text=True, timeout=30)
    assert done.returncode != 0 and "STREAMLIT_SERVER_COOKIE_SECRET" in done.stderr


def test_every_process_gets_the_one_secret_and_the_one_port():
    # In a container the proxy reaches the app from outside, so the image must not keep app.sh's loopback.
    address = re.search(r"BACKPROP_ADDRESS=(\S+)", DOCKERFILE)
    assert address and address.group(1) != HOST and "BACKPROP_PORT=8501" in DOCKERFILE
    assert "EXPOSE 8501" in DOCKERFILE and "127.0.0.1:8501/_stcore/health" in DOCKERFILE
    assert "STREAMLIT_SERVER_COOKIE_SECRET: ${BACKPROP_COOKIE_SECRET:?" in compose_service("app")
    assert re.search(r"name: STREAMLIT_SERVER_COOKIE_SECRET\n\s+valueFrom:\n\s+secretKeyRef:", KUBE)
    assert re.search(r'name: BACKPROP_PORT\n\s+value: "8501"', KUBE) and "containerPort: 8501" in KUBE
    assert re.search(r'name: BACKPROP_ADDRESS\n\s+value: "(?!127\.)', KUBE)
    assert KUBE.count("path: /_stcore/health") == 2                          # readiness and liveness


def test_compose_mounts_the_same_template_and_fills_every_placeholder():
    nginx = compose_service("nginx")
    mount = re.search(r"- (\S+):/etc/nginx/templates/default\.conf\.template:ro", nginx)
    assert mount and (DEPLOY / mount.group(1)).resolve() == TEMPLATE
    values = dict(re.findall(r"^\s+(BACKPROP_\w+): \"?([^\"\n]+)\"?$", nginx, re.M))
    assert set(values) == set(PLACEHOLDERS)
    assert 'NGINX_ENVSUBST_FILTER: "^BACKPROP_"' in nginx           # the image replaces our names only
    conf = render(TEMPLATE.read_text(), values)
    assert "server app:8501;" in conf and "hash $backprop_route consistent;" in conf


def test_the_rendered_template_is_a_valid_nginx_configuration(tmp_path):
    nginx = require_nginx()
    conf = render(TEMPLATE.read_text(), {"BACKPROP_LISTEN": "127.0.0.1:1", "BACKPROP_SERVERS": "server 127.0.0.1:2;",
                                         "BACKPROP_ACCESS_LOG": str(tmp_path / "access.log")})
    (tmp_path / "backprop.conf").write_text(conf)
    (tmp_path / "nginx.conf").write_text(MAIN_CONF.format(scratch=tmp_path, user=""))
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / "temp" / sub).mkdir(parents=True)
    done = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
                           "-e", str(tmp_path / "error.log")], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr


def test_the_image_carries_the_app_and_leaves_the_rest_out():
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")}
    needed = {"dashboard.py", "pages", "ui", "viz", "netcore", "scenes.toml", ".streamlit", "requirements.txt",
              "deploy"}
    assert not needed & ignored
    assert {".git", ".venv", "tests", "bench"} <= ignored


def test_the_ingress_keeps_a_browser_on_one_pod_by_cookie():
    for line in ('nginx.ingress.kubernetes.io/affinity: "cookie"',
                 'nginx.ingress.kubernetes.io/affinity-mode: "persistent"',
                 'nginx.ingress.kubernetes.io/session-cookie-change-on-failure: "true"',
                 'nginx.ingress.kubernetes.io/proxy-read-timeout: "3600"'):
        assert line in KUBE, line
    assert KUBE.count("\nkind: ") == 3 and all(f"kind: {k}" in KUBE for k in ("Deployment", "Service", "Ingress"))


def test_a_missing_nginx_skips_here_but_fails_where_the_suite_must_be_complete(monkeypatch):
    monkeypatch.setattr(proxy, "find_nginx", lambda: None)
    for name in ("BACKPROP_REQUIRE_BROWSER", "CI"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(pytest.skip.Exception):
        proxy.require_nginx()
    for name, value in (("BACKPROP_REQUIRE_BROWSER", "1"), ("CI", "true")):
        with monkeypatch.context() as m:
            m.setenv(name, value)
            with pytest.raises(pytest.fail.Exception, match="required here"):
                proxy.require_nginx()
