#!/usr/bin/env python3
"""A contract test server for PEFT Studio's performance API (issue 16).

Standard library only. Serves the eight /api/performance/* endpoints with the
shapes PEFT Studio's backend returns, in one scenario per process:

  full            a service that has served requests (R has error_count)
  empty           a service that has served nothing (R has requests_per_second: 0,
                  all-zero database stats, an empty cache); its own
                  "cache hit rate is low" recommendation fires anyway
  extra           full, with unknown extra fields everywhere
  error500        every endpoint fails: 500 {"detail": ...}; the detail echoes
                  the Authorization header and the basic-auth credentials it got
  ratelimit       the first call to each path gets 429 Retry-After: 1, then full
  ratelimit-long  always 429 Retry-After: 120
  redirect        302 to another origin
  redirect-same   302 to the same origin
  malformed       200 with a body that is not JSON
  wrongtype       200 with fields of the wrong type (cache.hit_rate "x", ...)
  missing         200 with required fields missing
  slow            answers after 5 s

Like the real service, it counts its own /api/performance/* calls in its
request figures. Every request is appended to --log as one JSON line:
{"method", "path", "headers"}. The port is printed on stdout as "PORT n".
"""

import argparse
import base64
import json
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PREFIX = "/api/performance"
SECRET_PARAMETER = "alice@example.com"

LOCK = threading.Lock()
STATE = {
    "served": 0,  # requests answered so far (the service counts its own calls)
    "errors": 0,
    "cache": {"capacity": 1000, "size": 3, "hits": 4, "misses": 16},
    "seen": set(),
    "perf_calls": {},  # "GET /api/performance/metrics" -> count
}

# Application traffic the "full" service has served before the test.
APP_ENDPOINTS = [
    {"endpoint": "GET /api/runs/123", "avg_time": 0.004, "request_count": 3},
    {"endpoint": "GET /api/runs/456", "avg_time": 0.008, "request_count": 1},
    {"endpoint": "POST /api/train", "avg_time": 0.25, "request_count": 2},
    {"endpoint": "GET /api/health", "avg_time": 0.001, "request_count": 14},
]
APP_REQUESTS = sum(e["request_count"] for e in APP_ENDPOINTS)  # 20
APP_ERRORS = 2


def cache_stats():
    c = STATE["cache"]
    lookups = c["hits"] + c["misses"]
    return {
        "capacity": c["capacity"],
        "size": c["size"],
        "hits": c["hits"],
        "misses": c["misses"],
        "hit_rate": (c["hits"] / lookups) if lookups else 0.0,
        "utilization": c["size"] / c["capacity"],
    }


def database_stats(empty):
    if empty:
        return {"total_queries": 0, "avg_time": 0, "max_time": 0, "min_time": 0, "slow_queries": 0}
    return {"total_queries": 8, "avg_time": 0.086, "max_time": 1.42, "min_time": 0.0002, "slow_queries": 2}


def requests_stats(empty):
    perf = sum(STATE["perf_calls"].values())
    if empty and perf == 0:
        return {"total_requests": 0, "avg_response_time": 0, "max_response_time": 0,
                "min_response_time": 0, "error_rate": 0, "requests_per_second": 0}
    total = (0 if empty else APP_REQUESTS) + perf
    errors = 0 if empty else APP_ERRORS
    return {"total_requests": total, "avg_response_time": 0.05, "max_response_time": 0.69,
            "min_response_time": 0.0004, "error_count": errors, "error_rate": errors / total}


def system_stats():
    return {"cpu_percent": 12.5, "memory_percent": 41.0, "memory_used_mb": 3300.5,
            "memory_available_mb": 4700.25, "disk_percent": 63.2, "disk_used_gb": 120.4, "disk_free_gb": 70.1}


def slow_queries(empty, limit):
    if empty:
        return {"slow_queries": [], "count": 0}
    items = [
        {"statement": "SELECT training_runs.id, training_runs.status FROM training_runs "
                      "WHERE training_runs.owner = ? AND training_runs.status IN (?, ?, ?)",
         "parameters": [SECRET_PARAMETER, "running", "queued", "failed"],
         "time": 1.42, "timestamp": "2026-12-07T10:41:02.1"},
        {"statement": "UPDATE training_runs SET status=:status WHERE training_runs.id = :id_1",
         "parameters": {"status": "done", "id_1": "job_20250101_102858_e4675d"},
         "time": 1.1, "timestamp": "2026-12-07T10:41:03.5"},
    ]
    items = items[:limit]
    return {"slow_queries": items, "count": len(items)}


def endpoints(empty):
    listed = [] if empty else [dict(e) for e in APP_ENDPOINTS]
    for name, count in STATE["perf_calls"].items():
        listed.append({"endpoint": name, "avg_time": 0.0005, "request_count": count})
    listed.sort(key=lambda e: e["avg_time"], reverse=True)
    return {"slowest_endpoints": listed[:20]}


def recommendations(empty):
    texts = []
    c = cache_stats()
    if c["hit_rate"] < 0.5:
        texts.append(f"Cache hit rate is low ({c['hit_rate'] * 100:.1f}%). Consider caching more.")
    if not empty:
        texts.append("Error rate is 10.0%. Investigate failing requests.")
    return {"recommendations": texts, "count": len(texts)}


