"""Every example in the library's docstrings runs and prints what it says (doctest over each module)."""

import doctest
import importlib
import pkgutil

import pytest

import zerolag

MODULES = sorted(m.name for m in pkgutil.walk_packages(zerolag.__path__, "zerolag."))


def _examples(name: str) -> list[doctest.DocTest]:
    return [t for t in doctest.DocTestFinder().find(importlib.import_module(name)) if t.examples]


WITH_EXAMPLES = [name for name in MODULES if _examples(name)]


def test_the_estimator_has_an_example():
    assert "zerolag.estimation.estimator" in WITH_EXAMPLES


@pytest.mark.parametrize("name", WITH_EXAMPLES)
def test_docstring_examples(name):
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for test in _examples(name):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed (output above)"
