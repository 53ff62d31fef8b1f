"""A real HTTP server on 127.0.0.1 standing in for DingTalk's and WeCom's robot API: it records
each request (path, query, JSON body) and answers as scripted — errcode 0 by default, or for
the next requests an HTTP error, an errcode, a slow answer (a timeout) or a redirect."""

import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    query: dict[str, str]
    body: dict
    headers: dict[str, str]


@dataclass
class FakeRobot:
    """`answers` is consumed one per request: "ok", ("http", 500), ("errcode", 45009, "…"),
    ("slow", seconds) or ("redirect", url); once empty every request gets errcode 0."""

    received: list[Received] = field(default_factory=list)
    answers: list = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def webhook(self, path: str = "/robot/send?access_token=t0ken") -> str:
        return self.origin + path

    def fail_next(self, *answers) -> None:
        self.answers.extend(answers)

    def start(self) -> "FakeRobot":
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 — http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                parts = urllib.parse.urlsplit(self.path)
                robot.received.append(
                    Received(
                        path=parts.path,
                        query=dict(urllib.parse.parse_qsl(parts.query)),
                        body=json.loads(raw.decode("utf-8")),
                        headers=dict(self.headers),
                    )
                )
                robot._answer(self)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        answer = self.answers.pop(0) if self.answers else "ok"
        if answer == "ok":
            return self._json(handler, 200, {"errcode": 0, "errmsg": "ok"})
        kind, *rest = answer
        if kind == "http":
            return self._json(handler, rest[0], {"message": "server error"})
        if kind == "errcode":
            return self._json(handler, 200, {"errcode": rest[0], "errmsg": rest[1]})
        if kind == "slow":
            time.sleep(rest[0])
            return self._json(handler, 200, {"errcode": 0, "errmsg": "ok"})
        if kind == "redirect":
            handler.send_response(302)
            handler.send_header("Location", rest[0])
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return None
        raise AssertionError(f"unknown answer {answer!r}")

    @staticmethod
    def _json(handler, status: int, data: dict) -> None:
        body = json.dumps(data).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        try:
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
            pass


def running_robot(settings):
    """For a fixture: a FakeRobot started, its origin the only robot host allowed (plain http
    on 127.0.0.1 allowed for it alone), stopped afterwards."""
    robot = FakeRobot().start()
    settings.SHIGAN_ROBOT_HOSTS = [robot.origin]
    try:
        yield robot
    finally:
        robot.stop()
