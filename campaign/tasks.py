"""Celery bound to the Flask app, in Flask's documented pattern (``docs/patterns/celery.rst``), and the helpers
every feature's tasks share."""

from __future__ import annotations

from celery import Celery, Task
from flask import Flask, current_app


def celery_init_app(app: Flask) -> Celery:
    """Create the Celery app whose tasks run inside the Flask app context."""

    class FlaskTask(Task):
        def __call__(self, *args: object, **kwargs: object) -> object:
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = Celery(app.name, task_cls=FlaskTask)
    celery_app.config_from_object(app.config["CELERY"])
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app


def app_task(name: str) -> Task:
    """The task as this Flask app's Celery app has it, so that it runs against this app's settings.

    A shared task's proxy follows Celery's *current* app instead, which in a process holding
    several apps (as the test suite does) may be another one.
    """
    return current_app.extensions["celery"].tasks[name]
