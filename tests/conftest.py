import os

# The project's own tests run the suite's machinery directly; keep torch to one thread so that parallel
# subprocesses (selfcheck, plugin tests) do not oversubscribe the cores.
os.environ.setdefault("OMP_NUM_THREADS", "1")
pytest_plugins = ["pytester"]
