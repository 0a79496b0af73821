"""The organiser console under ``/console``: cases, imports, dashboards, review, event tallies, audit, accounts."""
