"""Figures for officials: the public figures, immutable snapshots and their delivery records."""
