"""What every console page shares: layout and home page, access checks, chart drawing, one change committed or refused.

The pages themselves live with their features: ``cases/workspace_views.py``, ``actions/console_views.py``,
``audit/console_views.py``, ``accounts/console_views.py``, ``reminders/console_views.py``, ``figures/console_views.py``.
"""
