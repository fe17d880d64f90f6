"""Build the sample pages: each real opening (/work/shared/real-samples) as a full page.

`python -m tests.parsers.samples.build` writes `<force>/<slug>.html` and `index.json`
(file -> live URL); the goldens beside them come from `pytest --update-golden`. The
chrome stays as the browser dump shows it, flattened into the page's `main` before the
response (the text layer must remove it); the h1 is the slug as a title.
"""

from __future__ import annotations

import json
from pathlib import Path

from parsers.sites import force_from_url
from tests.parsers.pages import page, samples, split_chrome

HERE = Path(__file__).resolve().parent


def build() -> None:
    index: dict[str, str] = {}
    for sample in samples():
        url = sample["url"]
        force = force_from_url(url)
        slug = url.rstrip("/").rsplit("/", 1)[-1][:80]
        if "/cy-GB/" in url:
            slug = f"cy-{slug}"
        chrome, content = split_chrome(sample["text"].splitlines())
        title = slug.replace("-", " ").capitalize()
        html = page("banner_in_main", title, content, chrome)
        path = HERE / force / f"{slug}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html + "\n", encoding="utf-8")
        index[path.relative_to(HERE).as_posix()] = url
    (HERE / "index.json").write_text(json.dumps(index, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    build()
