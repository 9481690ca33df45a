"""Kindred's core: dispatcher, memory, safety, configuration. Imports no torch and no platform SDK."""

import os as _os

# torch's OpenMP threads (GNU libgomp) spin while they wait for each other, ~600 times per decode
# step. When anything else wants a core (another program, the crisis classifier's thread), one of
# them is descheduled and the others spin through whole time slices: measured on this 2-core VM with
# one other busy process, a one-row decode step went from ~40 ms to 0.9-1.7 s and a 16-row step from
# ~90 ms to 2 s; with passive waiting (sleep at once) they stayed at 40 / 90 ms. libgomp reads the
# variable when torch is first imported; every entry point imports this package before that (see
# tests/model/test_omp_wait.py). Set it yourself to choose otherwise.
_os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
