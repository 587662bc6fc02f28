"""`python -m analysis serve`: preview the built book on this machine only (127.0.0.1).

The book opens from disk too (`_build/html/index.html`); a server is closer to how
readers get it (downloads, relative links, caching) and is what the browser tests use.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ..errors import BuildError
from ..inputs import paths
from ..inputs.scenarios import check_name

HOST = "127.0.0.1"  # loopback only: a preview, not a publication


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # no line per request on the terminal
        pass


def site_dir(scenario: str | None = None, root: Path | None = None) -> Path:
    """The published HTML of the book (default) or of a scenario book; an error if not built."""
    root = Path(root or paths.REPO_ROOT)
    if scenario:
        check_name(scenario, "--scenario")
        site = root / "_build" / "scenarios" / scenario / "html"
        hint = f"python -m analysis build --scenario FILE (a scenario named '{scenario}')"
    else:
        site = root / "_build" / "html"
        hint = "python -m analysis build"
    if not (site / "index.html").is_file():
        raise BuildError(f"{site} holds no built book; run {hint} first")
    return site


def make_server(directory: Path, port: int = 0, host: str = HOST) -> ThreadingHTTPServer:
    """An HTTP server for one folder, bound but not yet serving (port 0: any free port).

    Call `serve_forever()` (e.g. in a thread) and `shutdown()`; `url(server)` is its address.
    """
    handler = functools.partial(_QuietHandler, directory=str(directory))
    return ThreadingHTTPServer((host, port), handler)


def url(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host}:{port}/"


def serve(port: int = 8000, scenario: str | None = None, root: Path | None = None,
          report: Callable[[str], None] = print) -> None:
    """Serve the built book on 127.0.0.1 until interrupted (Ctrl-C)."""
    site = site_dir(scenario, root)
    try:
        server = make_server(site, port)
    except OSError as exc:
        raise BuildError(f"cannot serve on {HOST}:{port} ({exc.strerror}); "
                         "try another --port, or --port 0 for any free one") from None
    report(f"serving {site} at {url(server)}index.html (Ctrl-C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        report("stopped")
    finally:
        server.server_close()
