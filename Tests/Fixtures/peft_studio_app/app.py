"""A small FastAPI app shaped like PEFT Studio's backend, for peft-perf's
end-to-end tests: training-run routes on SQLAlchemy + SQLite, a timing
middleware, a request cache, and the 8 ``/api/performance/*`` endpoints.

Run it with ``serve.py`` (which prints the port it bound).
"""

from __future__ import annotations

import functools
import os
import secrets
import time
from datetime import datetime
from typing import Any

import psutil
from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import select, text

from database import TrainingRun, make_engine
from performance import PerformanceMonitor, QueryOptimizer, RequestCache


class RunCreate(BaseModel):
    model_name: str
    dataset_path: str
    provider: str = "local"
    algorithm: str = "lora"
    learning_rate: float = 0.0002
    num_epochs: int = 3
    batch_size: int = 8
    lora_r: int = 16
    lora_alpha: int = 32
    lora_dropout: float = 0.05


def new_job_id() -> str:
    """PEFT Studio's id format: ``job_20250101_102858_e4675d``."""
    return f"job_{datetime.now():%Y%m%d_%H%M%S}_{secrets.token_hex(3)}"


def create_app(database_path: str, slow_query_seconds: float = 0.1, seed_rows: int = 0) -> FastAPI:
    monitor = PerformanceMonitor()
    optimizer = QueryOptimizer(slow_query_threshold=slow_query_seconds)
    cache = RequestCache(capacity=1000)
    engine, Session = make_engine(database_path, optimizer)
    # Test hook: makes the next /api/performance/* call fail with a 500.
    failures = {"next": False}

    if seed_rows > 0:
        with Session() as session:
            existing = session.scalar(text("SELECT count(*) FROM training_runs")) or 0
            for i in range(existing, seed_rows):
                session.add(
                    TrainingRun(
                        job_id=f"job_20250101_{100000 + i:06d}_{i:06x}",
                        status=("running", "paused", "failed", "completed", "completed")[i % 5],
                        provider=("local", "runpod", "lambda")[i % 3],
                        started_at=datetime(2025, 1, 1, 10, 0, 0),
                        model_name="meta-llama/Llama-3-8B",
                        dataset_path=f"/data/ds{i % 20}.jsonl",
                        output_dir=f"/out/run-{i}",
                        algorithm="lora",
                        learning_rate=0.0002,
                        num_epochs=3,
                        batch_size=8,
                        lora_r=16,
                        lora_alpha=32,
                        lora_dropout=0.05,
                        current_epoch=0,
                        current_step=0,
                        total_steps=900,
                        config_json="{}",
                    )
                )
            session.commit()

    app = FastAPI(title="PEFT Studio (peft-perf fixture)")
    app.state.monitor = monitor
    app.state.optimizer = optimizer
    app.state.cache = cache

    def get_session():
        with Session() as session:
            yield session

    @app.middleware("http")
    async def performance_middleware(request: Request, call_next):
        start = time.perf_counter()
        response = await call_next(request)
        duration = time.perf_counter() - start
        monitor.record_request(f"{request.method} {request.url.path}", duration, response.status_code)
        response.headers["X-Response-Time"] = f"{duration:.3f}s"
        return response

    # ---- PEFT Studio's routes -------------------------------------------

    @app.get("/api/runs")
    def list_runs(status: str | None = None, limit: int = 50, offset: int = 0, session=Depends(get_session)):
        query = select(TrainingRun)
        if status:
            query = query.where(TrainingRun.status == status)
        query = query.order_by(TrainingRun.started_at.desc()).limit(limit).offset(offset)
        return {"runs": [run.to_dict() for run in session.scalars(query)]}

    @app.get("/api/runs/active")
    def active_runs(session=Depends(get_session)):
        query = (
            select(TrainingRun)
            .where(TrainingRun.status.in_(["running", "paused"]))
            .order_by(TrainingRun.started_at.desc())
        )
        return {"runs": [run.to_dict() for run in session.scalars(query)]}

    @app.get("/api/runs/{job_id}")
    def get_run(job_id: str, session=Depends(get_session)):
        key = f"run:{job_id}"
        cached = cache.get(key)
        if cached is not None:
            return cached
        run = session.scalars(select(TrainingRun).where(TrainingRun.job_id == job_id).limit(1)).first()
        if run is None:
            raise HTTPException(status_code=404, detail=f"Training run {job_id} not found")
        body = run.to_dict()
        cache.set(key, body)
        return body

    @app.post("/api/runs", status_code=201)
    def create_run(payload: RunCreate, session=Depends(get_session)):
        job_id = new_job_id()
        run = TrainingRun(
            job_id=job_id,
            status="running",
            started_at=datetime.now(),
            output_dir=f"/out/{job_id}",
            current_epoch=0,
            current_step=0,
            total_steps=payload.num_epochs * 300,
            config_json=payload.model_dump_json(),
            **payload.model_dump(),
        )
        session.add(run)
        session.commit()
        return run.to_dict()

    @app.delete("/api/runs/{job_id}")
    def delete_run(job_id: str, session=Depends(get_session)):
        run = session.scalars(select(TrainingRun).where(TrainingRun.job_id == job_id).limit(1)).first()
        if run is None:
            raise HTTPException(status_code=404, detail=f"Training run {job_id} not found")
        session.delete(run)
        session.commit()
        cache.invalidate(f"run:{job_id}")
        return {"message": f"Training run {job_id} deleted"}

    @app.get("/api/models/{model_id:path}")
    def get_model(model_id: str):
        key = f"model:{model_id}"
        cached = cache.get(key)
        if cached is not None:
            return cached
        if "/" not in model_id:
            raise HTTPException(status_code=404, detail=f"Model {model_id} not found")
        organization, name = model_id.split("/", 1)
        body = {"model_id": model_id, "author": organization, "name": name, "pipeline_tag": "text-generation"}
        cache.set(key, body)
        return body

    # ---- test hooks (not in PEFT Studio) ---------------------------------

    @app.get("/api/fixture/slow-query")
    def slow_query(seconds: float = 0.2, session=Depends(get_session)):
        """Runs one statement that takes ``seconds``: a slow query on demand."""
        count = session.scalar(
            text("SELECT (SELECT count(*) FROM training_runs) + fixture_sleep(:seconds) AS rows"),
            {"seconds": seconds},
        )
        return {"rows": count, "seconds": seconds}

    @app.post("/api/fixture/fail-next")
    def fail_next():
        failures["next"] = True
        return {"message": "the next /api/performance call fails"}

    # ---- the performance API, as PEFT Studio serves it -------------------

    def check_failure() -> None:
        if failures["next"]:
            failures["next"] = False
            raise RuntimeError("fixture: forced failure of the performance API")

    def system_stats() -> dict[str, Any]:
        memory = psutil.virtual_memory()
        disk = psutil.disk_usage(os.path.dirname(os.path.abspath(database_path)) or "/")
        return {
            "cpu_percent": psutil.cpu_percent(interval=None),
            "memory_percent": memory.percent,
            "memory_used_mb": memory.used / (1024 * 1024),
            "memory_available_mb": memory.available / (1024 * 1024),
            "disk_percent": disk.percent,
            "disk_used_gb": disk.used / (1024**3),
            "disk_free_gb": disk.free / (1024**3),
        }

    def failing(handler):
        """Any failure is a 500 with ``{"detail": ...}``, as the original."""

        @functools.wraps(handler)
        def wrapped(*args, **kwargs):
            try:
                check_failure()
                return handler(*args, **kwargs)
            except HTTPException:
                raise
            except Exception as error:  # noqa: BLE001 - the original's catch-all
                raise HTTPException(status_code=500, detail=str(error)) from error

        return wrapped

    @app.get("/api/performance/metrics")
    @failing
    def performance_metrics():
        return {
            "cache": cache.get_stats(),
            "database": optimizer.get_stats(),
            "requests": monitor.get_stats(),
            "system": system_stats(),
            "timestamp": datetime.now().isoformat(),
        }

    @app.get("/api/performance/cache/stats")
    @failing
    def performance_cache_stats():
        return cache.get_stats()

    @app.delete("/api/performance/cache/clear")
    @failing
    def performance_cache_clear():
        cache.clear()
        return {"message": "Cache cleared successfully"}

    @app.get("/api/performance/database/stats")
    @failing
    def performance_database_stats():
        return optimizer.get_stats()

    @app.get("/api/performance/database/slow-queries")
    def performance_slow_queries(limit: int = 10):
        try:
            check_failure()
            slow = optimizer.get_slow_queries(limit)
            return {"slow_queries": slow, "count": len(slow)}
        except Exception as error:  # noqa: BLE001
            raise HTTPException(status_code=500, detail=str(error)) from error

    @app.get("/api/performance/endpoints")
    @failing
    def performance_endpoints():
        return {"slowest_endpoints": monitor.get_slowest_endpoints(limit=20)}

    @app.get("/api/performance/system")
    @failing
    def performance_system():
        return system_stats()

    @app.get("/api/performance/recommendations")
    @failing
    def performance_recommendations():
        recommendations = []
        requests = monitor.get_stats()
        if requests.get("avg_response_time", 0) > 1.0:
            recommendations.append("Average response time is high. Consider optimizing slow endpoints.")
        if requests.get("error_rate", 0) > 0.05:
            recommendations.append(
                f"Error rate is {requests['error_rate'] * 100:.1f}%. Investigate failing requests."
            )
        if cache.get_stats()["hit_rate"] < 0.5:
            recommendations.append("Cache hit rate is low. Consider adjusting cache strategy.")
        if optimizer.get_stats()["slow_queries"] > 10:
            recommendations.append("Multiple slow queries detected. Consider adding database indexes.")
        system = system_stats()
        if system["cpu_percent"] > 80:
            recommendations.append("High CPU usage detected. Consider scaling resources.")
        if system["memory_percent"] > 80:
            recommendations.append("High memory usage detected. Consider increasing available memory.")
        if system["disk_percent"] > 90:
            recommendations.append("Disk space is running low. Consider cleaning up old files.")
        return {"recommendations": recommendations, "count": len(recommendations)}

    @app.exception_handler(HTTPException)
    async def http_exception_handler(_request: Request, error: HTTPException):
        return JSONResponse(status_code=error.status_code, content={"detail": error.detail})

    return app
