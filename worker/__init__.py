"""The Celery app: ``celery -A worker worker`` and ``celery -A worker beat``."""

from wsgi import app as flask_app

celery = flask_app.extensions["celery"]
celery.conf.beat_schedule = {}
