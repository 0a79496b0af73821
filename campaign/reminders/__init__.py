"""Deadline reminders and case updates: scheduled, fanned out in batches, sent once per supporter."""
