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
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import psycopg
from sqlalchemy import Executable
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.compiler import Compiled

from campaign.actions.contributions import is_postgresql
from campaign.actions.repeats import forget_recorded_repeats, keep_recorded_repeats
from campaign.extensions import db


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


class _CompiledStatement:
    """A statement compiled for one dialect, with the bind processors of its parameters (JSONB, enums, …)."""

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

    def sql_and_parameters(self, parameters: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        state = self.compiled.construct_expanded_state(dict(parameters))
        values = state.parameters
        for name, processor in (*self.processors.items(), *state.processors.items()):
            if name in values and values[name] is not None:
                values[name] = processor(values[name])
        return state.statement, values


#: Statements built once per process (module constants, ``totals._STATEMENTS``) are compiled once here; the
#: rare one built per call (a read under a storm of rollups) is dropped again once this many are kept.
COMPILED_KEPT = 64
_COMPILED: dict[tuple[Executable, tuple[str, ...]], _CompiledStatement] = {}


class DirectTransaction:
    """One transaction on a connection of the engine's pool, no session around it (see the module's docstring)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.pooled = engine.raw_connection()
        self.connection: psycopg.Connection = self.pooled.driver_connection

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
            return cursor.fetchall() if cursor.description is not None else []
        except psycopg.Error as error:
            raise self._failed(error, sql, values) from error

    def commit(self) -> None:
        try:
            self.connection.commit()
        except psycopg.Error as error:
            raise self._failed(error, "COMMIT", {}) from error
        keep_recorded_repeats(db.session)
        self._check_in()

    def rollback(self) -> None:
        if self.pooled is None:
            return
        try:
            self.connection.rollback()
        except psycopg.Error:
            self.pooled.invalidate()
        forget_recorded_repeats(db.session)
        self._check_in()

    def _failed(self, error: psycopg.Error, sql: str, values: dict) -> DBAPIError:
        """The error as SQLAlchemy raises it; a connection the server dropped is invalidated, not returned."""
        broken = self.connection.broken or self.connection.closed
        if broken:
            self.pooled.invalidate()
            forget_recorded_repeats(db.session)
            self._check_in()
        return DBAPIError.instance(
            sql, values, error, psycopg.Error, hide_parameters=True, connection_invalidated=broken
        )

    def _check_in(self) -> None:
        if self.pooled is not None:
            self.pooled.close()
            self.pooled = None


def report_transaction(*, needs_session: bool) -> ReportTransaction:
    """The session's transaction when the report adds to the session (a supporter) or the database is not
    PostgreSQL; otherwise a direct one."""
    if needs_session or not is_postgresql():
        return SessionTransaction()
    return DirectTransaction(db.engine)
