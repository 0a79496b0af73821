"""The Urgent Action tracker: a Flask app built by ``create_app``."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy.orm import configure_mappers
from werkzeug.middleware.proxy_fix import ProxyFix

from config import Config, ConfigurationError

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: type[Config] | None = None) -> Flask:
    """Build the app: bind extensions, register blueprints, check the configuration."""
    from campaign import cli, errors, extensions, labels, languages, mail, models, security, templating  # noqa: F401 (models: the schema)
    from campaign.accounts.api import blueprint as console_api_blueprint
    from campaign.accounts.console_views import blueprint as accounts_console_blueprint
    from campaign.accounts.security import init_security, init_sessions
    from campaign.actions import change_stamps, repeats
    from campaign.actions.console_views import blueprint as actions_console_blueprint
    from campaign.actions.report_transactions import configure_reports_bind
    from campaign.actions.views import blueprint as actions_blueprint
    from campaign.api.views import blueprint as api_blueprint
    from campaign.audit.console_views import blueprint as audit_console_blueprint
    from campaign.cases import console_views as _cases_console_views  # noqa: F401  (import pages on the console blueprint)
    from campaign.cases.translation_views import blueprint as case_translations_blueprint
    from campaign.cases.views import blueprint as cases_blueprint
    from campaign.cases.workspace_views import blueprint as case_workspace_blueprint
    from campaign.console.views import blueprint as console_blueprint
    from campaign.figures.console_views import blueprint as figures_console_blueprint
    from campaign.figures.views import blueprint as figures_blueprint
    from campaign.reminders import notices
    from campaign.reminders.console_views import blueprint as reminders_console_blueprint
    from campaign.supporters.console_views import blueprint as supporters_console_blueprint
    from campaign.supporters.views import blueprint as supporters_blueprint
    from campaign.tasks import celery_init_app

    config = config or Config.from_environment()
    app = Flask(
        __name__,
        instance_path=str(config.INSTANCE_PATH),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.from_object(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if app.config["PROXY_COUNT"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_COUNT"], x_proto=app.config["PROXY_COUNT"])

    configure_reports_bind(app)
    extensions.db.init_app(app)
    extensions.migrate.init_app(
        app, extensions.db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True, compare_type=True
    )
    extensions.csrf.init_app(app)
    extensions.babel.init_app(app, locale_selector=languages.select_locale)
    languages.init_app(app)
    extensions.limiter.init_app(app)
    init_sessions(app)
    init_security(app)
    celery_init_app(app)
    mail.init_app(app)
    change_stamps.init_app(app)
    repeats.init_app(app)
    notices.init_app(app)

    app.register_blueprint(cases_blueprint)
    app.register_blueprint(actions_blueprint)
    app.register_blueprint(api_blueprint)
    app.register_blueprint(supporters_blueprint)
    app.register_blueprint(reminders_console_blueprint)
    app.register_blueprint(supporters_console_blueprint)
    app.register_blueprint(figures_blueprint)
    app.register_blueprint(figures_console_blueprint)
    app.register_blueprint(console_blueprint)
    app.register_blueprint(case_translations_blueprint)
    app.register_blueprint(case_workspace_blueprint)
    app.register_blueprint(actions_console_blueprint)
    app.register_blueprint(audit_console_blueprint)
    app.register_blueprint(accounts_console_blueprint)
    app.register_blueprint(console_api_blueprint)

    templating.init_app(app)
    labels.init_app(app)
    errors.register_error_handlers(app)
    app.after_request(security.add_security_headers)
    security.install_log_scrubbing(app)
    cli.register_commands(app)
    _check_configuration(app)
    configure_mappers()
    return app


def _check_configuration(app: Flask) -> None:
    if not app.config.get("SECRET_KEY"):
        raise ConfigurationError("SECRET_KEY is empty: sessions and CSRF tokens cannot be signed.")
