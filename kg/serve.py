"""`kg serve`: the Oxigraph server (PyPI package `oxigraph`) over the built store, read-only.

The server is a separate program; `kg` finds it next to the running Python (the virtualenv's
bin folder) or on PATH, starts it on loopback by default, waits until it answers, and stops it
when asked. Its SPARQL endpoint is `URL/query`; its page at `URL/` is a query editor.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from .errors import KGError, StoreError


class ServerError(KGError):
    """The SPARQL server cannot be found, cannot bind its address, or does not start."""


def server_program() -> str:
    here = Path(sys.executable).parent / "oxigraph"
    found = str(here) if here.exists() else shutil.which("oxigraph")
    if not found:
        raise ServerError("the Oxigraph server is not installed: pip install oxigraph==0.5.13")
    return found


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def start_server(store: Path, host: str = "127.0.0.1", port: int = 7878, *, timeout: float = 30.0,
                 writable: bool = False) -> tuple[subprocess.Popen, str]:
    """Start a server on a store and return it with its URL once it answers: read-only on a
    built store by default; `writable` starts an empty server a build can write to."""
    if not writable and not (Path(store) / "CURRENT").exists():
        raise StoreError(f"{store}: no store here; run 'kg build' first")
    mode = "serve" if writable else "serve-read-only"
    cmd = [server_program(), mode, "--location", str(store), "--bind", f"{host}:{port}", "--union-default-graph"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://{host if ':' not in host else f'[{host}]'}:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            detail = (proc.stderr.read() if proc.stderr else "").strip().splitlines()
            raise ServerError(f"the server stopped at once: {detail[-1] if detail else f'exit code {proc.returncode}'}")
        try:
            with urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1):
                return proc, url
        except OSError:
            time.sleep(0.2)
    stop_server(proc)
    raise ServerError(f"the server did not answer on {url} within {timeout:.0f} s")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
