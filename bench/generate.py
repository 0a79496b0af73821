"""The benchmark data set: cases, targets, millions of reports and confirmed supporters, written with COPY.

Realistic skew: one hot case holds 20 % of the reports (2 million of 10 million), two warm ones 5 %
each, the rest follow a Zipf law over a few hundred cases; about 180 countries, also Zipf-weighted;
most actions are emails, then letters and tweets; counts are mostly 1; 0.5 % of reports are held
for review. Times have a daily rhythm (quiet at night UTC, peaks at lunch and in the evening) and a
weekly one (weekends quieter); the hot and warm cases went viral in the last three weeks, the others
spread over a year. Reports are written with COPY in chunks (foreign-key triggers off for the
generator's session only, the two secondary indexes built afterwards), then the project's own
``run_rollup`` brings the totals up to date.

``python -m bench.generate DATABASE_URL REPORTS [SUPPORTERS]`` builds a set from scratch.
"""

from __future__ import annotations

import io
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from pathlib import Path

import psycopg
import pycountry
from sqlalchemy.engine import make_url

from campaign.extensions import dispose_engines

#: The benchmark's processes and this module's apps share it (password hashes are salted from it).
SECRET_KEY = "bench-secret-key-not-for-production-" + "x" * 16
HOT_SHARE = 0.20
WARM_SHARES = (0.05, 0.05)
COPY_CHUNK = 250_000
ACTION_TYPES = (("email", 45), ("letter", 20), ("tweet", 15), ("call", 8), ("fax", 5), ("other", 7))
#: Relative traffic per hour of the day (UTC), midnight first.
HOUR_WEIGHTS = (2, 1, 1, 1, 1, 2, 4, 6, 8, 9, 10, 11, 13, 12, 10, 9, 9, 10, 12, 14, 15, 12, 8, 4)
#: Relative traffic per weekday, Monday first.
WEEKDAY_WEIGHTS = (10, 10, 10, 10, 9, 6, 5)
FANOUT_SLUG = "bench-fanout"
HOT_SLUG = "bench-hot"

REPORT_COLUMNS = (
    "case_id",
    "action_type",
    "target_id",
    "count",
    "country",
    "source",
    "language",
    "review_state",
    "review_reason",
    "acted_on",
    "created_at",
)
SECONDARY_INDEXES = {
    "ix_action_report_commit_xid": "CREATE INDEX ix_action_report_commit_xid ON action_report (commit_xid, case_id)",
    "ix_action_report_held_case_id": (
        "CREATE INDEX ix_action_report_held_case_id ON action_report (case_id) WHERE review_state = 'flagged'"
    ),
}


def plain_url(url: str) -> str:
    """A SQLAlchemy URL as psycopg takes it."""
    return url.replace("postgresql+psycopg://", "postgresql://")


def recreate_database(url: str) -> None:
    """Drop and create the database a URL names (the benchmark's own, never another)."""
    parsed = make_url(url)
    name = parsed.database
    assert name and name.startswith("uat_bench"), (
        f"refusing to recreate {name!r}: benchmark databases start with uat_bench"
    )
    admin = plain_url(parsed.set(database="postgres").render_as_string(hide_password=False))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def bench_config(database_url: str, redis_url: str | None, instance_path: Path, **overrides):
    """The production configuration class, pointed at a benchmark database."""
    from config import Config, celery_settings

    return type(
        "BenchConfig",
        (Config,),
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "REDIS_URL": redis_url,
            "SECRET_KEY": SECRET_KEY,
            "INSTANCE_PATH": instance_path,
            "OUTBOX_PATH": instance_path / "outbox",
            "IS_EMBEDDED": False,
            "RATELIMIT_ENABLED": False,
            "RATELIMIT_STORAGE_URI": "memory://",
            "CELERY": celery_settings(redis_url),
            **overrides,
        },
    )


def bench_app(database_url: str, redis_url: str | None = None, instance_path: Path | None = None):
    """A Flask app of the project on a benchmark database (migrations are run by ``generate``)."""
    from campaign import create_app

    instance_path = instance_path or Path(tempfile.mkdtemp(prefix="uat-bench-instance-"))
    return create_app(bench_config(database_url, redis_url, instance_path))


@dataclass
class GeneratedSet:
    """What ``generate`` built and how long each part took."""

    database_url: str
    reports: int
    actions: int = 0
    cases: int = 0
    countries: int = 0
    supporters: int = 0
    hot_case_id: int = 0
    hot_case_slug: str = HOT_SLUG
    hot_case_reports: int = 0
    fanout_case_id: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def _zipf_weights(n: int, exponent: float) -> list[float]:
    return [1.0 / (rank**exponent) for rank in range(1, n + 1)]


