"""Packaging hook (everything else is in pyproject.toml).

`metadata.yml` stays at the top of the repository, where people edit it beside
README.md; the wheel carries a copy as package data, `plugins/metadata.yml`, which
plugins/app.py reads first (a checkout falls back to the top-level file).
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

METADATA = Path(__file__).resolve().parent / "metadata.yml"


class BuildPyWithMetadata(build_py):
    def run(self) -> None:
        super().run()
        if not getattr(self, "editable_mode", False):  # editable: read from the checkout
            target = Path(self.build_lib) / "plugins" / "metadata.yml"
            self.copy_file(str(METADATA), str(target))

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = super().get_outputs(include_bytecode)
        return [*outputs, str(Path(self.build_lib) / "plugins" / "metadata.yml")]


setup(cmdclass={"build_py": BuildPyWithMetadata})
