"""The transaction a report is written in: SQLAlchemy's session, or, for an anonymous report on PostgreSQL,
the pool's psycopg connection driven directly.

A viral case's reports are almost all anonymous (no email: no supporter to find, no subscription to add), and
each is one statement (the insert with the case's exact total beside it) and the commit. Through the session
that transaction cost twice the CPU of the bare insert, the session's bookkeeping rather than the SQL
(docs/architecture.md, "the report path"). So an anonymous report on PostgreSQL runs the same Core statements,
compiled by SQLAlchemy for the engine's dialect once per process, on a connection checked out of the engine's
pool for the one transaction: the pool still opens, resets, invalidates and disposes of it. Errors come out as
SQLAlchemy's own (``IntegrityError``, ``OperationalError``), so callers handle both kinds alike. A report with
an email, and every report on SQLite, goes through the session.

Those connections come from a pool of their own (the ``reports`` bind), whose sessions plan a prepared statement
once: PostgreSQL otherwise re-plans the report's statement on every execution (its plan cache keeps choosing a
custom plan for a range given as a parameter), and planning cost more than running it. The report's few
statements are fixed and read through the position index whatever the values; the rest of the app keeps
PostgreSQL's default, where a plan fitted to the values matters (a hot case against a small one).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple, Protocol

import psycopg
from flask import Flask
from psycopg.pq import ExecStatus
from sqlalchemy import Executable
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.compiler import Compiled

from campaign.actions.contributions import is_postgresql
from campaign.actions.repeats import forget_recorded_repeats, keep_recorded_repeats
from campaign.extensions import db

#: The bind of the report path's connections (see the module's docstring).
REPORTS_BIND = "reports"
#: How the report path's connections plan: a prepared statement's generic plan, made once per connection.
REPORT_PLANNING = "-c plan_cache_mode=force_generic_plan"


def configure_reports_bind(app: Flask) -> None:
    """Give the report path its own engine on a PostgreSQL database (before ``db.init_app``); the same URL and
    engine options as the app's, its connections planning prepared statements once."""
    uri = str(app.config.get("SQLALCHEMY_DATABASE_URI") or "")
    if not uri.startswith("postgresql"):
        return
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    connect_args = dict(options.pop("connect_args", {}))
    connect_args["options"] = " ".join(filter(None, (connect_args.get("options"), REPORT_PLANNING)))
    binds = dict(app.config.get("SQLALCHEMY_BINDS") or {})
    binds[REPORTS_BIND] = {**options, "url": uri, "connect_args": connect_args}
    app.config["SQLALCHEMY_BINDS"] = binds


