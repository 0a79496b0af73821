"""Extensions, created unbound; ``create_app`` binds them."""

from __future__ import annotations

from flask_babel import Babel
from flask_limiter import Limiter
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from campaign.database import Base
from campaign.security import hashed_client_address

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(hashed_client_address, default_limits=[])


def dispose_engines() -> None:
    """Close the pooled connections of every engine of the current app: the session's and the report path's."""
    for engine in db.engines.values():
        engine.dispose()
