"""The benchmark (`manage.py bench`, BENCH.md): seeding the scales, the bench-only views, measuring."""
