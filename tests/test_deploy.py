"""Scaling out: two replicas behind nginx with deploy/nginx/encoding-lab.conf (the file compose
mounts), on 127.0.0.1. Each visitor stays on one replica (its websocket, its reconnect, every
request), both replicas serve visitors, and each session gets its own record's bytes."""
import asyncio
import concurrent.futures
import contextlib
import json
import os
import shutil
import subprocess
import time
import urllib.request
from collections import defaultdict
from http.cookies import SimpleCookie

import yaml

import formats
from bench.stclient import Session
from tests.browser import ROOT, free_port, started_server

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
DEPLOY = ROOT / "deploy"
SECRET = "test-secret-shared-by-every-replica"


def run_apart(coroutine):
    """asyncio.run in a thread of its own: the session's Playwright (sync API) keeps an event loop
    running in the main thread when a browser test ran earlier in this process."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def proxy_config(tmp, port: int, replicas: list[str]) -> str:
    """deploy/nginx/encoding-lab.conf with its upstream and listen lines pointed at this machine."""
    text = (DEPLOY / "nginx" / "encoding-lab.conf").read_text()
    assert text.count("    server app:8501;\n") == 1 and text.count("    listen 8080;\n") == 1
    text = text.replace("    server app:8501;\n", "".join(f"    server {r};\n" for r in replicas))
    text = text.replace("    listen 8080;\n", f"    listen 127.0.0.1:{port};\n")
    (tmp / "encoding-lab.conf").write_text(text)
    temp = {name: tmp / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir()
    return f"""
        daemon off;
        worker_processes 1;
        pid {tmp}/nginx.pid;
        error_log {tmp}/error.log;
        events {{}}
        http {{
            log_format route '$el_route $upstream_addr $uri';
            access_log {tmp}/access.log route;
            client_body_temp_path {temp['body']};
            proxy_temp_path {temp['proxy']};
            fastcgi_temp_path {temp['fastcgi']};
            uwsgi_temp_path {temp['uwsgi']};
            scgi_temp_path {temp['scgi']};
            include {tmp}/encoding-lab.conf;
        }}
    """


@contextlib.contextmanager
def nginx(tmp, replicas: list[str]):
    assert os.access(NGINX, os.X_OK), f"{NGINX} is missing: apt-get install nginx (.ci/run does); this test does not skip"
    port = free_port()
    (tmp / "nginx.conf").write_text(proxy_config(tmp, port, replicas))
    proc = subprocess.Popen([NGINX, "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-e", str(tmp / "error.log")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=2).close()
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode()
                assert time.monotonic() < deadline, "nginx did not answer"
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def first_visit(url: str) -> str:
    """GET the page as a browser without cookies; returns the route cookie the proxy set."""
    with urllib.request.urlopen(url + "/explorer", timeout=10) as response:
        cookie = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie"):
            cookie.load(header)
    return f"el_route={cookie['el_route'].value}"


def student_record(n: int) -> dict:
    return {"userName": f"Student{n}", "favoriteNumber": 1000 + n, "interests": ["x" * n]}


async def visit(url: str, n: int) -> tuple[str, list[str], list[str]]:
    """A visitor edits the record, drops the connection and comes back to the same session."""
    cookie = first_visit(url)
    async with Session(url, page="explorer", cookie=cookie) as s:
        await s.run()
        await s.edit("ex.record", json.dumps(student_record(n)))
        edited, session_id = s.texts(), s.session_id
    async with Session(url, page="explorer", cookie=cookie, session_id=session_id) as s:
        await s.run()   # no widget values sent: only the session kept on the server knows the record
        return cookie.split("=", 1)[1], edited, s.texts()


def test_two_replicas_behind_nginx_keep_each_session_on_one_replica(tmp_path):
    env = {"STREAMLIT_SERVER_COOKIE_SECRET": SECRET}
    with started_server(env=env) as (one, _), started_server(env=env) as (two, _), \
            nginx(tmp_path, [one.removeprefix("http://"), two.removeprefix("http://")]) as url:
        visits = []
        while len(visits) < 4 or len({replica for replica in routes(tmp_path).values()}) < 2:
            assert len(visits) < 30, "thirty visitors and nginx used only one replica"
            visits.append(run_apart(visit(url, len(visits))))
    for n, (route, edited, returned) in enumerate(visits):
        mine = formats.encode("json", student_record(n))
        head = f"<div class='el-card-head'><b>JSON</b> — {mine.size} bytes</div>"   # the card's heading
        assert any(head in t for t in edited)
        assert any(head in t for t in returned), "the reconnect reached a replica without the session"
        others = [f"Student{m}" for m in range(len(visits)) if m != n and len(str(m)) == len(str(n))]
        assert any(f"Student{n}" in t for t in returned) and not any(o in t for t in returned for o in others)
    by_route = defaultdict(set)
    for line in (tmp_path / "access.log").read_text().splitlines():
        route, upstream, _ = line.split(" ", 2)
        by_route[route].add(upstream)
    assert all(len(upstreams) == 1 for upstreams in by_route.values()), dict(by_route)
    assert {route for route, *_ in visits} <= set(by_route)


def routes(tmp) -> dict[str, str]:
    """route cookie -> the replica nginx sent it to, from the access log so far."""
    log = tmp / "access.log"
    lines = log.read_text().splitlines() if log.exists() else []
    return {line.split(" ")[0]: line.split(" ")[1] for line in lines}


def test_compose_and_kubernetes_give_every_replica_the_same_cookie_secret_and_sticky_routing():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    assert "STREAMLIT_SERVER_COOKIE_SECRET" in compose["services"]["app"]["environment"]
    assert "./nginx/encoding-lab.conf:/etc/nginx/conf.d/default.conf:ro" in compose["services"]["proxy"]["volumes"]
    deployment, service, ingress = yaml.safe_load_all((DEPLOY / "k8s" / "encoding-lab.yaml").read_text())
    env = deployment["spec"]["template"]["spec"]["containers"][0]["env"]
    assert any(e["name"] == "STREAMLIT_SERVER_COOKIE_SECRET" and "secretKeyRef" in e["valueFrom"] for e in env)
    assert ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert service["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]
