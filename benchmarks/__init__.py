"""Scale benchmarks for Shigan: a data generator, an in-process page runner and a load run.

    python -m benchmarks.generate --scale district|city|province [--reset]
    python -m benchmarks.run      --scale district|city|province [--repeat N] [--json FILE]
    python -m benchmarks.load     --scale district|city|province [--seconds 30]

Not part of the test suite; see benchmarks/README.md.
"""