def with_extra(value):
    if isinstance(value, dict):
        out = {k: with_extra(v) for k, v in value.items()}
        out["x_future_field"] = {"nested": [1, "two", None]}
        return out
    if isinstance(value, list):
        return [with_extra(v) for v in value]
    return value


def body_for(method, path, query, scenario):
    empty = scenario == "empty"
    if method == "DELETE" and path == PREFIX + "/cache/clear":
        c = STATE["cache"]
        c["size"], c["hits"], c["misses"] = 0, 0, 0
        return {"message": "Cache cleared successfully"}
    if method != "GET":
        return None
    if path == PREFIX + "/metrics":
        return {"cache": cache_stats(), "database": database_stats(empty), "requests": requests_stats(empty),
                "system": system_stats(), "timestamp": "2026-12-07T10:40:15.266916"}
    if path == PREFIX + "/cache/stats":
        return cache_stats()
    if path == PREFIX + "/database/stats":
        return database_stats(empty)
    if path == PREFIX + "/database/slow-queries":
        limit = 10
        for part in query.split("&"):
            if part.startswith("limit="):
                limit = int(part[6:])
        return slow_queries(empty, limit)
    if path == PREFIX + "/endpoints":
        return endpoints(empty)
    if path == PREFIX + "/system":
        return system_stats()
    if path == PREFIX + "/recommendations":
        return recommendations(empty)
    return None


WRONG = {
    PREFIX + "/metrics": lambda b: b["cache"].__setitem__("hit_rate", "x"),
    PREFIX + "/cache/stats": lambda b: b.__setitem__("hits", "many"),
    PREFIX + "/database/stats": lambda b: b.__setitem__("total_queries", 1.5),
    PREFIX + "/database/slow-queries": lambda b: b["slow_queries"][0].__setitem__("time", None),
    PREFIX + "/endpoints": lambda b: b["slowest_endpoints"][0].__setitem__("request_count", -1),
    PREFIX + "/system": lambda b: b.__setitem__("cpu_percent", [1]),
    PREFIX + "/recommendations": lambda b: b["recommendations"].append(7),
    PREFIX + "/cache/clear": lambda b: b.__setitem__("message", 1),
}
MISSING = {
    PREFIX + "/metrics": lambda b: b["database"].pop("total_queries"),
    PREFIX + "/cache/stats": lambda b: b.pop("size"),
    PREFIX + "/database/stats": lambda b: b.pop("slow_queries"),
    PREFIX + "/database/slow-queries": lambda b: b.pop("slow_queries"),
    PREFIX + "/endpoints": lambda b: b.pop("slowest_endpoints"),
    PREFIX + "/system": lambda b: b.pop("disk_free_gb"),
    PREFIX + "/recommendations": lambda b: b.pop("recommendations"),
    PREFIX + "/cache/clear": lambda b: None,
}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "contract/1"

    def log_message(self, *args):
        pass

    def send(self, status, body, headers=()):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self, method):
        path, _, query = self.path.partition("?")
        scenario = self.server.scenario
        with open(self.server.log, "a") as log:
            log.write(json.dumps({"method": method, "path": self.path,
                                  "headers": {k: v for k, v in self.headers.items()}}) + "\n")
        with LOCK:
            try:
                self.respond(method, path, query, scenario)
            finally:
                STATE["served"] += 1
                if path.startswith(PREFIX):
                    name = f"{method} {path}"
                    STATE["perf_calls"][name] = STATE["perf_calls"].get(name, 0) + 1

    def respond(self, method, path, query, scenario):
        if scenario == "slow":
            LOCK.release()
            try:
                time.sleep(5)
            finally:
                LOCK.acquire()
        if scenario == "error500":
            echoed = self.headers.get("Authorization", "")
            detail = f"database is locked (request had Authorization={echoed}"
            auth = self.headers.get("Authorization", "")
            if auth.startswith("Basic "):
                detail += " decoded=" + base64.b64decode(auth[6:]).decode(errors="replace")
            return self.send(500, {"detail": detail + ")"})
        if scenario == "ratelimit-long":
            return self.send(429, {"detail": "Too Many Requests"}, [("Retry-After", "120")])
        if scenario == "ratelimit" and path not in STATE["seen"]:
            STATE["seen"].add(path)
            return self.send(429, {"detail": "Too Many Requests"}, [("Retry-After", "1")])
        if scenario == "redirect":
            return self.send(302, b"", [("Location", "http://user:pw@203.0.113.9:8000" + self.path)])
        if scenario == "redirect-same":
            return self.send(307, b"", [("Location", "/elsewhere" + self.path)])
        if scenario == "malformed":
            return self.send(200, b'{"cache": {"capacity": 1000, "size": ')
        body = body_for(method, path, query, scenario)
        if body is None:
            return self.send(404, {"detail": "Not Found"})
        if scenario == "wrongtype":
            WRONG[path](body)
        if scenario == "missing":
            MISSING[path](body)
        if scenario == "extra":
            body = with_extra(body)
        self.send(200, body)

    def do_GET(self):
        self.handle_any("GET")

    def do_DELETE(self):
        self.handle_any("DELETE")

    def do_POST(self):
        self.handle_any("POST")


def main():
    # A child of a test process may inherit a signal mask that blocks SIGTERM.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenario", default="full")
    parser.add_argument("--log", required=True)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.scenario = args.scenario
    server.log = args.log
    if args.scenario == "empty":
        STATE["cache"].update(size=0, hits=0, misses=0)
    open(args.log, "w").close()
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
