"""Benchmarks of the bot, run by hand; their recorded figures are in bench/README.md."""
