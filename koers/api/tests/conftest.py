from koers.roadmap.tests.conftest import plan  # noqa: F401 (a fixture)
