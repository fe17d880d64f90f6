"""datasketch's `MinHash` and `sha1_hash32`, without running datasketch's package import.

`datasketch/__init__.py` imports every sketch the library has; its LSH module imports
scipy.integrate, so `import datasketch` costs ~77 MB of resident memory against numpy's
~25 MB, in every process that groups round robins (the nightly refresh among them; the
bench's crawl_peak_rss figures). We use only the MinHash module and its hash function.

So the package is registered in `sys.modules` with its `__path__` but without running its
`__init__`, and `datasketch.minhash` (numpy and `datasketch.hashfunc` only) is imported
alone: the maintained library's own code, the same signatures. Whoever later asks the
package for anything else (`from datasketch import MinHashLSH`) gets it: the first such
lookup runs the real `__init__` in place.
"""

from __future__ import annotations

import importlib.util
import sys


def _register_package_without_init() -> None:
    if "datasketch" in sys.modules:  # already imported (whole, or by us)
        return
    spec = importlib.util.find_spec("datasketch")  # finds the package; runs nothing
    if spec is None or spec.loader is None:
        raise ImportError("datasketch is not installed (pip install datasketch)")
    package = importlib.util.module_from_spec(spec)  # __path__ set, __init__ not run

    def __getattr__(name: str) -> object:
        # Something else wants the rest of the package: run its __init__ once, in place.
        del package.__dict__["__getattr__"]
        spec.loader.exec_module(package)  # type: ignore[union-attr]
        return getattr(package, name)

    package.__dict__["__getattr__"] = __getattr__
    sys.modules["datasketch"] = package


_register_package_without_init()

from datasketch.hashfunc import sha1_hash32  # noqa: E402  (after the registration above)
from datasketch.minhash import MinHash  # noqa: E402

__all__ = ["MinHash", "sha1_hash32"]
