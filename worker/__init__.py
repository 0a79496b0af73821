"""The Celery app: ``celery -A worker worker`` and ``celery -A worker beat``.

Tasks live in the features that own them (``campaign/<feature>/tasks.py``) as ``@shared_task``;
this module only builds the app and holds the beat schedule.
"""

from wsgi import app as flask_app

celery = flask_app.extensions["celery"]
celery.conf.beat_schedule = {}
