"""Public figures for officials (page, PDF, CSV) and the verification of issued snapshots."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _

from campaign.cases.models import Case, Target, TargetRole
from campaign.cases.queries import public_case_by_slug
from campaign.extensions import limiter
from campaign.figures import queries
from campaign.figures.rendering import (
    SnapshotStamp,
    render_csv,
    render_figures_template,
    render_pdf,
    template_helpers,
    verification_url,
)
from campaign.languages import shipped_language

blueprint = Blueprint("figures", __name__)

MAX_TARGET_ID_DIGITS = 12


@blueprint.record_once
def _install_template_helpers(state) -> None:
    state.app.jinja_env.globals.update(template_helpers())


def _read_limit() -> str:
    return current_app.config["RATELIMIT_READS"]


def _pdf_limit() -> str:
    """Rendering a PDF costs a fraction of a second of CPU, so one address gets fewer of them."""
    return current_app.config.get("RATELIMIT_FIGURES_PDF", "20 per minute")


class BadFiguresRequest(ValueError):
    """A query parameter of a figures address is not one we can answer; the message says why."""


@dataclass(frozen=True)
class FiguresRequest:
    case: Case
    target: Target | None
    language: str


def _parse_figures_request(slug: str) -> FiguresRequest:
    """The case, the official (``?target=<id>``) and the language (``?lang=``) a figures address asks for."""
    case = public_case_by_slug(slug)
    if case is None:
        abort(404)
    target = None
    raw_target = request.args.get("target", "")
    if raw_target:
        if not (raw_target.isascii() and raw_target.isdigit() and len(raw_target) <= MAX_TARGET_ID_DIGITS):
            raise BadFiguresRequest(_("The official must be given by the number of one of the case's officials."))
        target = queries.case_target(case, int(raw_target))
        if target is None:
            raise BadFiguresRequest(_("This case has no official with that number."))
    languages = queries.figures_languages()
    raw_language = request.args.get("lang", "")
    if raw_language:
        if shipped_language(raw_language) not in languages:
            raise BadFiguresRequest(
                _("The figures are available in these languages: %(languages)s.", languages=", ".join(languages))
            )
        language = shipped_language(raw_language)
    elif target is not None:
        language = queries.preferred_figures_language(case, target)
    else:
        language = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    return FiguresRequest(case=case, target=target, language=language)


@blueprint.errorhandler(BadFiguresRequest)
def _bad_figures_request(error: BadFiguresRequest):
    return render_template("errors/error.html", status=400, message=str(error)), 400


def _download_name(figures: FiguresRequest, extension: str) -> str:
    target_part = f"-official-{figures.target.id}" if figures.target else ""
    return f"figures-{figures.case.slug}{target_part}-{figures.language}.{extension}"


@blueprint.get("/cases/<slug>/figures")
@limiter.limit(_read_limit)
def case_figures(slug: str):
    """The live figures of a case, or of one official of it, in the language asked for."""
    figures = _parse_figures_request(slug)
    document = queries.figures_document(figures.case, figures.target, figures.language)
    officials = [link.target for link in figures.case.target_links if link.role == TargetRole.TARGET]
    return render_figures_template(
        "figures/page.html",
        document,
        figures.language,
        case=figures.case,
        target_id=figures.target.id if figures.target else None,
        language=figures.language,
        languages=queries.figures_languages(),
        officials=officials,
        latest=queries.latest_snapshot(figures.case.id, figures.target.id if figures.target else None),
    )


@blueprint.get("/cases/<slug>/figures.pdf")
@limiter.limit(_read_limit)
@limiter.limit(_pdf_limit)
def case_figures_pdf(slug: str):
    """The live figures as a one-page PDF."""
    figures = _parse_figures_request(slug)
    document = queries.figures_document(figures.case, figures.target, figures.language)
    response = Response(render_pdf(document, None), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{_download_name(figures, "pdf")}"'
    return response


@blueprint.get("/cases/<slug>/figures.csv")
@limiter.limit(_read_limit)
def case_figures_csv(slug: str):
    """The live figures as CSV, every text cell escaped against formula injection."""
    figures = _parse_figures_request(slug)
    document = queries.figures_document(figures.case, figures.target, figures.language)
    response = Response(render_csv(document, None), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{_download_name(figures, "csv")}"'
    return response


def _snapshot_or_404(sha256: str):
    snapshot = queries.snapshot_by_sha256(sha256)
    if snapshot is None:
        abort(404)
    return snapshot


@blueprint.get("/figures/verify/<sha256>")
@limiter.limit(_read_limit)
def verify(sha256: str):
    """Confirm that a snapshot with this hash was issued, when, and with which figures."""
    snapshot = _snapshot_or_404(sha256)
    document = queries.snapshot_document(snapshot)
    stamp = SnapshotStamp(sha256=snapshot.sha256, verify_url=verification_url(snapshot.sha256, request.host_url))
    language = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    return render_figures_template(
        "figures/verify.html",
        document,
        language,
        snapshot=snapshot,
        stamp=stamp,
        deliveries=snapshot.deliveries,
    )


@blueprint.get("/figures/verify/<sha256>.pdf")
@limiter.limit(_read_limit)
def verify_pdf(sha256: str):
    """The PDF of a snapshot, byte for byte as issued."""
    snapshot = _snapshot_or_404(sha256)
    response = Response(snapshot.pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="figures-{snapshot.sha256[:16]}.pdf"'
    return response


@blueprint.get("/figures/verify/<sha256>.csv")
@limiter.limit(_read_limit)
def verify_csv(sha256: str):
    """The CSV of a snapshot as issued."""
    snapshot = _snapshot_or_404(sha256)
    response = Response(snapshot.csv, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="figures-{snapshot.sha256[:16]}.csv"'
    return response


@blueprint.get("/figures/verify/<sha256>.json")
@limiter.limit(_read_limit)
def verify_json(sha256: str):
    """The canonical JSON of a snapshot: its SHA-256 is the snapshot's hash, so anyone can recompute it."""
    snapshot = _snapshot_or_404(sha256)
    return Response(snapshot.canonical_json.encode("utf-8"), mimetype="application/json")