def _country_codes() -> list[str]:
    codes = sorted(country.alpha_2 for country in pycountry.countries)
    popular = ["GB", "US", "DE", "FR", "NL", "CA", "AU", "ES", "IT", "BE", "CH", "SE", "KZ", "NO", "IE", "JP"]
    rest = [code for code in codes if code not in popular]
    random.Random(4).shuffle(rest)
    return (popular + rest)[:180]


def _rhythm_pool(rng: random.Random, now: datetime, days: int, size: int) -> list[str]:
    """``acted_on<TAB>created_at`` strings over ``days`` days up to ``now``, oldest first, with daily and weekly rhythms."""
    first = (now - timedelta(days=days)).replace(minute=0, second=0, microsecond=0)
    hours = [first + timedelta(hours=n) for n in range(days * 24)]
    weights = [WEEKDAY_WEIGHTS[hour.weekday()] * HOUR_WEIGHTS[hour.hour] for hour in hours]
    picks = sorted(rng.choices(range(len(hours)), weights, k=size))
    pool = []
    for index in picks:
        moment = hours[index] + timedelta(seconds=rng.randrange(3600))
        if moment <= now:
            pool.append(f"{moment.date().isoformat()}\t{moment.isoformat(sep=' ')}")
    return pool


def _case_times(rng: random.Random, pool: list[str], start: int, size: int) -> list[str]:
    """Times of one case: its first week heavier, the rest of a six-week life after, cut at today."""
    week = max(1, len(pool) // 57)
    first_week = pool[start : start + week] or pool[-week:]
    life = pool[start : start + 6 * week] or first_week
    return rng.choices(first_week, k=size * 3 // 5) + rng.choices(life, k=size - size * 3 // 5)


def _report_prefixes(
    rng: random.Random, case_id: int, target_ids: list[int], countries: list[str], size: int
) -> list[str]:
    """Report rows of one case without their times: type, target, count, country, source, review state."""
    types = rng.choices([name for name, _ in ACTION_TYPES], [weight for _, weight in ACTION_TYPES], k=size)
    country_picks = rng.choices(countries, _zipf_weights(len(countries), 1.1), k=size)
    target_choices = ["\\N", str(target_ids[0]), str(target_ids[-1])]
    target_picks = rng.choices(target_choices, [50, 35, 15], k=size)
    counts = rng.choices(["1", "2", "3", "5", "10"], [95, 2, 1.5, 1, 0.5], k=size)
    sources = rng.choices(["web", "api"], [70, 30], k=size)
    prefixes = []
    for action_type, target, count, country, source in zip(
        types, target_picks, counts, country_picks, sources, strict=True
    ):
        if rng.random() < 0.005:
            state = "flagged\tthe same network address reported this case, type and target 5 times"
        else:
            state = "counted\t\\N"
        prefixes.append(f"{case_id}\t{action_type}\t{target}\t{count}\t{country}\t{source}\ten\t{state}")
    return prefixes


def _create_cases(app, case_count: int) -> tuple[list[int], dict[int, list[int]], int]:
    """Active cases with a target and a copy each, through the project's models; the first is the hot case."""
    from campaign.cases.models import Case, CaseStatus, CaseTarget, ModelLetter, Person, Target, TargetRole
    from campaign.extensions import db

    today = date.today()
    case_ids: list[int] = []
    targets: dict[int, list[int]] = {}
    with app.app_context():
        for number in range(case_count + 1):
            slug = FANOUT_SLUG if number == case_count else (HOT_SLUG if number == 0 else f"bench-case-{number}")
            case = Case(
                slug=slug,
                ua_number=f"{number}.26",
                headline=f"Benchmark case {number}: writer detained for his poems",
                story_markdown="A **writer** was detained for his poems.",
                status=CaseStatus.ACTIVE,
                deadline_on=today + timedelta(days=30 + number % 60),
                issued_on=today - timedelta(days=number % 300),
                preferred_languages=["zh", "en"],
                goal=1_000_000,
            )
            case.people = [
                Person(name=f"Person {number}", native_name="纳吉兹·穆罕默德", pronouns="he/him", position=0)
            ]
            case.letters = [ModelLetter(language="en", body="I am writing to express my concern.", position=0)]
            target = Target(
                name=f"Director {number}",
                title="Director",
                organisation="Prison Bureau",
                emails=[],
                faxes=[],
                phones=[],
            )
            copy = Target(
                name=f"Ambassador {number}", title="Ambassador", organisation="Embassy", emails=[], faxes=[], phones=[]
            )
            case.target_links = [
                CaseTarget(target=target, role=TargetRole.TARGET, position=0),
                CaseTarget(target=copy, role=TargetRole.COPY, position=1),
            ]
            db.session.add(case)
            db.session.flush()
            if number < case_count:
                case_ids.append(case.id)
            else:
                fanout_id = case.id
            targets[case.id] = [target.id, copy.id]
        db.session.commit()
    return case_ids, targets, fanout_id


def _case_shares(case_count: int) -> list[float]:
    rest = 1.0 - HOT_SHARE - sum(WARM_SHARES)
    tail = _zipf_weights(case_count - 3, 0.9)
    scale = rest / sum(tail)
    return [HOT_SHARE, *WARM_SHARES, *(weight * scale for weight in tail)]


def copy_reports(
    connection: psycopg.Connection,
    rng: random.Random,
    case_ids: list[int],
    targets: dict[int, list[int]],
    shares: list[float],
    reports: int,
    pool: list[str],
    *,
    recent: bool = False,
) -> int:
    """COPY ``reports`` interleaved report rows (the hot and warm cases viral in the last three weeks); returns the hot case's share."""
    countries = _country_codes()
    prefix_pools = [
        _report_prefixes(rng, case_id, targets[case_id], countries, 4000 if i < 3 else 300)
        for i, case_id in enumerate(case_ids)
    ]
    week = max(1, len(pool) // 57)
    time_pools = []
    for i in range(len(case_ids)):
        if recent:
            time_pools.append(pool)
        elif i < 3:
            time_pools.append(_case_times(rng, pool, len(pool) - 3 * week, 8000))
        else:
            time_pools.append(_case_times(rng, pool, rng.randrange(len(pool)), 1000))
    cumulative = list(accumulate(shares))
    hot_reports = 0
    written = 0
    columns = ", ".join(REPORT_COLUMNS)
    while written < reports:
        size = min(COPY_CHUNK, reports - written)
        per_case = Counter(rng.choices(range(len(case_ids)), cum_weights=cumulative, k=size))
        lines: list[str] = []
        for index, rows in per_case.items():
            lines.extend(
                map(
                    "\t".join,
                    zip(rng.choices(prefix_pools[index], k=rows), rng.choices(time_pools[index], k=rows), strict=True),
                )
            )
        hot_reports += per_case.get(0, 0)
        rng.shuffle(lines)
        lines.append("")
        with connection.cursor().copy(f"COPY action_report ({columns}) FROM STDIN") as copy:
            copy.write("\n".join(lines))
        connection.commit()
        written += size
    return hot_reports


def copy_supporters(connection: psycopg.Connection, case_id: int, supporters: int) -> None:
    """Confirmed, consenting supporters subscribed to one case (the fan-out's audience)."""
    now = datetime.now(UTC).isoformat(sep=" ")
    start = connection.execute("SELECT coalesce(max(id), 0) FROM supporter").fetchone()[0]
    with connection.cursor().copy(
        "COPY supporter (id, email, name, country, language, is_consenting_to_contact, is_confirmed, confirmed_at, "
        "unsubscribe_token, created_at) FROM STDIN"
    ) as copy:
        buffer = io.StringIO()
        for number in range(start + 1, start + supporters + 1):
            buffer.write(
                f"{number}\tsupporter{number}@bench.example.org\tSupporter {number}\tGB\ten\tt\tt\t{now}\t"
                f"bench-{number:09d}-{random.getrandbits(64):016x}\t{now}\n"
            )
        copy.write(buffer.getvalue())
    connection.execute(f"SELECT setval(pg_get_serial_sequence('supporter', 'id'), {start + supporters})")
    with connection.cursor().copy("COPY subscription (supporter_id, case_id, subscribed_at) FROM STDIN") as copy:
        copy.write("".join(f"{number}\t{case_id}\t{now}\n" for number in range(start + 1, start + supporters + 1)))
    connection.commit()


def generate(
    database_url: str,
    reports: int,
    *,
    supporters: int = 0,
    case_count: int | None = None,
    seed: int = 8,
    log=print,
) -> GeneratedSet:
    """Build a benchmark database from scratch: schema, cases, reports, supporters, then the rollup."""
    from flask_migrate import upgrade

    from campaign.actions.rollup import run_rollup
    from campaign.extensions import db

    result = GeneratedSet(database_url=database_url, reports=reports)
    started = time.monotonic()
    recreate_database(database_url)
    app = bench_app(database_url)
    with app.app_context():
        upgrade()
    result.seconds["schema"] = time.monotonic() - started

    case_count = case_count or max(20, min(300, reports // 2000))
    mark = time.monotonic()
    case_ids, targets, fanout_id = _create_cases(app, case_count)
    result.cases, result.hot_case_id, result.fanout_case_id = case_count, case_ids[0], fanout_id
    result.countries = len(_country_codes())

    rng = random.Random(seed)
    now = datetime.now(UTC) - timedelta(minutes=5)
    pool = _rhythm_pool(rng, now, 400, 200_000)
    with psycopg.connect(plain_url(database_url)) as connection:
        connection.execute("SET session_replication_role = replica")
        connection.execute("SET maintenance_work_mem = '512MB'")
        for name in SECONDARY_INDEXES:
            connection.execute(f"DROP INDEX IF EXISTS {name}")
        connection.commit()
        result.hot_case_reports = copy_reports(
            connection, rng, case_ids, targets, _case_shares(case_count), reports, pool
        )
        result.actions = connection.execute(
            "SELECT coalesce(sum(count), 0) FROM action_report WHERE review_state = 'counted'"
        ).fetchone()[0]
        result.seconds["copy_reports"] = time.monotonic() - mark
        log(f"  {reports:,} reports copied in {result.seconds['copy_reports']:.1f} s")
        mark = time.monotonic()
        for statement in SECONDARY_INDEXES.values():
            connection.execute(statement)
        connection.commit()
        result.seconds["indexes"] = time.monotonic() - mark
        if supporters:
            mark = time.monotonic()
            copy_supporters(connection, fanout_id, supporters)
            result.supporters = supporters
            result.seconds["copy_supporters"] = time.monotonic() - mark
        connection.execute("SET session_replication_role = DEFAULT")
        connection.commit()
        connection.autocommit = True
        mark = time.monotonic()
        connection.execute("VACUUM (ANALYZE) action_report")
        connection.execute("ANALYZE")
        result.seconds["analyze"] = time.monotonic() - mark

    mark = time.monotonic()
    with app.app_context():
        run_rollup(wait=True)
        db.session.commit()
        dispose_engines()
    result.seconds["rollup"] = time.monotonic() - mark
    with psycopg.connect(plain_url(database_url), autocommit=True) as connection:
        for table in ("action_total_daily", "action_total_daily_settled", "action_total"):
            connection.execute(f"VACUUM (ANALYZE) {table}")
    result.seconds["total"] = time.monotonic() - started
    log(
        f"  rollup of {reports:,} reports in {result.seconds['rollup']:.1f} s; set ready in {result.seconds['total']:.1f} s"
    )
    return result


def insert_recent_reports(
    database_url: str, case_ids: list[int], targets: dict[int, list[int]], reports: int, seed: int
) -> None:
    """COPY ``reports`` new reports of the last hour (what an hour of traffic leaves for the rollup)."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    pool = []
    for _ in range(20_000):
        moment = now - timedelta(seconds=rng.randrange(3600))
        pool.append(f"{moment.date().isoformat()}\t{moment.isoformat(sep=' ')}")
    with psycopg.connect(plain_url(database_url)) as connection:
        connection.execute("SET session_replication_role = replica")
        copy_reports(connection, rng, case_ids, targets, _case_shares(len(case_ids)), reports, pool, recent=True)


def case_layout(database_url: str) -> tuple[list[int], dict[int, list[int]]]:
    """The benchmark cases (hot first, fan-out case left out) and their target ids."""
    with psycopg.connect(plain_url(database_url)) as connection:
        rows = connection.execute(
            'SELECT c.id, array_agg(ct.target_id ORDER BY ct.position) FROM "case" c '
            "JOIN case_target ct ON ct.case_id = c.id WHERE c.slug <> %s GROUP BY c.id ORDER BY c.id",
            (FANOUT_SLUG,),
        ).fetchall()
    return [row[0] for row in rows], {row[0]: list(row[1]) for row in rows}


if __name__ == "__main__":
    arguments = sys.argv[1:]
    built = generate(arguments[0], int(arguments[1]), supporters=int(arguments[2]) if len(arguments) > 2 else 0)
    print(built)
