"""SQLAlchemy on a SQLite file: PEFT Studio's ``training_runs`` model and the
cursor listeners that time every statement."""

from __future__ import annotations

import time
from datetime import datetime

from sqlalchemy import (
    Column,
    DateTime,
    Float,
    Integer,
    String,
    Text,
    create_engine,
    event,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import declarative_base, sessionmaker

from performance import QueryOptimizer

Base = declarative_base()


class TrainingRun(Base):
    """The 24 columns of PEFT Studio's model, in its order; ``create_all()``
    emits ``ix_training_runs_job_id`` (unique), ``ix_training_runs_status``
    and ``ix_training_runs_started_at``."""

    __tablename__ = "training_runs"

    id = Column(Integer, primary_key=True)
    job_id = Column(String, unique=True, index=True, nullable=False)
    status = Column(String, index=True)
    provider = Column(String)
    started_at = Column(DateTime, index=True)
    completed_at = Column(DateTime)
    model_name = Column(String)
    dataset_path = Column(String)
    output_dir = Column(String)
    algorithm = Column(String)
    learning_rate = Column(Float)
    num_epochs = Column(Integer)
    batch_size = Column(Integer)
    lora_r = Column(Integer)
    lora_alpha = Column(Integer)
    lora_dropout = Column(Float)
    current_epoch = Column(Integer)
    current_step = Column(Integer)
    total_steps = Column(Integer)
    loss = Column(Float)
    error_message = Column(Text)
    config_json = Column(Text)
    logs = Column(Text)
    created_at = Column(DateTime, default=datetime.now)

    def to_dict(self) -> dict:
        values = {}
        for column in self.__table__.columns:
            value = getattr(self, column.name)
            values[column.name] = value.isoformat() if isinstance(value, datetime) else value
        return values


def _sleep(seconds):
    """SQLite user function ``fixture_sleep(seconds)``: lets a test make a
    statement as slow as it wants."""
    time.sleep(float(seconds or 0))
    return 0


def make_engine(path: str, optimizer: QueryOptimizer) -> tuple[Engine, sessionmaker]:
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _register_functions(dbapi_connection, _record):
        dbapi_connection.create_function("fixture_sleep", 1, _sleep)

    # The original's recipe: a start time pushed per statement on the
    # connection, popped when the cursor returns.
    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn, _cursor, _statement, _parameters, _context, _executemany):
        conn.info.setdefault("query_start_time", []).append(time.perf_counter())

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn, _cursor, statement, parameters, _context, _executemany):
        started = conn.info["query_start_time"].pop(-1)
        optimizer.record_query(statement, parameters, time.perf_counter() - started)

    Base.metadata.create_all(engine)
    return engine, sessionmaker(bind=engine, autoflush=False, expire_on_commit=False)
