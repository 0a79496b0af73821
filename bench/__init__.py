"""Benchmarks of the production shape against bare ceilings measured in the same run (issue 8)."""
