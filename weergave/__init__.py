"""Reports for people: everything regelwerk writes for a reader rather than a back office.

- `opmaak`: money and numbers in Dutch notation (pure; the engine uses it for reasons);
- `sjablonen`: the one jinja environment (templates under `weergave/templates`, filters);
- `uitleg`: the explanation of an assessment (JSON and text; HTML in the service's page);
- `document`: the articles in force on a date and what a region changed (`regelwerk toon`);
- `expressies`: IR expressions as Dutch phrases (from the vocabulary `engine.woorden`);
- `dekking`: the coverage report of a region's suite (`regelwerk test --dekking`);
- `samenvatting`: the summary table of `regelwerk controleer`.

This package file imports nothing: `engine.waarden` imports `weergave.opmaak`, and that must
not pull in jinja or the engine's own modules.
"""
