"""mkdocs hook, fourth in mkdocs.yml (after the runtime, whose manifest the form data reads): the
calculator page's form data and roster template (scripts.calculator_page.form), from the policy
bundle the pages were made from (the site's open-data data/policy.json); then the page's own files
moved into their content-named directory and the built page wired to them and to this build's runtime
(scripts.calculator_page.page)."""

from __future__ import annotations

from pathlib import Path

from calculator.bundle import parse
from mkdocs.exceptions import PluginError

from scripts.calculator_page import form, page
from scripts.site.opendata import BUNDLE_FILE
from scripts.site.handbook import CALCULATOR_PAGE


def on_env(env, config, files):
    # the page whose head starts the calculator's worker (scripts/site/overrides/main.html)
    env.globals["calculator_page"] = CALCULATOR_PAGE
    return env


def on_post_build(config):
    if not (Path(config.docs_dir) / CALCULATOR_PAGE).is_file():
        return
    bundle = parse((Path(config.site_dir) / BUNDLE_FILE).read_text(encoding="utf-8"))
    form.on_post_build(config, bundle=bundle)
    try:
        page.name_by_content(Path(config.site_dir))
        page.wire(Path(config.site_dir))
    except page.PageError as exc:
        raise PluginError(str(exc)) from None
