"""`anquan serve <enterprise-dir>`: build, serve the site on loopback, rebuild when a YAML file changes."""

from __future__ import annotations

import argparse
import threading
import time
from pathlib import Path

from ..diagnostics import BuildError, ContentError, os_reason

YAML_SUFFIXES = (".yaml", ".yml")
ASSET_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")


class SiteServer:
    """Serves build/<id>/site/ of one enterprise; the folder is looked up per request, so an
    atomic rebuild (build/<id> swapped by rename) is picked up without restarting."""

    def __init__(self, site_dir_of, host: str = "127.0.0.1", port: int = 8000) -> None:
        import http.server

        self.site_dir_of = site_dir_of

        server_self = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *a, **kw):
                super().__init__(*a, directory=str(server_self.site_dir_of()), **kw)

            def log_message(self, format: str, *args) -> None:  # noqa: A002 - the stdlib's name
                pass

        self.httpd = http.server.ThreadingHTTPServer((host, port), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> "SiteServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class Rebuilder:
    """Rebuilds after YAML (or image) changes under the watched folders, debounced."""

    def __init__(self, rebuild, delay: float = 0.4) -> None:
        self.rebuild = rebuild
        self.delay = delay
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()
        self._building = threading.Lock()  # one build at a time: they share build/<id>
        self.builds = 0

    def changed(self, path: str) -> None:
        if not path.endswith(YAML_SUFFIXES + ASSET_SUFFIXES) or "/." in path.replace("\\", "/"):
            return
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(self.delay, self._run)
            self._timer.daemon = True
            self._timer.start()

    def _run(self) -> None:
        with self._lock:
            self._timer = None
        with self._building:
            self.rebuild()
            self.builds += 1


def watch(folders: list[Path], rebuilder: Rebuilder):
    """Start a watchdog observer on the folders; returns it (call .stop() and .join())."""
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event) -> None:
            # reading a file (the build itself) raises opened/closed events: only writes count
            if event.is_directory or event.event_type not in ("created", "modified", "moved", "deleted", "closed"):
                return
            for p in (getattr(event, "src_path", ""), getattr(event, "dest_path", "")):
                if p:
                    rebuilder.changed(str(p))

    observer = Observer()
    for folder in folders:
        if folder.is_dir():
            observer.schedule(Handler(), str(folder), recursive=True)
    observer.start()
    return observer


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("enterprise_dir", help="企业目录，如 content/enterprises/demo-transport")
    p.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    p.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1，仅本机可访问）")
    p.add_argument("--out", default="build", help="输出目录（默认 build/）")
    p.add_argument("--only-site", action="store_true", help="只生成站点（更快，公文、手册等沿用上次的结果）")


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from ..load import default_library
    from ..pipeline import BuildOptions, build

    console = Console(highlight=False, soft_wrap=True)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    enterprise_dir = Path(args.enterprise_dir)
    if not (enterprise_dir / "enterprise.yaml").is_file() and not (enterprise_dir / "enterprise.yml").is_file():
        err.print(f"{enterprise_dir} 不是企业目录（缺少 enterprise.yaml）", style="red", markup=False)
        return 1
    out_root = Path(args.out)
    # a preview: cards made here point at this machine, so the checks that guard printing do not stop it
    options = BuildOptions(out_root=out_root, only=("site",) if args.only_site else (), gates=False)
    state: dict[str, Path | None] = {"site": None}

    def rebuild() -> bool:
        started = time.perf_counter()
        try:
            result = build(enterprise_dir, options)
        except ContentError as exc:
            for d in exc.diagnostics:
                err.print(d.format(), style="red", markup=False)
            err.print("内容有错误，站点保持上一次的版本；改正后保存即可自动重新生成", style="bold red", markup=False)
            return False
        except BuildError as exc:
            err.print(str(exc), style="red", markup=False)
            return False
        state["site"] = result.out_dir / "site"
        what = "内容无变化" if result.unchanged else f"生成 {len(result.rendered)} 个文件"
        console.print(f"{time.strftime('%H:%M:%S')} 已重新构建：{what}（{time.perf_counter() - started:.1f} 秒）", markup=False)
        return True

    if not rebuild() or state["site"] is None or not state["site"].is_dir():
        err.print("首次构建失败，无法启动站点", style="bold red", markup=False)
        return 1
    try:
        server = SiteServer(lambda: state["site"], args.host, args.port).start()
    except OSError as exc:
        err.print(f"无法在 {args.host}:{args.port} 启动服务：{os_reason(exc)}（可用 --port 换一个端口）", style="red", markup=False)
        return 1
    folders = [enterprise_dir]
    lib = default_library(enterprise_dir)
    if lib is not None:
        folders.append(lib)
    observer = watch(folders, Rebuilder(rebuild))
    console.print(f"站点已启动：{server.url}  （监视 {'、'.join(str(f) for f in folders)} 中的 YAML 文件，按 Ctrl+C 停止）", style="green", markup=False)
    try:
        while True:
            time.sleep(0.5)
    except KeyboardInterrupt:
        console.print("已停止", markup=False)
    finally:
        observer.stop()
        observer.join(timeout=5)
        server.stop()
    return 0


__all__ = ["Rebuilder", "SiteServer", "watch"]