class ReportTransaction(Protocol):
    def execute(self, statement: Executable, parameters: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
        """Run one Core statement; its rows, if it returns any."""

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


class SessionTransaction:
    """The report in SQLAlchemy's session, beside whatever else the request added (a supporter, a subscription)."""

    def execute(self, statement: Executable, parameters: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
        result = db.session.connection().execute(statement, parameters)
        return result.all() if result.returns_rows else []

    def commit(self) -> None:
        db.session.commit()

    def rollback(self) -> None:
        db.session.rollback()


class _Expansion(NamedTuple):
    """A compiled statement's SQL for one length of each expanding parameter (an ``IN`` list)."""

    sql: str
    #: The values SQLAlchemy made parameters of (a literal in ``coalesce(…, 0)``), processed once.
    fixed: dict[str, Any]
    #: The names each expanding parameter's values go under.
    expanded_names: dict[str, list[str]]
    #: The bind processors of the values a call gives, by the name they go under.
    processors: dict[str, Any]


class _CompiledStatement:
    """A statement compiled for one dialect, with the bind processors of its parameters (JSONB, enums, …).

    Its SQL is expanded once per length of its ``IN`` lists, not on every call: SQLAlchemy's expansion
    processes every parameter again, and this runs on every report.
    """

    def __init__(self, statement: Executable, engine: Engine, parameter_names: tuple[str, ...]) -> None:
        self.compiled: Compiled = statement.compile(dialect=engine.dialect, column_keys=list(parameter_names))
        if self.compiled.insert_prefetch or self.compiled.update_prefetch:
            missing = [column.name for column in (*self.compiled.insert_prefetch, *self.compiled.update_prefetch)]
            raise ValueError(f"a direct transaction runs no Python-side defaults: give {', '.join(missing)}")
        self.processors = {
            name: processor
            for name, bind in self.compiled.binds.items()
            if (processor := bind.type.dialect_impl(engine.dialect).bind_processor(engine.dialect)) is not None
        }
        self.expanding = tuple(name for name, bind in self.compiled.binds.items() if bind.expanding)
        self.expansions: dict[tuple[int, ...], _Expansion] = {}

    def sql_and_parameters(self, parameters: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        lengths = tuple(len(parameters[name]) for name in self.expanding)
        expansion = self.expansions.get(lengths)
        if expansion is None:
            expansion = self.expansions[lengths] = self._expand(parameters)
        values = dict(expansion.fixed)
        for name, value in parameters.items():
            if name in expansion.expanded_names:
                values.update(zip(expansion.expanded_names[name], value, strict=True))
            else:
                values[name] = value
        for name, processor in expansion.processors.items():
            if values[name] is not None:
                values[name] = processor(values[name])
        return expansion.sql, values

    def _expand(self, parameters: Mapping[str, Any]) -> _Expansion:
        state = self.compiled.construct_expanded_state(dict(parameters))
        processors = {**self.processors, **state.processors}
        given = set(parameters).union(*state.parameter_expansion.values())
        fixed = {}
        for name, value in state.parameters.items():
            if name not in given:
                processor = processors.get(name)
                fixed[name] = processor(value) if processor is not None and value is not None else value
        return _Expansion(
            sql=state.statement,
            fixed=fixed,
            expanded_names=dict(state.parameter_expansion),
            processors={name: processors[name] for name in state.parameters if name in given and name in processors},
        )


#: Statements built once per process (module constants, ``totals._STATEMENTS``) are compiled once here; the
#: rare one built per call (a read under a storm of rollups) is dropped again once this many are kept.
COMPILED_KEPT = 64
_COMPILED: dict[tuple[Executable, tuple[str, ...]], _CompiledStatement] = {}


class DirectTransaction:
    """One transaction on a connection of the engine's pool, no session around it (see the module's docstring).

    ``writes_once``: the report is written by a single statement, so each statement runs as its own transaction
    (psycopg's autocommit) and the commit costs no round trip of its own: the statement returns once committed.
    A read after it (the total, when the watermark moved) then sees the report as committed.
    """

    def __init__(self, engine: Engine, *, writes_once: bool = False) -> None:
        self.engine = engine
        self.pooled = engine.raw_connection()
        self.connection: psycopg.Connection = self.pooled.driver_connection
        if self.connection.autocommit != writes_once:
            self.connection.autocommit = writes_once

    def execute(self, statement: Executable, parameters: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
        key = (statement, tuple(parameters))
        compiled = _COMPILED.get(key)
        if compiled is None:
            compiled = _COMPILED[key] = _CompiledStatement(statement, self.engine, key[1])
            if len(_COMPILED) > COMPILED_KEPT:
                del _COMPILED[next(iter(_COMPILED))]
        sql, values = compiled.sql_and_parameters(parameters)
        try:
            cursor = self.connection.execute(sql, values)
            rows = cursor.fetchall() if cursor.pgresult.status == ExecStatus.TUPLES_OK else []
        except psycopg.Error as error:
            raise self._failed(error, sql, values) from error
        if self.connection.autocommit:
            keep_recorded_repeats()
        return rows

    def commit(self) -> None:
        if not self.connection.autocommit:
            try:
                self.connection.commit()
            except psycopg.Error as error:
                raise self._failed(error, "COMMIT", {}) from error
            keep_recorded_repeats()
        self._check_in()

    def rollback(self) -> None:
        if self.pooled is None:
            return
        try:
            self.connection.rollback()
        except psycopg.Error:
            self.pooled.invalidate()
        forget_recorded_repeats()
        self._check_in()

    def _failed(self, error: psycopg.Error, sql: str, values: dict) -> DBAPIError:
        """The error as SQLAlchemy raises it; a connection the server dropped is invalidated, not returned."""
        broken = self.connection.broken or self.connection.closed
        if broken:
            self.pooled.invalidate()
            forget_recorded_repeats()
            self._check_in()
        return DBAPIError.instance(
            sql, values, error, psycopg.Error, hide_parameters=True, connection_invalidated=broken
        )

    def _check_in(self) -> None:
        if self.pooled is not None:
            self.pooled.close()
            self.pooled = None


def report_transaction(*, needs_session: bool, writes_once: bool = False) -> ReportTransaction:
    """The session's transaction when the report adds to the session (a supporter) or the database is not
    PostgreSQL; otherwise a direct one (``writes_once``: see ``DirectTransaction``)."""
    if needs_session or not is_postgresql():
        return SessionTransaction()
    return DirectTransaction(db.engines[REPORTS_BIND], writes_once=writes_once)
