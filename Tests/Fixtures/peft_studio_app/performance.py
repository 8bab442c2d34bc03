"""PEFT Studio's in-process performance layer, as the fixture app carries it.

Three collectors, each shaped like the real backend's:

- ``PerformanceMonitor``: fed by the timing middleware with every request,
  the performance API's own calls included. ``endpoint_stats`` keeps every
  duration per raw ``"METHOD /path"`` (unbounded, as the original), so that
  ``avg_time * request_count`` is the exact sum of handler times.
- ``QueryOptimizer``: fed by SQLAlchemy's cursor listeners with every
  statement; keeps the slow ones (``duration > slow_query_threshold``), the
  last 100 of them.
- ``RequestCache``: an LRU with a TTL and hit/miss counts.

Every count is cumulative since the process started.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, defaultdict
from datetime import datetime
from typing import Any


class PerformanceMonitor:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.request_times: list[float] = []
        self.endpoint_stats: dict[str, list[float]] = defaultdict(list)
        self.total_requests = 0
        self.error_count = 0
        self.start_time = time.time()

    def record_request(self, endpoint: str, duration: float, status_code: int) -> None:
        with self._lock:
            self.request_times.append(duration)
            self.endpoint_stats[endpoint].append(duration)
            self.total_requests += 1
            if status_code >= 400:
                self.error_count += 1

    def get_stats(self) -> dict[str, Any]:
        with self._lock:
            if not self.request_times:
                # The real service's empty variant: no error_count, and
                # requests_per_second instead.
                return {"total_requests": 0, "avg_response_time": 0, "requests_per_second": 0}
            times = list(self.request_times)
            return {
                "total_requests": self.total_requests,
                "avg_response_time": sum(times) / len(times),
                "max_response_time": max(times),
                "min_response_time": min(times),
                "error_rate": self.error_count / self.total_requests if self.total_requests > 0 else 0,
                "error_count": self.error_count,
            }

    def get_slowest_endpoints(self, limit: int = 20) -> list[dict[str, Any]]:
        with self._lock:
            averages = [
                {"endpoint": endpoint, "avg_time": sum(times) / len(times), "request_count": len(times)}
                for endpoint, times in self.endpoint_stats.items()
                if times
            ]
        return sorted(averages, key=lambda entry: entry["avg_time"], reverse=True)[:limit]


class QueryOptimizer:
    def __init__(self, slow_query_threshold: float = 0.1) -> None:
        self._lock = threading.Lock()
        self.query_times: list[float] = []
        self.slow_queries: list[dict[str, Any]] = []
        self.slow_query_threshold = slow_query_threshold

    def record_query(self, statement: str, parameters: Any, duration: float) -> None:
        with self._lock:
            self.query_times.append(duration)
            if duration > self.slow_query_threshold:
                self.slow_queries.append(
                    {
                        "statement": statement,
                        "parameters": parameters,
                        "time": duration,
                        "timestamp": datetime.now().isoformat(),
                    }
                )
                if len(self.slow_queries) > 100:
                    self.slow_queries = self.slow_queries[-100:]

    def get_stats(self) -> dict[str, Any]:
        with self._lock:
            if not self.query_times:
                return {"total_queries": 0, "avg_time": 0, "max_time": 0, "min_time": 0, "slow_queries": 0}
            times = list(self.query_times)
            return {
                "total_queries": len(times),
                "avg_time": sum(times) / len(times),
                "max_time": max(times),
                "min_time": min(times),
                "slow_queries": len(self.slow_queries),
            }

    def get_slow_queries(self, limit: int = 10) -> list[dict[str, Any]]:
        with self._lock:
            return list(self.slow_queries[-limit:]) if limit > 0 else []


class RequestCache:
    def __init__(self, capacity: int = 1000, ttl_seconds: float = 300.0) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self.capacity = capacity
        self.ttl_seconds = ttl_seconds
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> Any | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or time.time() - entry[0] > self.ttl_seconds:
                if entry is not None:
                    del self._entries[key]
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry[1]

    def set(self, key: str, value: Any) -> None:
        with self._lock:
            self._entries[key] = (time.time(), value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)

    def invalidate(self, prefix: str) -> None:
        with self._lock:
            for key in [k for k in self._entries if k.startswith(prefix)]:
                del self._entries[key]

    def clear(self) -> None:
        """Drops every entry; the hit and miss counts stay (they are cumulative)."""
        with self._lock:
            self._entries.clear()

    def get_stats(self) -> dict[str, Any]:
        with self._lock:
            lookups = self.hits + self.misses
            size = len(self._entries)
            return {
                "capacity": self.capacity,
                "size": size,
                "hits": self.hits,
                "misses": self.misses,
                "hit_rate": self.hits / lookups if lookups > 0 else 0,
                "utilization": size / self.capacity if self.capacity > 0 else 0,
            }
